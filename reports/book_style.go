package reports

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Number formats of the workbook. Percentages are stored as percentages
// (14.6 for 14.6%), to one decimal place as every output gives them.
const (
	NumFmtCount  = "#,##0"
	NumFmtChange = "+#,##0;-#,##0;0"
	NumFmtPct    = "+0.0;-0.0;0.0"
	NumFmtRate   = "0.0"
	NumFmtRatio  = "0.000"
)

// Colours: a pale fill for the chosen forces' rows (beside a marker
// column, never alone), dark text for chart axes, the bar colours of the
// ranking charts.
const (
	colourChosenFill = "FFE699"
	colourText       = "0B0C0C"
	colourBar        = "1F4E79"
	colourBarChosen  = "C55A11"
	colourMissing    = "FCE4D6"
	colourLink       = "0563C1"
)

// Cell kinds: each has a plain and a chosen (highlighted) style.
type cellKind int

const (
	kindText cellKind = iota
	kindWrap
	kindCount
	kindChange
	kindPct
	kindRate
	kindRatio
	kindRank
	numKinds
)

type bookStyles struct {
	title, subtitle, heading, header, banner, link, wrapTop int
	covered, missing                                        int
	cells                                                   [numKinds][2]int // [kind][chosen]
}

// font is a Calibri font (a font without a family opens in a serif
// face in LibreOffice).
func font(bold bool, size float64, colour string) *excelize.Font {
	if size == 0 {
		size = 11
	}
	return &excelize.Font{Family: "Calibri", Bold: bold, Size: size, Color: colour}
}

func newBookStyles(f *excelize.File) (bookStyles, error) {
	var st bookStyles
	fmts := [numKinds]string{kindCount: NumFmtCount, kindChange: NumFmtChange, kindPct: NumFmtPct, kindRate: NumFmtRate, kindRatio: NumFmtRatio}
	top := &excelize.Alignment{Vertical: "top"}
	wrap := &excelize.Alignment{Vertical: "top", WrapText: true}
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: font(true, 14, ""), Alignment: top}},
		{&st.subtitle, excelize.Style{Font: font(false, 0, ""), Alignment: wrap}},
		{&st.heading, excelize.Style{Font: font(true, 12, ""), Alignment: top}},
		{&st.header, excelize.Style{Font: font(true, 0, ""), Alignment: &excelize.Alignment{Vertical: "bottom", WrapText: true},
			Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}}},
		{&st.banner, excelize.Style{Font: font(true, 0, "9C0006"),
			Border: []excelize.Border{{Type: "top", Color: "9C0006", Style: 2}, {Type: "bottom", Color: "9C0006", Style: 2}}}},
		{&st.link, excelize.Style{Font: &excelize.Font{Family: "Calibri", Size: 11, Color: colourLink, Underline: "single"}, Alignment: top}},
		{&st.wrapTop, excelize.Style{Font: font(false, 0, ""), Alignment: wrap}},
		{&st.covered, excelize.Style{Font: font(false, 0, ""), Alignment: &excelize.Alignment{Horizontal: "center"}}},
		{&st.missing, excelize.Style{Font: font(true, 0, "9C4A00"), Alignment: &excelize.Alignment{Horizontal: "center"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourMissing}}}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, fmt.Errorf("workbook style: %w", err)
		}
		*s.id = id
	}
	for k := cellKind(0); k < numKinds; k++ {
		for chosen := 0; chosen < 2; chosen++ {
			s := excelize.Style{Font: font(false, 0, ""), Alignment: top}
			switch k {
			case kindText:
				s.Alignment = &excelize.Alignment{Vertical: "top", Horizontal: "left", Indent: 1}
			case kindWrap:
				s.Alignment = &excelize.Alignment{Vertical: "top", Horizontal: "left", Indent: 1, WrapText: true}
			case kindRank:
				s.Alignment = &excelize.Alignment{Vertical: "top", Horizontal: "center"}
			}
			if fmts[k] != "" {
				code := fmts[k]
				s.CustomNumFmt = &code
			}
			if chosen == 1 {
				s.Font = font(true, 0, "")
				s.Fill = excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{colourChosenFill}}
			}
			id, err := f.NewStyle(&s)
			if err != nil {
				return st, fmt.Errorf("workbook style: %w", err)
			}
			st.cells[k][chosen] = id
		}
	}
	return st, nil
}

// wraps reports whether a style wraps its text.
func (st bookStyles) wraps(id int) bool {
	return id == st.subtitle || id == st.wrapTop || id == st.cells[kindWrap][0] || id == st.cells[kindWrap][1]
}

// cell is a styled value of the kind k, highlighted when chosen.
func (st bookStyles) cell(k cellKind, chosen bool, v any) any {
	if v == nil {
		if !chosen {
			return nil
		}
		v = ""
	}
	c := 0
	if chosen {
		c = 1
	}
	return excelize.Cell{StyleID: st.cells[k][c], Value: v}
}

// round1 and round2 store a number as every output gives it, so that a
// cell read back equals the CSV's figure.
func round2(v float64) float64 {
	r := math.Round(v*100) / 100
	if r == 0 {
		return 0
	}
	return r
}

func round3(v float64) float64 {
	r := math.Round(v*1000) / 1000
	if r == 0 {
		return 0
	}
	return r
}

// column is one column of a table: its header, width and cell kind.
type column struct {
	head  string
	width float64
	kind  cellKind
}

func headers(cols []column) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = c.head
	}
	return out
}

// headerHeight is the height of a header row whose texts wrap in their
// columns (bold text is wider).
func headerHeight(cols []column) float64 {
	h := 15.0
	for _, c := range cols {
		h = max(h, textHeight(c.head, c.width*0.85, 11))
	}
	return h
}

func totalWidth(cols []column) float64 {
	var w float64
	for _, c := range cols {
		w += c.width
	}
	return w
}

// textHeight estimates the height in points of a wrapped text cell: Excel
// stores row heights and does not fit rows to wrapped text on opening, so
// the workbook sets them. width is in character units; a unit holds about
// 1.15 characters of ordinary text.
func textHeight(text string, width float64, size float64) float64 {
	if size == 0 {
		size = 11
	}
	perLine := max(int(width*1.15*11/size), 1)
	lines := 0
	for _, para := range strings.Split(text, "\n") {
		n := utf8.RuneCountInString(para)
		l := (n + perLine - 1) / perLine
		// Lines break between words, not where the estimate does.
		if l > 1 {
			l = (n*21/20 + perLine - 1) / perLine
		}
		lines += max(l, 1)
	}
	return math.Ceil(float64(lines)*size*1.3*2) / 2
}

// cellName is excelize.CoordinatesToCellName for coordinates known to be
// valid.
func cellName(col, row int) string {
	s, err := excelize.CoordinatesToCellName(col, row)
	if err != nil {
		panic(err) // coordinates come from the workbook's own layout
	}
	return s
}

func colName(col int) string {
	s, err := excelize.ColumnNumberToName(col)
	if err != nil {
		panic(err)
	}
	return s
}

// quoteSheet quotes a sheet name for a reference. Sheet names never hold
// an apostrophe (cleanSheetText drops it), so none needs doubling.
func quoteSheet(sheet string) string { return "'" + sheet + "'" }

// absRange is 'sheet'!$A$1:$K$12.
func absRange(sheet string, c1, r1, c2, r2 int) string {
	a, _ := excelize.CoordinatesToCellName(c1, r1, true)
	b, _ := excelize.CoordinatesToCellName(c2, r2, true)
	return quoteSheet(sheet) + "!" + a + ":" + b
}

// printSetup is how a sheet prints.
type printSetup struct {
	// titleRow is the header row repeated at the top of every printed
	// page (0: none).
	titleRow int
	// lastCol is the last column printed when the sheet prints less than
	// it shows (0: every used column).
	lastCol, lastRow int
	// footer names the sheet's source in the printed footer.
	footer    string
	synthetic bool
}

// hfEscape doubles the ampersands of text for a header or footer, where
// "&" starts a code.
func hfEscape(s string) string { return strings.ReplaceAll(s, "&", "&&") }

// setupPrint sets a sheet to print landscape on A4, one page wide and as
// many long as needed, with its header row repeated, a footer naming the
// source and "Page 1 of 3", and, for synthetic data, a header saying so.
// It must run before a stream writer is made for the sheet.
func setupPrint(f *excelize.File, sheet string, p printSetup) error {
	size, orient, one, auto := 9, "landscape", 1, 0
	if err := f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &size, Orientation: &orient, FitToWidth: &one, FitToHeight: &auto}); err != nil {
		return err
	}
	fit := true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	lr, tb, hf := 0.4, 0.6, 0.3
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{Left: &lr, Right: &lr, Top: &tb, Bottom: &tb, Header: &hf, Footer: &hf}); err != nil {
		return err
	}
	footer := fitWords(hfEscape(p.footer), 180)
	hfo := &excelize.HeaderFooterOptions{OddFooter: "&L&8" + footer + "&R&8Page &P of &N"}
	if p.synthetic {
		hfo.OddHeader = "&C&B" + hfEscape(SyntheticBanner)
	}
	if err := f.SetHeaderFooter(sheet, hfo); err != nil {
		return err
	}
	if p.titleRow > 0 {
		ref := fmt.Sprintf("%s!$%d:$%d", quoteSheet(sheet), p.titleRow, p.titleRow)
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: ref, Scope: sheet}); err != nil {
			return err
		}
	}
	if p.lastCol > 0 && p.lastRow > 0 {
		if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: absRange(sheet, 1, 1, p.lastCol, p.lastRow), Scope: sheet}); err != nil {
			return err
		}
	}
	return nil
}

// frozenAt freezes the rows above row and the columns left of col (1:
// none).
func frozenAt(col, row int) *excelize.Panes {
	p := &excelize.Panes{Freeze: true, XSplit: col - 1, YSplit: row - 1, TopLeftCell: cellName(col, row)}
	switch {
	case col > 1 && row > 1:
		p.ActivePane = "bottomRight"
	case col > 1:
		p.ActivePane = "topRight"
	default:
		p.ActivePane = "bottomLeft"
	}
	p.Selection = []excelize.Selection{{SQRef: p.TopLeftCell, ActiveCell: p.TopLeftCell, Pane: p.ActivePane}}
	return p
}

// tableStyle is the built-in style of every table.
const tableStyle = "TableStyleLight9"

// tableHeader makes header texts usable as table column names: one line,
// not blank, and unique ignoring case (Excel's rule).
func tableHeader(names []string) []string {
	out := make([]string, len(names))
	seen := map[string]bool{}
	for i, n := range names {
		n = strings.Join(strings.Fields(n), " ")
		if n == "" {
			n = "Column"
		}
		base := n
		for k := 2; seen[strings.ToLower(n)]; k++ {
			n = base + " (" + strconv.Itoa(k) + ")"
		}
		seen[strings.ToLower(n)] = true
		out[i] = n
	}
	return out
}

// absCell is $H$4.
func absCell(col, row int) string {
	s, _ := excelize.CoordinatesToCellName(col, row, true)
	return s
}
