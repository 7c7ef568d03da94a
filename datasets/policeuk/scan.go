package policeuk

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
	"sort"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// Global indices of areas (datasets.Forces) and categories
// (datasets.Categories), shared by every worker so that their counts merge
// by index.
var (
	forceList = datasets.Forces()
	catList   = datasets.Categories()
	forceIdx  = map[string]uint8{} // area code -> index in forceList
	catIdx    = map[string]uint8{} // canonical name -> index in catList
)

func init() {
	if len(forceList) > 255 || len(catList) > catMask+1 {
		panic("policeuk: more than 255 forces or 16 categories")
	}
	for i, a := range forceList {
		forceIdx[a.Code] = uint8(i)
	}
	for i, c := range catList {
		catIdx[c.Name] = uint8(i)
	}
}

// cellKey packs a month and an area index.
func cellKey(m datasets.Month, area uint8) uint32 { return uint32(m)<<8 | uint32(area) }

func keyMonth(k uint32) datasets.Month { return datasets.Month(k >> 8) }
func keyArea(k uint32) uint8           { return uint8(k) }

// columns is what the header says about the columns.
type columns struct {
	ncols  int
	role   []int8 // column -> role or -1
	maxCol int    // last required column

	// The fast split (splitFast) finds the first front columns from the
	// line's start, the last back columns from its end, and only counts
	// the commas of the columns between, which hold no required column.
	// fast is false when no column lies between.
	front, back int
	fast        bool
	street      bool // recordStreet applies: Crime ID, Month, Reported by first, Crime type third from last
}

// layout sets front, back, fast and street from the columns of the roles
// (found). It makes the run of columns between front and back, which the
// fast split only counts, the longest run without a required column that
// follows a required column (the columns before the first required one
// are split from the start).
func (c *columns) layout(found [nRoles]int) {
	req := append([]int(nil), found[:]...)
	sort.Ints(req)
	best := -1
	for i, col := range req {
		next := c.ncols // the run after the last required column ends the line
		if i+1 < len(req) {
			next = req[i+1]
		}
		if gap := next - col - 1; gap > 0 && gap > best {
			best = gap
			c.front = col + 1
			c.back = c.ncols - next
		}
	}
	c.fast = best > 0
	c.street = c.fast && c.front == 3 && c.back == 3 && c.role[0] == roleID && c.role[1] == roleMonth &&
		c.role[2] == roleForce && c.role[c.ncols-3] == roleType
}

// result is what scanning one block gives the sequencer.
type result struct {
	seq      int
	records  int   // records in the block, blank lines included
	read     int64 // rows read: non-blank records and blank lines before them in the block
	used     int64 // non-blank records (before removing repeats)
	blank    int64 // blank lines followed by a non-blank record in the block
	trailing int64 // blank lines after the block's last non-blank record
	ids      []idEntry
	err      error // with Row counted from the block's start
	end      bool  // no more blocks
	blk      *block
}

// scanner parses and aggregates blocks. Each worker has its own; its
// caches and counts persist from block to block.
type scanner struct {
	ctx  context.Context
	name string
	cols *columns

	// the block being scanned
	data      []byte
	pos       int
	nextQuote int // index of the next '"' at or after pos, or len(data)
	row       int // records so far in the block
	lineQuote int // index in the record next returned of its first '"', if quoted

	fieldBuf  []byte // unquoted fields of a quoted record
	fieldEnds []int

	tails     [tailSlots]tailSlot // line ends seen by recordStreet
	types     [typeSlots]typeSlot // Crime types seen by recordStreet
	lastSpan  []byte              // "Month,Reported by" of the last row recordStreet counted
	spanComma int                 // index of the comma in lastSpan
	haveSpan  bool                // lastSpan gives lastMonth and lastArea

	// interning: raw bytes of the last value -> resolved index
	lastMonthRaw []byte
	lastMonth    datasets.Month
	lastForceRaw []byte
	lastArea     uint8
	haveMonth    bool
	haveForce    bool

	catCache [64]catSlot // direct-mapped cache of raw "Crime type" values

	areaIx map[string]uint8 // raw "Reported by" -> area index
	catIx  map[string]uint8 // raw "Crime type" -> category index

	cells    map[uint32]*[]int64 // cellKey -> counts by category index
	lastKey  uint32
	lastCell *[]int64

	exp expectation // what the file's name says every row holds

	res *result
}

func newScanner(ctx context.Context, name string) *scanner {
	return &scanner{ctx: ctx, name: name, areaIx: map[string]uint8{}, catIx: map[string]uint8{},
		cells: map[uint32]*[]int64{}}
}

// catSlot caches one raw "Crime type" value.
type catSlot struct {
	raw []byte
	cat uint8
}

// reset starts scanning data.
func (s *scanner) reset(data []byte) {
	s.data, s.pos, s.row = data, 0, 0
	s.nextQuote = bytes.IndexByte(data, '"')
	if s.nextQuote < 0 {
		s.nextQuote = len(data)
	}
}

// next returns the next record without its line end, and whether it holds
// a quote; ok is false at the end of the data. A record whose quotes are
// still open at the end of the data, or longer than MaxRecordSize, is an
// error.
func (s *scanner) next() (line []byte, quoted, ok bool, err error) {
	data, pos := s.data, s.pos
	if pos >= len(data) {
		return nil, false, false, nil
	}
	s.row++
	end, next := len(data), len(data)
	if i := bytes.IndexByte(data[pos:], '\n'); i >= 0 {
		end, next = pos+i, pos+i+1
	}
	if s.nextQuote < end {
		quoted = true
		s.lineQuote = s.nextQuote - pos
		n := bytes.Count(data[pos:end], quoteSep)
		for n%2 == 1 {
			if next >= len(data) {
				return nil, false, false, &datasets.RowError{File: s.name, Row: s.row, Err: datasets.ErrBadRow,
					Value: string(data[pos:]), Want: `a closing " before the end of the file`}
			}
			if next-pos > MaxRecordSize {
				return nil, false, false, s.tooLong()
			}
			start := next
			end, next = len(data), len(data)
			if i := bytes.IndexByte(data[start:], '\n'); i >= 0 {
				end, next = start+i, start+i+1
			}
			n += bytes.Count(data[start:end], quoteSep)
		}
		s.nextQuote = len(data)
		if next < len(data) {
			if i := bytes.IndexByte(data[next:], '"'); i >= 0 {
				s.nextQuote = next + i
			}
		}
	}
	if end-pos > MaxRecordSize {
		return nil, false, false, s.tooLong()
	}
	s.pos = next
	line = data[pos:end]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, quoted, true, nil
}

func (s *scanner) tooLong() error {
	return &datasets.RowError{File: s.name, Row: s.row, Err: datasets.ErrBadRow,
		Want: fmt.Sprintf("a row shorter than %d bytes (is a quote left open?)", MaxRecordSize)}
}

func (s *scanner) badRow(line []byte, want string) error {
	return &datasets.RowError{File: s.name, Row: s.row, Err: datasets.ErrBadRow, Value: string(line), Want: want}
}

// scan parses and aggregates one block of data rows. Row numbers in its
// errors count from the block's start.
func (s *scanner) scan(data []byte, res *result) {
	s.res = res
	s.reset(data)
	var pending int64 // blank lines since the last non-blank record
	for {
		line, quoted, ok, err := s.next()
		if err != nil {
			res.err = err
			return
		}
		if !ok {
			break
		}
		if len(line) == 0 {
			pending++
			continue
		}
		if pending > 0 {
			res.read += pending
			res.blank += pending
			pending = 0
		}
		res.read++
		if s.row%ctxEvery == 0 {
			if err := s.ctx.Err(); err != nil {
				res.err = fmt.Errorf("read %q: %w", s.name, err)
				return
			}
		}
		if s.cols.street {
			if done, err := s.recordStreet(line, quoted); done {
				if err != nil {
					res.err = err
					return
				}
				continue
			}
		}
		if err := s.record(line, quoted); err != nil {
			res.err = err
			return
		}
	}
	res.records = s.row
	res.trailing = pending
	s.data = nil
}

// splitQuoted splits a record holding quotes into s.fieldBuf/s.fieldEnds.
func (s *scanner) splitQuoted(line []byte) error {
	s.fieldBuf, s.fieldEnds = s.fieldBuf[:0], s.fieldEnds[:0]
	pos := 0
	for {
		if pos < len(line) && line[pos] == '"' {
			pos++
			for {
				i := bytes.IndexByte(line[pos:], '"')
				if i < 0 {
					return s.badRow(line, `a closing " for the quoted field`)
				}
				s.fieldBuf = append(s.fieldBuf, line[pos:pos+i]...)
				pos += i + 1
				if pos < len(line) && line[pos] == '"' {
					s.fieldBuf = append(s.fieldBuf, '"')
					pos++
					continue
				}
				break
			}
			s.fieldEnds = append(s.fieldEnds, len(s.fieldBuf))
			if pos == len(line) {
				return nil
			}
			if line[pos] != ',' {
				return s.badRow(line, `a comma or the line end after a closing "`)
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
			return s.badRow(line, `a " only at the start of a quoted field or doubled inside it`)
		}
		s.fieldBuf = append(s.fieldBuf, field...)
		s.fieldEnds = append(s.fieldEnds, len(s.fieldBuf))
		if i < 0 {
			return nil
		}
		pos += i + 1
	}
}

// fields holds the required fields of a record, by role.
type fields [nRoles][]byte

// split finds the required fields of line in f and returns the number of
// fields.
func (s *scanner) split(line []byte, quoted bool, f *fields) (int, error) {
	c := s.cols
	if quoted {
		if err := s.splitQuoted(line); err != nil {
			return 0, err
		}
		start := 0
		for i, end := range s.fieldEnds {
			if i < len(c.role) && c.role[i] >= 0 {
				f[c.role[i]] = s.fieldBuf[start:end]
			}
			start = end
		}
		return len(s.fieldEnds), nil
	}
	if c.fast && !c.street && s.splitFast(line, f) { // street: recordStreet has failed
		return c.ncols, nil
	}
	return s.splitPlain(line, f), nil
}

// splitFast is split for a record without quotes that has as many fields
// as the header; it reports false, leaving f to splitPlain, for any
// other. It finds the front columns from the start, the back columns from
// the end (most of a police.uk line, from Falls within to LSOA name, lies
// between Reported by and Crime type), and counts the commas between with
// bytes.Count, so it looks at each byte of the skipped columns once with
// SIMD rather than one word at a time.
func (s *scanner) splitFast(line []byte, f *fields) bool {
	c := s.cols
	role := c.role
	p := 0
	for col := 0; col < c.front; col++ {
		i := indexComma(line[p:])
		if i < 0 {
			return false
		}
		if r := role[col]; r >= 0 {
			f[r] = line[p : p+i]
		}
		p += i + 1
	}
	e := len(line)
	for col := c.ncols - 1; col >= c.ncols-c.back; col-- {
		i := lastComma(line[p:e])
		if i < 0 {
			return false
		}
		if r := role[col]; r >= 0 {
			f[r] = line[p+i+1 : e]
		}
		e = p + i
	}
	return bytes.Count(line[p:e], commaSep) == c.ncols-c.front-c.back-1
}

// Caches of recordStreet, direct-mapped by a word of the line. A hit is
// checked byte for byte, so the caches only save work: they never change
// a result.
const (
	tailSlots = 64
	typeSlots = 128
	slotMul   = 0x9e3779b97f4a7c15
	maxTail   = 96 // longer ends are not cached
)

// tailSlot caches the end of a line after its Crime type: ",<Last outcome
// category>,<Context>" (two commas).
type tailSlot struct{ tail []byte }

// typeSlot caches a Crime type value (no comma) and its category.
type typeSlot struct {
	raw []byte
	cat uint8
}

// recordStreet is record for a line in the layout of police.uk's files
// (columns.street): Crime ID, Month and Reported by first, Crime type
// third from last. It reports false, having changed nothing, when the line
// does not have as many fields as the header or has quotes outside the
// columns between Reported by and Crime type: record then splits it. It
// finds the first three fields from the start and the last three from the
// end, and only counts the fields between them (commas with bytes.Count
// when the line has no quote; quotedFields when it has). The
// line's end after Crime type (a dozen outcomes) and its Crime type (14
// categories) repeat from row to row: rather than look for their commas
// word by word, it looks them up in s.tails and s.types, keyed by a word
// of the line, and checks the bytes.
func (s *scanner) recordStreet(line []byte, quoted bool) (bool, error) {
	a := indexComma(line)
	if a < 0 {
		return false, nil
	}
	// Month and Reported by: most often those of the last row, whose
	// "Month,Reported by" (one comma) is s.lastSpan.
	var b, c int
	sameSpan := false
	if sp := s.lastSpan; s.haveSpan {
		if e := a + 1 + len(sp); e < len(line) && line[e] == ',' && bytes.Equal(line[a+1:e], sp) {
			b, c, sameSpan = a+1+s.spanComma, e, true
		}
	}
	if !sameSpan {
		if b = indexComma(line[a+1:]) + a + 1; b <= a {
			return false, nil
		}
		if c = indexComma(line[b+1:]) + b + 1; c <= b {
			return false, nil
		}
	}
	if quoted && s.lineQuote <= c {
		return false, nil // a quote in the first three fields
	}
	mid := line[c+1:] // Falls within .. Context
	n := len(mid)
	var y int // the comma after Crime type
	var tail *tailSlot
	if n >= 8 {
		tail = &s.tails[binary.LittleEndian.Uint64(mid[n-8:])*slotMul>>(64-6)]
		if t := tail.tail; len(t) > 0 && len(t) < n && bytes.Equal(mid[n-len(t):], t) {
			y, tail = n-len(t), nil
		}
	}
	if tail != nil || n < 8 {
		z := lastComma(mid)
		if z < 0 {
			return false, nil
		}
		if y = lastComma(mid[:z]); y < 0 {
			return false, nil
		}
		if tail != nil && n-y <= maxTail {
			tail.tail = append(tail.tail[:0], mid[y:]...)
		}
	}
	cat, x := -1, -1
	var miss *typeSlot
	if y >= 8 {
		ts := &s.types[binary.LittleEndian.Uint64(mid[y-8:y])*slotMul>>(64-7)]
		if r := ts.raw; len(r) > 0 && len(r) < y && mid[y-len(r)-1] == ',' && bytes.Equal(mid[y-len(r):y], r) {
			cat, x = int(ts.cat), y-len(r)-1
		} else {
			miss = ts
		}
	}
	if x < 0 {
		if x = lastComma(mid[:y]); x < 0 {
			return false, nil
		}
	}
	if !quoted {
		if bytes.Count(mid[:x], commaSep) != s.cols.ncols-7 {
			return false, nil
		}
	} else if bytes.LastIndexByte(mid, '"') >= x || quotedFields(mid[:x]) != s.cols.ncols-6 {
		// The quotes are not all in the columns between, or those do not
		// split into the right number of fields as RFC 4180 says.
		return false, nil
	}
	if !sameSpan {
		if err := s.monthForce(line[a+1:b], line[b+1:c]); err != nil {
			return true, err
		}
		s.lastSpan, s.spanComma, s.haveSpan = append(s.lastSpan[:0], line[a+1:c]...), b-a-1, true
	}
	if cat < 0 {
		raw := mid[x+1 : y]
		c, err := s.category(raw)
		if err != nil {
			return true, err
		}
		if miss != nil {
			miss.raw, miss.cat = append(miss.raw[:0], raw...), c
		}
		cat = int(c)
	}
	s.count(line[:a], uint8(cat))
	return true, nil
}

// quotedFields returns the number of fields of m, a run of whole fields
// holding quotes, or -1 when splitQuoted would report an error.
func quotedFields(m []byte) int {
	n, pos := 1, 0
	for {
		if pos < len(m) && m[pos] == '"' {
			pos++
			for {
				i := bytes.IndexByte(m[pos:], '"')
				if i < 0 {
					return -1
				}
				pos += i + 1
				if pos < len(m) && m[pos] == '"' {
					pos++
					continue
				}
				break
			}
			if pos == len(m) {
				return n
			}
			if m[pos] != ',' {
				return -1
			}
			pos++
			n++
			continue
		}
		i := bytes.IndexByte(m[pos:], ',')
		field := m[pos:]
		if i >= 0 {
			field = m[pos : pos+i]
		}
		if bytes.IndexByte(field, '"') >= 0 {
			return -1
		}
		if i < 0 {
			return n
		}
		pos += i + 1
		n++
	}
}

// commaBytes returns 0x80 in each byte of w that is a comma and 0 in the
// others (exact: no false positives from borrows).
func commaBytes(w uint64) uint64 {
	w ^= commas
	return ^((w&low7 + low7) | w | low7)
}

// indexComma is bytes.IndexByte(b, ','), with the first word looked at
// directly: most fields before the skipped ones are short.
func indexComma(b []byte) int {
	if len(b) < 8 {
		return bytes.IndexByte(b, ',')
	}
	if t := commaBytes(binary.LittleEndian.Uint64(b)); t != 0 {
		return bits.TrailingZeros64(t) >> 3
	}
	if i := bytes.IndexByte(b[8:], ','); i >= 0 {
		return i + 8
	}
	return -1
}

// lastComma is bytes.LastIndexByte(b, ','), a word at a time.
func lastComma(b []byte) int {
	e := len(b)
	for ; e >= 8; e -= 8 {
		if t := commaBytes(binary.LittleEndian.Uint64(b[e-8:])); t != 0 {
			return e - 1 - bits.LeadingZeros64(t)>>3
		}
	}
	for e > 0 {
		e--
		if b[e] == ',' {
			return e
		}
	}
	return -1
}

// Byte masks for commaMask.
const (
	commas = 0x2c2c2c2c2c2c2c2c
	low7   = 0x7f7f7f7f7f7f7f7f
	gather = 0x0102040810204080 // moves bit 8k to bit 56+k
)

// commaMask returns a mask of the commas in the first 64 bytes of b: bit k
// is set when b[k] is a comma. It has no data-dependent branches.
func commaMask(b []byte) uint64 {
	var m uint64
	k := 0
	for ; k < 8 && 8*k+8 <= len(b); k++ {
		m |= wordMask(binary.LittleEndian.Uint64(b[8*k:8*k+8])) << (8 * k)
	}
	if k < 8 && 8*k < len(b) {
		var t [8]byte // zero padding: not commas
		copy(t[:], b[8*k:])
		m |= wordMask(binary.LittleEndian.Uint64(t[:])) << (8 * k)
	}
	return m
}

// wordMask returns a byte mask of the commas in the word w: bit k is set
// when byte k is a comma.
func wordMask(w uint64) uint64 {
	return (commaBytes(w) >> 7) * gather >> 56
}

// splitPlain is split for a record without quotes. It finds the commas up
// to the last required column 64 bytes at a time with commaMask.
func (s *scanner) splitPlain(line []byte, f *fields) int {
	role, maxCol := s.cols.role, s.cols.maxCol
	col, start := 0, 0
	for base := 0; base < len(line); base += 64 {
		for m := commaMask(line[base:]); m != 0; {
			pos := base + bits.TrailingZeros64(m)
			if r := role[col]; r >= 0 {
				f[r] = line[start:pos]
			}
			col++
			start = pos + 1
			m &= m - 1
			if col > maxCol {
				n := col + 1 + bits.OnesCount64(m)
				if rest := base + 64; rest < len(line) {
					n += bytes.Count(line[rest:], commaSep)
				}
				return n
			}
		}
	}
	if r := role[col]; r >= 0 {
		f[r] = line[start:]
	}
	return col + 1
}

func (s *scanner) record(line []byte, quoted bool) error {
	var f fields
	n, err := s.split(line, quoted, &f)
	if err != nil {
		return err
	}
	if n != s.cols.ncols {
		return s.badRow(line, fmt.Sprintf("%d fields as in the header, not %d", s.cols.ncols, n))
	}
	s.haveSpan = false // the month and force may change here
	if err := s.monthForce(f[roleMonth], f[roleForce]); err != nil {
		return err
	}
	cat, err := s.category(f[roleType])
	if err != nil {
		return err
	}
	s.count(f[roleID], cat)
	return nil
}

// monthForce sets s.lastMonth and s.lastArea from a row's Month and
// Reported by.
func (s *scanner) monthForce(month, force []byte) error {
	if !s.haveMonth || !bytes.Equal(month, s.lastMonthRaw) {
		m, err := datasets.ParseMonth(string(bytes.TrimSpace(month)))
		if err != nil {
			return &datasets.RowError{File: s.name, Row: s.row, Column: ColMonth, Value: string(month),
				Err: datasets.ErrBadMonth, Want: "a month as YYYY-MM"}
		}
		if s.exp.hasMonth && m != s.exp.month {
			return s.notAsNamed(ColMonth, month, s.exp.month.String())
		}
		s.lastMonthRaw = append(s.lastMonthRaw[:0], month...)
		s.lastMonth, s.haveMonth = m, true
	}
	if !s.haveForce || !bytes.Equal(force, s.lastForceRaw) {
		a, err := s.area(force)
		if err != nil {
			return err
		}
		if s.exp.hasArea && a != s.exp.area {
			return s.notAsNamed(ColReportedBy, force, forceList[s.exp.area].Force)
		}
		s.lastForceRaw = append(s.lastForceRaw[:0], force...)
		s.lastArea, s.haveForce = a, true
	}
	return nil
}

// notAsNamed is the error for a row whose column col holds raw where the
// file's name says want.
func (s *scanner) notAsNamed(col string, raw []byte, want string) error {
	return &datasets.RowError{File: s.name, Row: s.row, Column: col, Value: string(raw), Err: datasets.ErrNotAsNamed,
		Want: fmt.Sprintf("%s, as %s says (a data.police.uk file holds one force's month: "+
			"correct the row, or rename the file for the force and month its rows hold)", want, s.exp.from)}
}

// count counts a used row of category cat in s.lastMonth and s.lastArea,
// and hands its Crime ID, if any, to the sequencer.
func (s *scanner) count(id []byte, cat uint8) {
	key := cellKey(s.lastMonth, s.lastArea)
	if len(id) > 0 {
		h1, h2 := hash128(id)
		s.res.ids = append(s.res.ids, idEntry{h1: h1, h2: h2, key: key, cat: cat})
	}
	c := s.lastCell
	if c == nil || s.lastKey != key {
		c = s.cells[key]
		if c == nil {
			cs := make([]int64, len(catList))
			c = &cs
			s.cells[key] = c
		}
		s.lastCell, s.lastKey = c, key
	}
	(*c)[cat]++
	s.res.used++
}

func (s *scanner) area(raw []byte) (uint8, error) {
	if i, ok := s.areaIx[string(raw)]; ok {
		return i, nil
	}
	a, err := datasets.ResolveForce(strings.TrimSpace(string(raw)))
	if err != nil {
		if !errors.Is(err, datasets.ErrUnknownForce) {
			err = fmt.Errorf("%w: %w", datasets.ErrUnknownForce, err)
		}
		return 0, &datasets.RowError{File: s.name, Row: s.row, Column: ColReportedBy, Value: string(raw),
			Err: err, Want: `a police force name such as "Wiltshire Police"`}
	}
	i, ok := forceIdx[a.Code]
	if !ok {
		return 0, fmt.Errorf("read %q: force %s is not in datasets.Forces", s.name, a.Code)
	}
	s.areaIx[string(raw)] = i
	return i, nil
}

func (s *scanner) category(raw []byte) (uint8, error) {
	var slot *catSlot
	if n := len(raw); n > 0 {
		slot = &s.catCache[(uint(n)*131+uint(raw[0])*31+uint(raw[n/2]))&63]
		if bytes.Equal(slot.raw, raw) {
			return slot.cat, nil
		}
	}
	if i, ok := s.catIx[string(raw)]; ok {
		if slot != nil {
			slot.raw, slot.cat = append(slot.raw[:0], raw...), i
		}
		return i, nil
	}
	c, ok := datasets.CategoryByName(strings.TrimSpace(string(raw)))
	if !ok {
		var names []string
		for _, c := range catList {
			names = append(names, c.Name)
		}
		return 0, &datasets.RowError{File: s.name, Row: s.row, Column: ColCrimeType, Value: string(raw),
			Err: datasets.ErrUnknownOffence, Want: "a police.uk crime type: " + strings.Join(names, ", ")}
	}
	i, ok := catIdx[c.Name]
	if !ok {
		return 0, fmt.Errorf("read %q: category %q is not in datasets.Categories", s.name, c.Name)
	}
	s.catIx[string(raw)] = i
	return i, nil
}
