package policeuk

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

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

const ctxEvery = 1 << 16 // rows between context checks

// roles of the required columns, in the order of required.
const (
	roleID = iota
	roleMonth
	roleForce
	roleType
	nRoles
)

var required = [nRoles]string{ColCrimeID, ColMonth, ColReportedBy, ColCrimeType}

// Read reads one street-level CSV with ReadWith's defaults.
func Read(ctx context.Context, name string, r io.Reader) (*datasets.Extract, error) {
	return ReadWith(ctx, name, r, ReadOptions{})
}

// ReadOptions configures ReadWith.
type ReadOptions struct {
	// Workers is the number of blocks parsed at once; 0 means GOMAXPROCS,
	// at most 4. With 1, or when the input fits in one block (BlockSize),
	// the caller's goroutine does all the work.
	Workers int
	// Logger gets a warning with the count of late rows when rows arrive
	// for a (force, month) whose Crime ID set was already freed (see the
	// package documentation); nil discards.
	Logger *slog.Logger
	// Expect, when set, is the force and month the input's name says its
	// rows hold (ExpectFromName): a row with another "Reported by" force or
	// Month is an error.
	Expect Expect
	// CrimeIDs asks for the Extract's CrimeIDs: the hashed Crime ID of
	// every crime counted, with its category (8 bytes a crime). They are
	// held in memory, or, with Spill, written to that file as the read
	// goes (a buffer of keepBuffer at a time), so that memory does not
	// grow with the crimes.
	CrimeIDs bool
	Spill    *datasets.CrimeIDSpill
}

// ReadWith reads one street-level CSV. name is the input's name for the
// Extract and for errors. It reads r to its end and hashes every byte.
//
// Columns are found by header name (in any order, any case); Crime ID,
// Month, Reported by and Crime type are required and every row must have as
// many fields as the header. A UTF-8 byte order mark, CRLF line ends and
// RFC 4180 quoting (commas, doubled quotes and newlines inside quotes) are
// accepted. Blank lines at the end are ignored; a blank line followed by
// more rows is read and skipped with ReasonBlankLine.
//
// The first bad row in file order ends the read with a *datasets.RowError
// wrapping datasets.ErrNoSuchColumn, ErrBadHeader, ErrBadRow, ErrBadMonth,
// ErrUnknownForce (with the resolver's suggestions) or ErrUnknownOffence.
// On success Stats.Rejected is 0 and the counts are sorted with
// datasets.SortCounts. ReadWith returns ctx.Err() (wrapped) when ctx ends.
// The Extract does not depend on opts.Workers.
func ReadWith(ctx context.Context, name string, r io.Reader, opts ReadOptions) (*datasets.Extract, error) {
	return read(ctx, name, r, config{workers: opts.Workers, logger: opts.Logger, blockSize: BlockSize, window: DedupWindow,
		expect: opts.Expect, crimeIDs: opts.CrimeIDs, spill: opts.Spill, keep: keepBuffer})
}

// config is ReadOptions plus the sizes that tests shrink.
type config struct {
	workers   int
	logger    *slog.Logger
	blockSize int
	window    int  // DedupWindow
	plain     bool // tests: split every row with splitPlain or splitQuoted, the reference for the fast paths
	expect    Expect
	crimeIDs  bool
	spill     *datasets.CrimeIDSpill
	keep      int // Crime IDs buffered before they are handed on: keepBuffer
}

// reading is the state of one read.
type reading struct {
	ctx   context.Context
	name  string
	cfg   config
	br    *blockReader
	cols  *columns
	h     hash.Hash
	base  int   // rows before the next block to sequence (header = row 1)
	blank int64 // blank lines carried over from earlier blocks
	stats datasets.Stats
	dd    *dedup
	scans []*scanner
	exp   expectation
}

var bom = []byte("\xEF\xBB\xBF")

func read(ctx context.Context, name string, r io.Reader, cfg config) (*datasets.Extract, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read %q: %w", name, err)
	}
	exp, err := cfg.expect.resolve()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	rd := &reading{ctx: ctx, name: name, cfg: cfg, h: sha256.New(), base: 1, dd: newDedup(cfg.window), exp: exp,
		br: &blockReader{ctx: ctx, name: name, r: r, size: cfg.blockSize}}
	if cfg.crimeIDs {
		keep := cfg.keep
		if keep <= 0 {
			keep = keepBuffer
		}
		rd.dd.keep = newIDKeeper(cfg.spill, keep)
	}
	first, err := rd.br.next()
	if err != nil {
		return nil, err
	}
	if first == nil {
		return nil, emptyFile(name)
	}
	if err := rd.header(first); err != nil {
		return nil, err
	}
	if cfg.plain {
		rd.cols.street, rd.cols.fast = false, false
	}
	workers := cfg.workers
	if workers <= 0 {
		workers = min(runtime.GOMAXPROCS(0), maxWorkers)
	}
	if workers == 1 || rd.br.done {
		err = rd.sequential(first)
	} else {
		err = rd.parallel(first, workers)
	}
	if err != nil {
		return nil, err
	}
	if rd.dd.lateKeys > 0 && cfg.logger != nil {
		cfg.logger.Warn("police.uk rows arrived for a force and month after its Crime ID set was freed; repeats across the gap are not detected",
			"file", name, "late_rows", rd.dd.lateRows, "groups", rd.dd.lateKeys, "window_rows", cfg.window)
	}
	return rd.extract(hex.EncodeToString(rd.h.Sum(nil)))
}

func emptyFile(name string) error { return emptyHeader(name, Header) }

func emptyHeader(name, header string) error {
	what := "street-level"
	if header == OutcomesHeader {
		what = "outcomes"
	}
	return &datasets.RowError{File: name, Err: datasets.ErrBadHeader,
		Want: fmt.Sprintf("the police.uk %s header %q, not an empty file", what, header)}
}

// header reads the header from the first block and sets first.skip.
func (rd *reading) header(first *block) error {
	cols, err := readHeader(rd.ctx, rd.name, first, required, Header)
	if err != nil {
		return err
	}
	rd.cols = cols
	return nil
}

// readHeader reads the header of a file whose required columns are req (in
// role order) from its first block, and sets first.skip. header is the
// format's header line, for errors.
func readHeader(ctx context.Context, name string, first *block, req [nRoles]string, header string) (*columns, error) {
	s := newScanner(ctx, name)
	skip := 0
	if bytes.HasPrefix(first.data, bom) {
		skip = len(bom)
	}
	s.row = 0
	if first.tooLong {
		s.row = 1
		return nil, s.tooLong()
	}
	s.reset(first.data[skip:])
	line, quoted, ok, err := s.next()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, emptyHeader(name, header)
	}
	cols, err := s.header(line, quoted, req, header)
	if err != nil {
		return nil, err
	}
	first.skip = skip + s.pos
	return cols, nil
}

func (rd *reading) newScanner() *scanner {
	s := newScanner(rd.ctx, rd.name)
	s.cols = rd.cols
	s.exp = rd.exp
	rd.scans = append(rd.scans, s)
	return s
}

var idsPool sync.Pool // *[]idEntry

// scanBlock scans one block with s.
func (rd *reading) scanBlock(s *scanner, b *block) *result {
	res := &result{seq: b.seq}
	if p, ok := idsPool.Get().(*[]idEntry); ok {
		res.ids = (*p)[:0]
	}
	if b.tooLong {
		s.row = 1
		res.err = s.tooLong()
		return res
	}
	s.scan(b.data[b.skip:], res)
	return res
}

// sequence adds the result of the next block in file order.
func (rd *reading) sequence(res *result) error {
	if res.err != nil {
		var re *datasets.RowError
		if errors.As(res.err, &re) {
			re.Row += rd.base
		}
		return res.err
	}
	if err := rd.ctx.Err(); err != nil {
		return fmt.Errorf("read %q: %w", rd.name, err)
	}
	st := &rd.stats
	if res.read > res.blank { // the block has data rows
		if rd.blank > 0 {
			st.Read += rd.blank
			st.Skip(ReasonBlankLine, rd.blank)
		}
		rd.blank = res.trailing
	} else {
		rd.blank += res.trailing
	}
	st.Read += res.read
	st.Used += res.used
	if res.blank > 0 {
		st.Skip(ReasonBlankLine, res.blank)
	}
	if dups := rd.dd.add(res.ids, rd.base); dups > 0 {
		st.Used -= dups
		st.Skip(ReasonDuplicate, dups)
	}
	if err := rd.dd.keep.failed(rd.name); err != nil {
		return err
	}
	ids := res.ids[:0]
	idsPool.Put(&ids)
	res.ids = nil
	rd.base += res.records
	rd.dd.sweep(rd.base)
	return nil
}

// sequential reads every block in the calling goroutine.
func (rd *reading) sequential(b *block) error {
	s := rd.newScanner()
	for b != nil {
		rd.h.Write(b.data)
		res := rd.scanBlock(s, b)
		b.refs.Store(1)
		b.release()
		if err := rd.sequence(res); err != nil {
			return err
		}
		var err error
		if b, err = rd.br.next(); err != nil {
			return err
		}
	}
	return nil
}

// maxWorkers caps the default number of workers: the SHA-256 of the input,
// computed in order by one goroutine, limits the read to about 1 GB/s
// whatever the number of workers, and each worker holds blocks in memory.
const maxWorkers = 4

// parallel reads with a reader goroutine that cuts blocks, n workers that
// scan them, a goroutine that hashes them in order, and the calling
// goroutine sequencing the results in file order. At most 2n+2 blocks are
// in flight: a block holds a token from when it is read until it is
// scanned, hashed and sequenced.
func (rd *reading) parallel(first *block, n int) error {
	m := 2*n + 2
	tokens := make(chan struct{}, m) // one per block in flight
	work := make(chan *block, m)
	hashq := make(chan *block, m)
	results := make(chan *result, m)
	stop := make(chan struct{})
	var aborted atomic.Bool
	var wg sync.WaitGroup

	wg.Go(func() {
		for b := range hashq {
			if !aborted.Load() {
				rd.h.Write(b.data)
			}
			b.release()
		}
	})
	for range n {
		s := rd.newScanner()
		wg.Go(func() {
			for b := range work {
				var res *result
				if aborted.Load() {
					res = &result{seq: b.seq, err: errAborted}
				} else {
					res = rd.scanBlock(s, b)
				}
				res.blk = b
				b.release()
				results <- res
			}
		})
	}
	wg.Go(func() {
		defer close(hashq)
		defer close(work)
		b := first
		for {
			select {
			case <-stop:
				return
			default:
			}
			select {
			case tokens <- struct{}{}:
			case <-stop:
				return
			}
			if b == nil {
				results <- &result{seq: rd.br.seq, end: true}
				return
			}
			b.refs.Store(3) // hasher, worker, sequencer
			b.tokens = tokens
			hashq <- b
			work <- b
			var err error
			if b, err = rd.br.next(); err != nil {
				results <- &result{seq: rd.br.seq, err: err}
				return
			}
		}
	})

	pending := map[int]*result{}
	var err error
	for next := 0; ; {
		res, ok := pending[next]
		if !ok {
			res = <-results
			pending[res.seq] = res
			continue
		}
		delete(pending, next)
		next++
		if res.blk != nil {
			res.blk.release()
		} else {
			<-tokens // the reader's last result: end or error
		}
		if res.end {
			break
		}
		if err = rd.sequence(res); err != nil {
			aborted.Store(true)
			break
		}
	}
	close(stop)
	wg.Wait()
	return err
}

var errAborted = errors.New("read aborted")

// extract merges the workers' counts, removes the repeats and builds the
// Extract.
func (rd *reading) extract(sum string) (*datasets.Extract, error) {
	ext := &datasets.Extract{Source: datasets.SourcePoliceUK, Name: rd.name, SHA256: sum, Stats: rd.stats}
	cells := map[uint32][]int64{}
	for _, s := range rd.scans {
		for k, c := range s.cells {
			t := cells[k]
			if t == nil {
				t = make([]int64, len(catList))
				cells[k] = t
			}
			for i, n := range *c {
				t[i] += n
			}
		}
	}
	for k, n := range rd.dd.dups {
		cells[uint32(k>>8)][uint8(k)] -= n
	}
	for k, c := range cells {
		code := forceList[keyArea(k)].Code
		m := keyMonth(k)
		ext.Coverage = append(ext.Coverage, datasets.Coverage{Source: datasets.SourcePoliceUK, AreaCode: code,
			Start: m, End: m})
		for cat, n := range c {
			if n == 0 {
				continue
			}
			ext.Counts = append(ext.Counts, datasets.Count{Source: datasets.SourcePoliceUK, AreaCode: code,
				Offence: catList[cat].Name, Start: m, End: m, Count: n})
		}
	}
	datasets.SortCounts(ext.Counts)
	if rd.dd.keep != nil {
		var err error
		if ext.CrimeIDs, err = rd.dd.keep.crimeIDs(); err != nil {
			return nil, fmt.Errorf("read %q: %w", rd.name, err)
		}
	}
	sort.Slice(ext.Coverage, func(i, j int) bool {
		a, b := ext.Coverage[i], ext.Coverage[j]
		if a.AreaCode != b.AreaCode {
			return a.AreaCode < b.AreaCode
		}
		return a.Start < b.Start
	})
	return ext, nil
}

var (
	quoteSep = []byte{'"'}
	commaSep = []byte{','}
)

func (s *scanner) header(line []byte, quoted bool, required [nRoles]string, header string) (*columns, error) {
	var names []string
	if quoted {
		if err := s.splitQuoted(line); err != nil {
			return nil, err
		}
		start := 0
		for _, end := range s.fieldEnds {
			names = append(names, string(s.fieldBuf[start:end]))
			start = end
		}
	} else {
		names = strings.Split(string(line), ",")
	}
	cols := &columns{ncols: len(names), role: make([]int8, len(names))}
	found := [nRoles]int{-1, -1, -1, -1}
	seen := map[string]bool{}
	for i, n := range names {
		n = strings.TrimSpace(n)
		cols.role[i] = -1
		key := strings.ToLower(n)
		if seen[key] {
			return nil, &datasets.RowError{File: s.name, Row: 1, Column: n, Value: n, Err: datasets.ErrBadHeader,
				Want: "each column name once"}
		}
		seen[key] = true
		for r, want := range required {
			if strings.EqualFold(n, want) {
				found[r] = i
				cols.role[i] = int8(r)
			}
		}
	}
	for r, i := range found {
		if i < 0 {
			what := "street-level"
			if header == OutcomesHeader {
				what = "outcomes"
			}
			return nil, &datasets.RowError{File: s.name, Row: 1, Column: required[r], Value: required[r], Err: datasets.ErrNoSuchColumn,
				Want: fmt.Sprintf("a header with the columns %s (police.uk %s: %q)",
					strings.Join(required[:], ", "), what, header)}
		}
		cols.maxCol = max(cols.maxCol, i)
	}
	cols.layout(found)
	return cols, nil
}
