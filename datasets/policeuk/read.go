package policeuk

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/crimetrends/crimetrends/datasets"
)

// Column names the reader needs; the others are ignored but counted.
const (
	ColCrimeID    = "Crime ID"
	ColMonth      = "Month"
	ColReportedBy = "Reported by"
	ColCrimeType  = "Crime type"
)

// Skip reasons recorded in datasets.Stats.
const (
	ReasonDuplicate = "repeated Crime ID (duplicate row)"
	ReasonBlankLine = "blank line"
)

// Header is the header line of a data.police.uk street-level file.
const Header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"

// MaxRecordSize is the longest record (one row, including quoted newlines)
// the reader accepts, so that an unterminated quote cannot swallow a file.
const MaxRecordSize = 4 << 20

const (
	bufferSize = 1 << 20
	ctxEvery   = 1 << 16 // rows between context checks
)

// roles of the required columns, in the order of required.
const (
	roleID = iota
	roleMonth
	roleForce
	roleType
	nRoles
)

var required = [nRoles]string{ColCrimeID, ColMonth, ColReportedBy, ColCrimeType}

// Read reads one street-level CSV. name is the input's name for the
// Extract and for errors. It reads r to its end and hashes every byte.
//
// Columns are found by header name (in any order, any case); Crime ID,
// Month, Reported by and Crime type are required and every row must have as
// many fields as the header. A UTF-8 byte order mark, CRLF line ends and
// RFC 4180 quoting (commas, doubled quotes and newlines inside quotes) are
// accepted. Blank lines at the end are ignored; a blank line followed by
// more rows is read and skipped with ReasonBlankLine.
//
// The first bad row ends the read with a *datasets.RowError wrapping
// datasets.ErrNoSuchColumn, ErrBadHeader, ErrBadRow, ErrBadMonth,
// ErrUnknownForce (with the resolver's suggestions) or ErrUnknownOffence.
// On success Stats.Rejected is 0 and the counts are sorted with
// datasets.SortCounts. Read returns ctx.Err() (wrapped) when ctx ends.
func Read(ctx context.Context, name string, r io.Reader) (*datasets.Extract, error) {
	h := sha256.New()
	br := readerPool.Get().(*bufio.Reader)
	br.Reset(io.TeeReader(r, h))
	defer func() {
		br.Reset(nil)
		readerPool.Put(br)
	}()
	p := &parser{
		name:   name,
		br:     br,
		areaIx: map[string]int{},
		catIx:  map[string]int{},
		cells:  map[cellKey]*cell{},
		seenID: map[[64]byte]struct{}{},
	}
	if err := p.run(ctx); err != nil {
		return nil, err
	}
	return p.extract(hex.EncodeToString(h.Sum(nil))), nil
}

var readerPool = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bufferSize) }}

type cellKey struct {
	area  int
	month datasets.Month
}

// cell holds the counts of one (area, month) by local category index.
type cell struct {
	key    cellKey
	counts []int64
}

type parser struct {
	name string
	br   *bufio.Reader
	row  int // spreadsheet row of the last record: header = 1

	rec       []byte // record assembly when it spans buffer reads
	fieldBuf  []byte // unquoted fields of a quoted record
	fieldEnds []int

	ncols  int
	role   []int8 // column -> role or -1
	maxCol int    // last required column
	fields [nRoles][]byte

	// interning: raw bytes of the last value -> resolved index
	lastMonthRaw []byte
	lastMonth    datasets.Month
	lastForceRaw []byte
	lastArea     int
	lastTypeRaw  []byte
	lastCat      int
	haveMonth    bool
	haveForce    bool
	haveType     bool

	areas  []datasets.Area
	areaIx map[string]int // raw "Reported by" or area code -> index in areas
	cats   []string       // canonical category names
	catIx  map[string]int // raw "Crime type" or canonical name -> index in cats

	cells    map[cellKey]*cell
	lastCell *cell

	seenID    map[[64]byte]struct{}
	seenOther map[string]struct{}

	pendingBlank int64
	stats        datasets.Stats
}

var bom = []byte("\xEF\xBB\xBF")

func (p *parser) run(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("read %s: %w", p.name, err)
	}
	if b, err := p.br.Peek(len(bom)); err == nil && bytes.Equal(b, bom) {
		p.br.Discard(len(bom))
	}
	line, quoted, err := p.readRecord()
	if err == io.EOF {
		return &datasets.RowError{File: p.name, Err: datasets.ErrBadHeader,
			Want: fmt.Sprintf("the police.uk street-level header %q, not an empty file", Header)}
	}
	if err != nil {
		return err
	}
	if err := p.header(line, quoted); err != nil {
		return err
	}
	for {
		line, quoted, err := p.readRecord()
		if err == io.EOF {
			return nil // trailing blank lines are not rows
		}
		if err != nil {
			return err
		}
		if len(line) == 0 {
			p.pendingBlank++
			continue
		}
		if p.pendingBlank > 0 {
			p.stats.Read += p.pendingBlank
			p.stats.Skip(ReasonBlankLine, p.pendingBlank)
			p.pendingBlank = 0
		}
		p.stats.Read++
		if p.stats.Read%ctxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("read %s: %w", p.name, err)
			}
		}
		if err := p.record(line, quoted); err != nil {
			return err
		}
	}
}

// readRecord returns the next record without its line end, and whether it
// holds a quote. The slice is valid until the next call. It returns io.EOF
// when no bytes are left.
func (p *parser) readRecord() ([]byte, bool, error) {
	p.row++
	line, err := p.br.ReadSlice('\n')
	inRec := false // line is p.rec, not the reader's buffer
	if err == bufio.ErrBufferFull {
		inRec = true
		p.rec = append(p.rec[:0], line...)
		for err == bufio.ErrBufferFull {
			if len(p.rec) > MaxRecordSize {
				return nil, false, p.tooLong()
			}
			line, err = p.br.ReadSlice('\n')
			p.rec = append(p.rec, line...)
		}
		line = p.rec
	}
	if err != nil && err != io.EOF {
		return nil, false, fmt.Errorf("read %s: %w", p.name, err)
	}
	if len(line) == 0 && err == io.EOF {
		p.row--
		return nil, false, io.EOF
	}
	quoted := false
	if n := bytes.Count(line, quoteSep); n > 0 {
		quoted = true
		if n%2 == 1 { // inside quotes at the line end: the record goes on
			if !inRec {
				p.rec = append(p.rec[:0], line...)
			}
			for n%2 == 1 {
				if err == io.EOF {
					return nil, false, &datasets.RowError{File: p.name, Row: p.row, Err: datasets.ErrBadRow,
						Value: string(p.rec), Want: `a closing " before the end of the file`}
				}
				if len(p.rec) > MaxRecordSize {
					return nil, false, p.tooLong()
				}
				line, err = p.br.ReadSlice('\n')
				if err != nil && err != io.EOF && err != bufio.ErrBufferFull {
					return nil, false, fmt.Errorf("read %s: %w", p.name, err)
				}
				if err == bufio.ErrBufferFull {
					err = nil
				}
				n += bytes.Count(line, quoteSep)
				p.rec = append(p.rec, line...)
			}
			line = p.rec
		}
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, quoted, nil
}

func (p *parser) tooLong() error {
	return &datasets.RowError{File: p.name, Row: p.row, Err: datasets.ErrBadRow,
		Want: fmt.Sprintf("a row shorter than %d bytes (is a quote left open?)", MaxRecordSize)}
}

var (
	quoteSep = []byte{'"'}
	commaSep = []byte{','}
)

// splitQuoted splits a record holding quotes into p.fieldBuf/p.fieldEnds.
func (p *parser) splitQuoted(line []byte) error {
	p.fieldBuf, p.fieldEnds = p.fieldBuf[:0], p.fieldEnds[:0]
	pos := 0
	for {
		if pos < len(line) && line[pos] == '"' {
			pos++
			for {
				i := bytes.IndexByte(line[pos:], '"')
				if i < 0 {
					return p.badRow(line, `a closing " for the quoted field`)
				}
				p.fieldBuf = append(p.fieldBuf, line[pos:pos+i]...)
				pos += i + 1
				if pos < len(line) && line[pos] == '"' {
					p.fieldBuf = append(p.fieldBuf, '"')
					pos++
					continue
				}
				break
			}
			p.fieldEnds = append(p.fieldEnds, len(p.fieldBuf))
			if pos == len(line) {
				return nil
			}
			if line[pos] != ',' {
				return p.badRow(line, `a comma or the line end after a closing "`)
			}
			pos++
			continue
		}
		i := bytes.IndexByte(line[pos:], ',')
		field := line[pos:]
		if i >= 0 {
			field = line[pos : pos+i]
		}
		if bytes.IndexByte(field, '"') >= 0 {
			return p.badRow(line, `a " only at the start of a quoted field or doubled inside it`)
		}
		p.fieldBuf = append(p.fieldBuf, field...)
		p.fieldEnds = append(p.fieldEnds, len(p.fieldBuf))
		if i < 0 {
			return nil
		}
		pos += i + 1
	}
}

func (p *parser) badRow(line []byte, want string) error {
	return &datasets.RowError{File: p.name, Row: p.row, Err: datasets.ErrBadRow, Value: string(line), Want: want}
}

func (p *parser) header(line []byte, quoted bool) error {
	var names []string
	if quoted {
		if err := p.splitQuoted(line); err != nil {
			return err
		}
		start := 0
		for _, end := range p.fieldEnds {
			names = append(names, string(p.fieldBuf[start:end]))
			start = end
		}
	} else {
		names = strings.Split(string(line), ",")
	}
	p.ncols = len(names)
	p.role = make([]int8, len(names))
	found := [nRoles]int{-1, -1, -1, -1}
	seen := map[string]bool{}
	for i, n := range names {
		n = strings.TrimSpace(n)
		p.role[i] = -1
		key := strings.ToLower(n)
		if seen[key] {
			return &datasets.RowError{File: p.name, Row: 1, Column: n, Value: n, Err: datasets.ErrBadHeader,
				Want: "each column name once"}
		}
		seen[key] = true
		for r, want := range required {
			if strings.EqualFold(n, want) {
				found[r] = i
				p.role[i] = int8(r)
			}
		}
	}
	for r, i := range found {
		if i < 0 {
			return &datasets.RowError{File: p.name, Row: 1, Column: required[r], Value: required[r], Err: datasets.ErrNoSuchColumn,
				Want: fmt.Sprintf("a header with the columns %s (police.uk street-level: %q)",
					strings.Join(required[:], ", "), Header)}
		}
		p.maxCol = max(p.maxCol, i)
	}
	return nil
}

// split finds the required fields of line in p.fields and returns the
// number of fields.
func (p *parser) split(line []byte, quoted bool) (int, error) {
	if quoted {
		if err := p.splitQuoted(line); err != nil {
			return 0, err
		}
		start := 0
		for i, end := range p.fieldEnds {
			if i < len(p.role) && p.role[i] >= 0 {
				p.fields[p.role[i]] = p.fieldBuf[start:end]
			}
			start = end
		}
		return len(p.fieldEnds), nil
	}
	n, start := 0, 0
	for {
		j := bytes.IndexByte(line[start:], ',')
		end := len(line)
		if j >= 0 {
			end = start + j
		}
		if r := p.role[n]; r >= 0 {
			p.fields[r] = line[start:end]
		}
		n++
		if j < 0 {
			return n, nil
		}
		start = end + 1
		if n > p.maxCol {
			return n + bytes.Count(line[start:], commaSep) + 1, nil
		}
	}
}

func (p *parser) record(line []byte, quoted bool) error {
	n, err := p.split(line, quoted)
	if err != nil {
		return err
	}
	if n != p.ncols {
		return p.badRow(line, fmt.Sprintf("%d fields as in the header, not %d", p.ncols, n))
	}
	f := &p.fields
	if !p.haveMonth || !bytes.Equal(f[roleMonth], p.lastMonthRaw) {
		m, err := datasets.ParseMonth(string(bytes.TrimSpace(f[roleMonth])))
		if err != nil {
			return &datasets.RowError{File: p.name, Row: p.row, Column: ColMonth, Value: string(f[roleMonth]),
				Err: datasets.ErrBadMonth, Want: "a month as YYYY-MM"}
		}
		p.lastMonthRaw = append(p.lastMonthRaw[:0], f[roleMonth]...)
		p.lastMonth, p.haveMonth = m, true
	}
	if !p.haveForce || !bytes.Equal(f[roleForce], p.lastForceRaw) {
		a, err := p.area(f[roleForce])
		if err != nil {
			return err
		}
		p.lastForceRaw = append(p.lastForceRaw[:0], f[roleForce]...)
		p.lastArea, p.haveForce = a, true
	}
	if !p.haveType || !bytes.Equal(f[roleType], p.lastTypeRaw) {
		c, err := p.category(f[roleType])
		if err != nil {
			return err
		}
		p.lastTypeRaw = append(p.lastTypeRaw[:0], f[roleType]...)
		p.lastCat, p.haveType = c, true
	}
	if id := f[roleID]; len(id) > 0 && p.repeated(id) {
		p.stats.Skip(ReasonDuplicate, 1)
		return nil
	}
	key := cellKey{area: p.lastArea, month: p.lastMonth}
	c := p.lastCell
	if c == nil || c.key != key {
		c = p.cells[key]
		if c == nil {
			c = &cell{key: key}
			p.cells[key] = c
		}
		p.lastCell = c
	}
	for len(c.counts) <= p.lastCat {
		c.counts = append(c.counts, 0)
	}
	c.counts[p.lastCat]++
	p.stats.Used++
	return nil
}

func (p *parser) area(raw []byte) (int, error) {
	if i, ok := p.areaIx[string(raw)]; ok {
		return i, nil
	}
	a, err := datasets.ResolveForce(strings.TrimSpace(string(raw)))
	if err != nil {
		if !errors.Is(err, datasets.ErrUnknownForce) {
			err = fmt.Errorf("%w: %w", datasets.ErrUnknownForce, err)
		}
		return 0, &datasets.RowError{File: p.name, Row: p.row, Column: ColReportedBy, Value: string(raw),
			Err: err, Want: `a police force name such as "Wiltshire Police"`}
	}
	i, ok := p.areaIx[a.Code]
	if !ok {
		i = len(p.areas)
		p.areas = append(p.areas, a)
		p.areaIx[a.Code] = i
	}
	p.areaIx[string(raw)] = i
	return i, nil
}

func (p *parser) category(raw []byte) (int, error) {
	if i, ok := p.catIx[string(raw)]; ok {
		return i, nil
	}
	c, ok := datasets.CategoryByName(strings.TrimSpace(string(raw)))
	if !ok {
		var names []string
		for _, c := range datasets.Categories() {
			names = append(names, c.Name)
		}
		return 0, &datasets.RowError{File: p.name, Row: p.row, Column: ColCrimeType, Value: string(raw),
			Err: datasets.ErrUnknownOffence, Want: "a police.uk crime type: " + strings.Join(names, ", ")}
	}
	i, ok := p.catIx["\x00"+c.Name]
	if !ok {
		i = len(p.cats)
		p.cats = append(p.cats, c.Name)
		p.catIx["\x00"+c.Name] = i
	}
	p.catIx[string(raw)] = i
	return i, nil
}

// repeated records id and reports whether an earlier row had it. IDs of
// 64 bytes (police.uk's are 64 hex digits) are kept as arrays, so that
// recording them allocates nothing but the set's own growth.
func (p *parser) repeated(id []byte) bool {
	if len(id) == 64 {
		n := len(p.seenID)
		p.seenID[[64]byte(id)] = struct{}{}
		return len(p.seenID) == n
	}
	if p.seenOther == nil {
		p.seenOther = map[string]struct{}{}
	}
	if _, ok := p.seenOther[string(id)]; ok {
		return true
	}
	p.seenOther[string(id)] = struct{}{}
	return false
}

func (p *parser) extract(sum string) *datasets.Extract {
	ext := &datasets.Extract{Source: datasets.SourcePoliceUK, Name: p.name, SHA256: sum, Stats: p.stats}
	for _, c := range p.cells {
		code := p.areas[c.key.area].Code
		ext.Coverage = append(ext.Coverage, datasets.Coverage{Source: datasets.SourcePoliceUK, AreaCode: code,
			Start: c.key.month, End: c.key.month})
		for cat, n := range c.counts {
			if n == 0 {
				continue
			}
			ext.Counts = append(ext.Counts, datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: code,
				Offence: p.cats[cat], Start: c.key.month, End: c.key.month, Count: n})
		}
	}
	datasets.SortCounts(ext.Counts)
	sort.Slice(ext.Coverage, func(i, j int) bool {
		a, b := ext.Coverage[i], ext.Coverage[j]
		if a.AreaCode != b.AreaCode {
			return a.AreaCode < b.AreaCode
		}
		return a.Start < b.Start
	})
	return ext
}
