package policeuk

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
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
	if len(forceList) > 255 || len(catList) > 255 {
		panic("policeuk: more than 255 forces or categories")
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

	fieldBuf  []byte // unquoted fields of a quoted record
	fieldEnds []int
	fields    [nRoles][]byte

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
				res.err = fmt.Errorf("read %s: %w", s.name, err)
				return
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

// split finds the required fields of line in s.fields and returns the
// number of fields.
func (s *scanner) split(line []byte, quoted bool) (int, error) {
	if quoted {
		if err := s.splitQuoted(line); err != nil {
			return 0, err
		}
		start := 0
		for i, end := range s.fieldEnds {
			if i < len(s.cols.role) && s.cols.role[i] >= 0 {
				s.fields[s.cols.role[i]] = s.fieldBuf[start:end]
			}
			start = end
		}
		return len(s.fieldEnds), nil
	}
	return s.splitPlain(line), nil
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
	w ^= commas
	t := ^((w&low7 + low7) | w | low7) // 0x80 in each byte of w that is 0
	return (t >> 7) * gather >> 56
}

// splitPlain is split for a record without quotes. It finds the commas up
// to the last required column 64 bytes at a time with commaMask, which is
// faster than a bytes.IndexByte per field because the fields are short.
func (s *scanner) splitPlain(line []byte) int {
	role, maxCol := s.cols.role, s.cols.maxCol
	var f [nRoles][]byte // local: no write barriers in the loop
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
				s.fields = f
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
	s.fields = f
	return col + 1
}

func (s *scanner) record(line []byte, quoted bool) error {
	n, err := s.split(line, quoted)
	if err != nil {
		return err
	}
	if n != s.cols.ncols {
		return s.badRow(line, fmt.Sprintf("%d fields as in the header, not %d", s.cols.ncols, n))
	}
	f := &s.fields
	if !s.haveMonth || !bytes.Equal(f[roleMonth], s.lastMonthRaw) {
		m, err := datasets.ParseMonth(string(bytes.TrimSpace(f[roleMonth])))
		if err != nil {
			return &datasets.RowError{File: s.name, Row: s.row, Column: ColMonth, Value: string(f[roleMonth]),
				Err: datasets.ErrBadMonth, Want: "a month as YYYY-MM"}
		}
		s.lastMonthRaw = append(s.lastMonthRaw[:0], f[roleMonth]...)
		s.lastMonth, s.haveMonth = m, true
	}
	if !s.haveForce || !bytes.Equal(f[roleForce], s.lastForceRaw) {
		a, err := s.area(f[roleForce])
		if err != nil {
			return err
		}
		s.lastForceRaw = append(s.lastForceRaw[:0], f[roleForce]...)
		s.lastArea, s.haveForce = a, true
	}
	cat, err := s.category(f[roleType])
	if err != nil {
		return err
	}
	key := cellKey(s.lastMonth, s.lastArea)
	if id := f[roleID]; len(id) > 0 {
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
	return nil
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
		return 0, fmt.Errorf("read %s: force %s is not in datasets.Forces", s.name, a.Code)
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
		return 0, fmt.Errorf("read %s: category %q is not in datasets.Categories", s.name, c.Name)
	}
	s.catIx[string(raw)] = i
	return i, nil
}
