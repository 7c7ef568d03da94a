package reports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// grid writes one sheet top to bottom: through a stream writer for sheets
// of any length, or through the ordinary cell API for the short sheets
// that carry a chart or links. Either way it keeps the used range, which
// becomes the sheet's dimension (Excel and LibreOffice read the printed
// and scrolled range from it). The first error stops every later write and
// is kept in err.
type grid struct {
	f      *excelize.File
	sheet  string
	st     bookStyles
	sw     *excelize.StreamWriter
	widths []float64
	row    int // the last row written
	maxCol int
	// heightPt is the height of the rows written, in points.
	heightPt float64
	err      error
}

// gridLayout is what must be known before the first row: column widths,
// the frozen panes and, for a stream, the sheet's final size.
type gridLayout struct {
	widths     []float64
	panes      *excelize.Panes
	stream     bool
	rows, cols int // the used range of a streamed sheet, known in advance
	print      printSetup
}

func newGrid(f *excelize.File, sheet string, st bookStyles, l gridLayout) *grid {
	g := &grid{f: f, sheet: sheet, st: st, widths: l.widths}
	g.err = setupPrint(f, sheet, l.print)
	if g.err != nil {
		return g
	}
	if !l.stream {
		for i, w := range l.widths {
			if g.err == nil {
				g.err = f.SetColWidth(sheet, colName(i+1), colName(i+1), w)
			}
		}
		if g.err == nil && l.panes != nil {
			g.err = f.SetPanes(sheet, l.panes)
		}
		return g
	}
	// A stream writes the dimension with the sheet's first bytes.
	if l.rows > 0 && l.cols > 0 {
		g.err = f.SetSheetDimension(sheet, "A1:"+cellName(l.cols, l.rows))
	}
	if g.err != nil {
		return g
	}
	g.sw, g.err = f.NewStreamWriter(sheet)
	for i, w := range l.widths {
		if g.err == nil {
			g.err = g.sw.SetColWidth(i+1, i+1, w)
		}
	}
	if g.err == nil && l.panes != nil {
		g.err = g.sw.SetPanes(l.panes)
	}
	return g
}

// line writes the next row: nil leaves a cell empty; strings are always
// text (never formulas). Height 0 makes the row as tall as its longest
// wrapped text needs (Excel does not fit rows to text on opening).
// maxRowHeight is the tallest row Excel allows, in points.
const maxRowHeight = 409

func (g *grid) line(height float64, values ...any) {
	if g.err != nil {
		return
	}
	if height == 0 {
		height = g.fit(values)
	}
	// Excel's tallest row: longer text stays whole in its cell.
	height = min(height, maxRowHeight)
	if height > 0 {
		g.heightPt += height
	} else {
		g.heightPt += 15
	}
	g.row++
	last := 0
	for i, v := range values {
		if v != nil {
			last = i + 1
		}
	}
	g.maxCol = max(g.maxCol, last)
	if g.sw != nil {
		opts := []excelize.RowOpts{}
		if height > 0 {
			opts = append(opts, excelize.RowOpts{Height: height})
		}
		g.err = g.sw.SetRow(cellName(1, g.row), values, opts...)
		return
	}
	for i, v := range values {
		if g.err == nil {
			g.err = setCell(g.f, g.sheet, cellName(i+1, g.row), v)
		}
	}
	if g.err == nil && height > 0 {
		g.err = g.f.SetRowHeight(g.sheet, g.row, height)
	}
}

// fit is the height a row needs for its wrapped texts, 0 for one line.
func (g *grid) fit(values []any) float64 {
	h := 0.0
	for i, v := range values {
		c, ok := v.(excelize.Cell)
		if !ok || i >= len(g.widths) || !g.st.wraps(c.StyleID) {
			continue
		}
		if s, ok := c.Value.(string); ok {
			w := g.widths[i]
			if c.StyleID == g.st.cells[kindWrap][0] || c.StyleID == g.st.cells[kindWrap][1] {
				w-- // indented
			}
			h = max(h, textHeight(s, w, 11))
		}
	}
	if h <= 15 {
		return 0
	}
	return h
}

// skip leaves n empty rows.
func (g *grid) skip(n int) {
	g.row += n
	g.heightPt += 15 * float64(n)
}

// onePage makes a short sheet print on one page, scaled down as needed,
// when it would otherwise spill a little onto a second.
func (g *grid) onePage(width float64) {
	if g.err != nil {
		return
	}
	scale := min(1, pageWidthUnits/width)
	if g.heightPt*scale > 1.6*pageHeightPt {
		return
	}
	one := 1
	g.err = g.f.SetPageLayout(g.sheet, &excelize.PageLayoutOptions{FitToHeight: &one})
}

// text writes a wrapped sentence across columns 1..cols of a new row,
// merged, with a height that shows all of it.
func (g *grid) text(style int, s string, cols int, width float64) {
	g.line(textHeight(s, width, 11), excelize.Cell{StyleID: style, Value: s})
	if cols > 1 {
		g.merge(1, cols)
	}
}

// merge merges columns c1..c2 of the current row.
func (g *grid) merge(c1, c2 int) {
	if g.err != nil {
		return
	}
	a, b := cellName(c1, g.row), cellName(c2, g.row)
	if g.sw != nil {
		g.err = g.sw.MergeCell(a, b)
	} else {
		g.err = g.f.MergeCell(g.sheet, a, b)
	}
	g.maxCol = max(g.maxCol, c2)
}

// link makes column col of the current row a link to another sheet.
func (g *grid) link(col int, sheet string) {
	if g.err != nil || g.sw != nil {
		return
	}
	cell := cellName(col, g.row)
	g.err = g.f.SetCellHyperLink(g.sheet, cell, quoteSheet(sheet)+"!A1", "Location")
	if g.err == nil {
		g.err = g.f.SetCellStyle(g.sheet, cell, cell, g.st.link)
	}
}

// table makes rows header..last of columns 1..cols an Excel table with
// filters. A table needs a data row: an empty one is given one blank row.
func (g *grid) table(name string, header, last, cols int) {
	if g.err != nil {
		return
	}
	last = max(last, header+1)
	t := &excelize.Table{Range: cellName(1, header) + ":" + cellName(cols, last), Name: name, StyleName: tableStyle}
	if g.sw != nil {
		g.err = g.sw.AddTable(t)
	} else {
		g.err = g.f.AddTable(g.sheet, t)
	}
	if last > g.row {
		g.row = last
	}
	g.maxCol = max(g.maxCol, cols)
}

// close flushes a stream, or sets an ordinary sheet's dimension to the
// used range.
func (g *grid) close() error {
	if g.err != nil {
		return fmt.Errorf("sheet %q: %w", g.sheet, g.err)
	}
	if g.sw != nil {
		if err := g.sw.Flush(); err != nil {
			return fmt.Errorf("sheet %q: %w", g.sheet, err)
		}
		return nil
	}
	ref := "A1"
	if g.row > 0 && g.maxCol > 0 {
		ref = "A1:" + cellName(g.maxCol, g.row)
	}
	if err := g.f.SetSheetDimension(g.sheet, ref); err != nil {
		return fmt.Errorf("sheet %q: %w", g.sheet, err)
	}
	return nil
}

// setCell writes one value with the ordinary API: strings with SetCellStr
// (never a formula), numbers as numbers.
func setCell(f *excelize.File, sheet, cell string, val any) error {
	style := 0
	if c, ok := val.(excelize.Cell); ok {
		style, val = c.StyleID, c.Value
	}
	var err error
	switch x := val.(type) {
	case nil:
	case string:
		err = f.SetCellStr(sheet, cell, x)
	case int:
		err = f.SetCellInt(sheet, cell, int64(x))
	case int64:
		err = f.SetCellInt(sheet, cell, x)
	case float64:
		err = f.SetCellFloat(sheet, cell, x, -1, 64)
	default:
		return fmt.Errorf("cell %s: unexpected value %T", cell, val)
	}
	if err == nil && style != 0 {
		err = f.SetCellStyle(sheet, cell, cell, style)
	}
	return err
}
