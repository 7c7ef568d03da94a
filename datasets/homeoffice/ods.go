package homeoffice

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// Limits on ODS input. The spreadsheet is spilled to a temporary file (unless
// r is already an in-memory reader such as *bytes.Reader) and its
// content.xml is streamed from there, never held in memory.
const (
	// MaxODSBytes is the largest spreadsheet ReadODS accepts, compressed.
	MaxODSBytes = 1 << 30
	// MaxODSContentBytes is the largest content.xml (the sheets) ReadODS
	// unzips.
	MaxODSContentBytes = 2 << 30
	// MaxODSRatio is the largest uncompressed/compressed size ratio
	// accepted for a content.xml over 100 MB (a zip bomb guard). The
	// content.xml of a real table compresses about 30:1.
	MaxODSRatio = 1000

	odsRatioMinSize = 100 << 20
	odsMaxRows      = 1 << 24 // rows of a sheet (LibreOffice's largest)
	odsMaxCols      = 1 << 14 // columns of a sheet
	odsMaxCellBytes = 1 << 20 // text of one cell
	odsMaxSpaces    = 1 << 10 // spaces from one text:s element
	odsMaxRepeat    = 1 << 16 // repeats of one data row
	odsTokenCheck   = 1 << 14 // XML tokens between checks of the context
)

// Namespaces of the elements ReadODS reads.
const (
	nsOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
	nsTable  = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
	nsText   = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

	odsMimeType = "application/vnd.oasis.opendocument.spreadsheet"
	odsWant     = "an OpenDocument spreadsheet (.ods): a zip archive holding content.xml"
)

type odsLimits struct {
	maxBytes, maxContent, ratioMinSize, maxRatio int64
}

var defaultODSLimits = odsLimits{maxBytes: MaxODSBytes, maxContent: MaxODSContentBytes,
	ratioMinSize: odsRatioMinSize, maxRatio: MaxODSRatio}

// ReadODS reads the Home Office open data table from an OpenDocument
// spreadsheet in r, the format the Home Office publishes it in: the first
// sheet, in document order, that has the header row within its first 20 rows
// (title and blank rows above it are common); other sheets are skipped.
//
// The sheets are streamed from content.xml with flat memory, so a published
// file of several sheets of 100,000 rows or more is fine. Cells repeated
// across columns or rows (table:number-columns-repeated,
// table:number-rows-repeated) count once per repeat, except that runs of
// blank rows after the last data row of the sheet are padding and are not
// counted; blank rows between data rows count as skipped. Covered (merged)
// cells read as blank. A number cell reads as its office:value, any other
// cell as its text, paragraphs joined by a newline and text:s, text:tab and
// text:line-break expanded (a text:s gives at most 1,024 spaces);
// annotations are ignored. A data row may repeat at most 65,536 times: the
// published table never repeats one more than 4 times (the components of a
// composite offence code), and the limit keeps a small hostile file from
// costing minutes.
//
// Row numbers in errors are the spreadsheet's own, and errors name the
// sheet. The spreadsheet may be at most MaxODSBytes, and its content.xml at
// most MaxODSContentBytes unzipped and at most MaxODSRatio times its
// compressed size when over 100 MB; a larger one is refused as a likely zip
// bomb, with a *datasets.RowError wrapping datasets.ErrUnknownFormat, as is
// input that is not an OpenDocument spreadsheet. Extract.SHA256 is the hash
// of the bytes of r. Otherwise ReadODS behaves as ReadCSV.
func ReadODS(ctx context.Context, name string, r io.Reader) (*datasets.Extract, error) {
	return readODS(ctx, name, r, defaultODSLimits)
}

func readODS(ctx context.Context, name string, r io.Reader, lim odsLimits) (*datasets.Extract, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ra, size, sum, cleanup, err := odsSpill(name, r, lim.maxBytes)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rc, err := odsContent(name, ra, size, lim)
	if err != nil {
		return nil, err
	}
	defer rc.Close()

	t := &odsTable{name: name}
	t.best.found = -1
	s := newODSScanner(ctx, name, bufio.NewReaderSize(rc, 64<<10), t)
	t.scan = s
	if err := s.run(); err != nil {
		return nil, err
	}
	if t.c != nil {
		return t.c.extract(name, sum), nil
	}
	if t.best.found <= 0 {
		return nil, &datasets.RowError{File: name, Want: headerWant,
			Err: fmt.Errorf("%w: no sheet has the header in its first %d rows", datasets.ErrBadHeader, headerSearchRows)}
	}
	return nil, &datasets.RowError{File: name, Sheet: t.best.sheet, Row: t.best.row, Column: t.best.missing,
		Value: t.best.missing, Want: headerWant, Err: datasets.ErrNoSuchColumn}
}

// odsFormatErr reports input that is not an ODS file ReadODS will read.
func odsFormatErr(name, format string, args ...any) error {
	return &datasets.RowError{File: name, Want: odsWant,
		Err: fmt.Errorf("%w: %s", datasets.ErrUnknownFormat, fmt.Sprintf(format, args...))}
}

// sizedReaderAt is an in-memory reader such as *bytes.Reader.
type sizedReaderAt interface {
	io.ReaderAt
	Size() int64
	Len() int
}

// odsSpill gives random access to the bytes of r, copying them to a
// temporary file unless r is an unread in-memory reader, and their hash.
// The caller calls cleanup when done.
func odsSpill(name string, r io.Reader, maxBytes int64) (ra io.ReaderAt, size int64, sum string, cleanup func(), err error) {
	tooLarge := func() error {
		return odsFormatErr(name, "spreadsheet larger than %d bytes", maxBytes)
	}
	h := sha256.New()
	if sr, ok := r.(sizedReaderAt); ok && int64(sr.Len()) == sr.Size() {
		size = sr.Size()
		if size > maxBytes {
			return nil, 0, "", nil, tooLarge()
		}
		if _, err := io.Copy(h, io.NewSectionReader(sr, 0, size)); err != nil {
			return nil, 0, "", nil, fmt.Errorf("read %q: %w", name, err)
		}
		return sr, size, hex.EncodeToString(h.Sum(nil)), func() {}, nil
	}
	f, err := os.CreateTemp("", "crimetrends-ods-*")
	if err != nil {
		return nil, 0, "", nil, fmt.Errorf("read %q: spill to a temporary file: %w", name, err)
	}
	cleanup = func() {
		f.Close()
		os.Remove(f.Name())
	}
	size, err = io.Copy(f, io.TeeReader(io.LimitReader(r, maxBytes+1), h))
	if err != nil {
		cleanup()
		return nil, 0, "", nil, fmt.Errorf("read %q: %w", name, err)
	}
	if size > maxBytes {
		cleanup()
		return nil, 0, "", nil, tooLarge()
	}
	return f, size, hex.EncodeToString(h.Sum(nil)), cleanup, nil
}

// odsContent opens content.xml in the zip archive ra, after checking the
// mimetype entry (when there is one) and the size limits.
func odsContent(name string, ra io.ReaderAt, size int64, lim odsLimits) (io.ReadCloser, error) {
	zr, err := zip.NewReader(ra, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, odsFormatErr(name, "not a zip archive: %v", err)
	}
	var content, mime, manifest *zip.File
	for _, f := range zr.File {
		switch {
		case f.Name == "content.xml" && content == nil:
			content = f
		case f.Name == "mimetype" && mime == nil:
			mime = f
		case f.Name == "META-INF/manifest.xml" && manifest == nil:
			manifest = f
		}
	}
	// A password-protected spreadsheet lists how each part is encrypted
	// in its manifest; its content.xml is not XML.
	if manifest != nil && manifest.UncompressedSize64 <= 1<<20 {
		if rc, err := manifest.Open(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
			rc.Close()
			if bytes.Contains(b, []byte("encryption-data")) {
				return nil, datasets.PasswordProtected(name)
			}
		}
	}
	if mime != nil {
		rc, err := mime.Open()
		if err != nil {
			return nil, odsFormatErr(name, "mimetype: %v", err)
		}
		b, err := io.ReadAll(io.LimitReader(rc, 256))
		rc.Close()
		if err != nil {
			return nil, odsFormatErr(name, "mimetype: %v", err)
		}
		if m := strings.TrimSpace(string(b)); !strings.HasPrefix(m, odsMimeType) {
			return nil, odsFormatErr(name, "mimetype is %q, not %s", m, odsMimeType)
		}
	}
	if content == nil {
		return nil, odsFormatErr(name, "no content.xml in the archive")
	}
	usize, csize := content.UncompressedSize64, content.CompressedSize64
	if usize > uint64(lim.maxContent) {
		return nil, odsFormatErr(name, "content.xml is %d bytes uncompressed, over the limit of %d", usize, lim.maxContent)
	}
	if usize > uint64(lim.ratioMinSize) && (csize == 0 || usize/csize > uint64(lim.maxRatio)) {
		return nil, odsFormatErr(name, "content.xml expands from %d to %d bytes, a ratio over %d: refusing a likely zip bomb",
			csize, usize, lim.maxRatio)
	}
	rc, err := content.Open()
	if err != nil {
		return nil, odsFormatErr(name, "content.xml: %v", err)
	}
	// archive/zip already fails when more than the declared size comes
	// out; this guards the limit whatever the header says.
	return &limitedReadCloser{rc: rc, left: lim.maxContent}, nil
}

type limitedReadCloser struct {
	rc   io.ReadCloser
	left int64
}

func (l *limitedReadCloser) Read(p []byte) (int, error) {
	n, err := l.rc.Read(p)
	l.left -= int64(n)
	if l.left < 0 {
		return n, errors.New("content.xml larger than the limit")
	}
	return n, err
}

func (l *limitedReadCloser) Close() error { return l.rc.Close() }

// odsRows receives what odsScanner finds, in document order.
type odsRows interface {
	// startSheet starts a sheet.
	startSheet(name string)
	// rows receives one row element: its cells, its first row number in
	// the sheet and how many times it repeats (at least 1). cells is
	// reused after the call; its strings are not.
	rows(cells []string, first, repeat int64) error
	// endSheet ends the sheet; stop ends the scan.
	endSheet() (stop bool)
}

// odsScanner streams the table rows out of content.xml with
// encoding/xml's RawToken, resolving the ODF prefixes from the namespace
// declarations of the root element. It keeps one row in memory; runs of
// empty cells are materialised only when a value follows them, or at the end
// of the row up to pad cells.
type odsScanner struct {
	ctx  context.Context
	name string
	dec  *xml.Decoder
	out  odsRows
	pad  int // rows are padded with trailing empty cells to at least this width

	office, table, text string // prefixes bound to the ODF namespaces

	depth  int
	skipTo int // when > 0, the depth of an element whose content is ignored

	inSheet    bool
	sheetDepth int
	sheetName  string
	row        int64 // the last row number of the sheet read so far

	inRow     bool
	rowDepth  int
	rowRepeat int64
	cells     []string
	emptyRun  int64 // empty cells not yet appended to cells

	inCell       bool
	cellDepth    int
	cellRepeat   int64
	covered      bool
	valueType    string
	value        string
	hasValue     bool
	stringValue  string
	hasStringVal bool
	textBuf      []byte
	paras        int
	paraDepth    int
}

func newODSScanner(ctx context.Context, name string, r io.Reader, out odsRows) *odsScanner {
	return &odsScanner{ctx: ctx, name: name, dec: xml.NewDecoder(r), out: out,
		office: "office", table: "table", text: "text"}
}

// skipSheet ignores the rest of the current sheet; its end is still reported.
func (s *odsScanner) skipSheet() {
	if s.inSheet {
		s.skipTo = s.sheetDepth
	}
}

// rowErr reports malformed content at the current position.
func (s *odsScanner) rowErr(want string, err error) error {
	e := &datasets.RowError{File: s.name, Want: want, Err: err}
	if s.inSheet {
		e.Sheet = s.sheetName
		e.Row = int(min(s.row+1, math.MaxInt32))
	}
	return e
}

func (s *odsScanner) run() error {
	for tokens := 1; ; tokens++ {
		tok, err := s.dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return s.rowErr("a well-formed content.xml", fmt.Errorf("%w: content.xml: %v", datasets.ErrBadRow, err))
		}
		if tokens%odsTokenCheck == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		switch t := tok.(type) {
		case xml.StartElement:
			s.depth++
			if s.skipTo > 0 {
				continue
			}
			if err := s.start(t); err != nil {
				return err
			}
		case xml.EndElement:
			if s.skipTo > 0 {
				if s.depth > s.skipTo {
					s.depth--
					continue
				}
				s.skipTo = 0
			}
			stop, err := s.end()
			s.depth--
			if err != nil || stop {
				return err
			}
		case xml.CharData:
			if s.skipTo == 0 && s.paraDepth > 0 {
				if err := s.appendText(t...); err != nil {
					return err
				}
			}
		}
	}
	if s.inSheet {
		return s.rowErr("a complete content.xml", fmt.Errorf("%w: content.xml ends inside sheet %q", datasets.ErrBadRow, s.sheetName))
	}
	return nil
}

func (s *odsScanner) appendText(b ...byte) error {
	if len(s.textBuf)+len(b) > odsMaxCellBytes {
		return s.cellTooLong()
	}
	s.textBuf = append(s.textBuf, b...)
	return nil
}

func (s *odsScanner) cellTooLong() error {
	return s.rowErr(fmt.Sprintf("cells of at most %d bytes", odsMaxCellBytes),
		fmt.Errorf("%w: cell text too long", datasets.ErrBadRow))
}

func (s *odsScanner) bindNamespaces(attrs []xml.Attr) {
	for _, a := range attrs {
		prefix := ""
		switch {
		case a.Name.Space == "xmlns":
			prefix = a.Name.Local
		case a.Name.Space == "" && a.Name.Local == "xmlns":
		default:
			continue
		}
		switch a.Value {
		case nsOffice:
			s.office = prefix
		case nsTable:
			s.table = prefix
		case nsText:
			s.text = prefix
		}
	}
}

// attr returns the value of the attribute space:local.
func attr(t xml.StartElement, space, local string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == local && a.Name.Space == space {
			return a.Value, true
		}
	}
	return "", false
}

// repeat reads a table:number-*-repeated attribute, capped at limit+1.
func (s *odsScanner) repeat(t xml.StartElement, local string, limit int64) (int64, error) {
	v, ok := attr(t, s.table, local)
	if !ok {
		return 1, nil
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil && errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(strings.TrimSpace(v), "-") {
		n, err = limit+1, nil
	}
	if err != nil || n < 1 {
		return 0, s.rowErr("a positive whole number", fmt.Errorf("%w: table:%s=%q", datasets.ErrBadRow, local, v))
	}
	return min(n, limit+1), nil
}

func (s *odsScanner) start(t xml.StartElement) error {
	if s.depth == 1 {
		s.bindNamespaces(t.Attr)
		return nil
	}
	space, local := t.Name.Space, t.Name.Local
	switch {
	case s.inCell && s.paraDepth == 0:
		if space == s.text && (local == "p" || local == "h") {
			if s.paras > 0 {
				if err := s.appendText('\n'); err != nil {
					return err
				}
			}
			s.paras++
			s.paraDepth = s.depth
			return nil
		}
		s.skipTo = s.depth // annotations, shapes and anything else beside the paragraphs
	case s.inCell: // inside a paragraph; spans and links are transparent
		switch {
		case space == s.text && local == "s":
			n := 1
			if v, ok := attr(t, s.text, "c"); ok {
				if c, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && c > 1 {
					n = min(c, odsMaxSpaces)
				}
			}
			if len(s.textBuf)+n > odsMaxCellBytes {
				return s.cellTooLong()
			}
			for range n {
				s.textBuf = append(s.textBuf, ' ')
			}
		case space == s.text && local == "tab":
			return s.appendText('\t')
		case space == s.text && local == "line-break":
			return s.appendText('\n')
		case space == s.text && local == "note", space == s.office && local == "annotation":
			s.skipTo = s.depth
		}
	case s.inRow:
		if space != s.table || local != "table-cell" && local != "covered-table-cell" {
			s.skipTo = s.depth
			return nil
		}
		n, err := s.repeat(t, "number-columns-repeated", odsMaxCols)
		if err != nil {
			return err
		}
		s.inCell, s.cellDepth, s.cellRepeat = true, s.depth, n
		s.covered = local == "covered-table-cell"
		s.valueType, _ = attr(t, s.office, "value-type")
		s.value, s.hasValue = attr(t, s.office, "value")
		s.stringValue, s.hasStringVal = attr(t, s.office, "string-value")
		s.textBuf, s.paras, s.paraDepth = s.textBuf[:0], 0, 0
		if s.covered {
			s.skipTo = s.depth
		}
	case s.inSheet:
		switch {
		case space == s.table && local == "table-row":
			n, err := s.repeat(t, "number-rows-repeated", odsMaxRows)
			if err != nil {
				return err
			}
			s.inRow, s.rowDepth, s.rowRepeat = true, s.depth, n
			s.cells, s.emptyRun = s.cells[:0], 0
		case space == s.table && local == "table":
			s.skipTo = s.depth // a table inside a sheet
		}
	case space == s.table && local == "table":
		s.inSheet, s.sheetDepth, s.row = true, s.depth, 0
		s.sheetName, _ = attr(t, s.table, "name")
		s.out.startSheet(s.sheetName)
	}
	return nil
}

func (s *odsScanner) end() (stop bool, err error) {
	switch {
	case s.inCell && s.depth == s.paraDepth:
		s.paraDepth = 0
	case s.inCell && s.depth == s.cellDepth:
		s.inCell = false
		return false, s.endCell()
	case s.inRow && s.depth == s.rowDepth:
		s.inRow = false
		if s.emptyRun > 0 && len(s.cells) < s.pad {
			for n := min(s.emptyRun, int64(s.pad-len(s.cells))); n > 0; n-- {
				s.cells = append(s.cells, "")
			}
		}
		first := s.row + 1
		s.row += s.rowRepeat
		return false, s.out.rows(s.cells, first, s.rowRepeat)
	case s.inSheet && s.depth == s.sheetDepth:
		s.inSheet = false
		return s.out.endSheet(), nil
	}
	return false, nil
}

func (s *odsScanner) endCell() error {
	var v string
	switch {
	case s.covered:
	case s.hasValue && (s.valueType == "float" || s.valueType == "percentage" || s.valueType == "currency"):
		v = s.value
	case s.hasStringVal && s.valueType == "string":
		v = s.stringValue
	default:
		v = string(s.textBuf)
	}
	if v == "" {
		s.emptyRun = min(s.emptyRun+s.cellRepeat, odsMaxCols+1)
		return nil
	}
	if int64(len(s.cells))+s.emptyRun+s.cellRepeat > odsMaxCols {
		return s.rowErr(fmt.Sprintf("at most %d columns", odsMaxCols),
			fmt.Errorf("%w: too many columns", datasets.ErrBadRow))
	}
	for ; s.emptyRun > 0; s.emptyRun-- {
		s.cells = append(s.cells, "")
	}
	for range s.cellRepeat {
		s.cells = append(s.cells, v)
	}
	return nil
}

// odsTable finds the Home Office table among the sheets and feeds its rows
// to a consumer.
type odsTable struct {
	name  string
	scan  *odsScanner
	sheet string
	c     *consumer
	// blankRun counts blank rows after the last data row: they are
	// counted as skipped only if a data row follows.
	blankRun int64
	best     struct {
		sheet   string
		row     int
		found   int
		missing string
	}
}

func (t *odsTable) startSheet(name string) {
	t.sheet, t.blankRun = name, 0
}

func (t *odsTable) endSheet() bool { return t.c != nil }

func blankCells(cells []string) bool {
	for _, v := range cells {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func (t *odsTable) rows(cells []string, first, repeat int64) error {
	blank := blankCells(cells)
	if t.c == nil {
		if blank {
			return nil
		}
		if first > headerSearchRows {
			t.scan.skipSheet()
			return nil
		}
		idx, n, missing := matchHeader(cells)
		if missing != "" {
			if n > t.best.found {
				t.best.sheet, t.best.row, t.best.found, t.best.missing = t.sheet, int(first), n, missing
			}
			return nil
		}
		if err := headerError(t.name, t.sheet, int(min(first, math.MaxInt32)), cells); err != nil {
			return err
		}
		t.c = newConsumer(t.name, t.sheet, cells, idx, true)
		t.scan.pad = t.c.width
		first, repeat = first+1, repeat-1
	}
	if repeat == 0 {
		return nil
	}
	if blank {
		t.blankRun += repeat
		return nil
	}
	if repeat > odsMaxRepeat {
		return &datasets.RowError{File: t.name, Sheet: t.sheet, Row: int(min(first, math.MaxInt32)),
			Want: fmt.Sprintf("a data row repeated at most %d times", odsMaxRepeat),
			Err:  fmt.Errorf("%w: row repeated %d times (table:number-rows-repeated)", datasets.ErrBadRow, repeat)}
	}
	if t.blankRun > 0 {
		t.c.stats.Read += t.blankRun
		t.c.stats.Skip(SkipBlankRow, t.blankRun)
		t.blankRun = 0
	}
	for row := first; row < first+repeat; row++ {
		if row > odsMaxRows {
			return &datasets.RowError{File: t.name, Sheet: t.sheet, Row: int(min(row, math.MaxInt32)),
				Want: fmt.Sprintf("at most %d rows", odsMaxRows), Err: fmt.Errorf("%w: too many rows", datasets.ErrBadRow)}
		}
		if row%ctxEvery == 0 {
			if err := t.scan.ctx.Err(); err != nil {
				return err
			}
		}
		if err := t.c.consume(int(row), cells); err != nil {
			return err
		}
	}
	return nil
}
