package policeuk

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// OutcomesHeader is the header line of a data.police.uk outcomes file.
const OutcomesHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type"

// ColOutcomeType is the outcomes file's column of the outcome.
const ColOutcomeType = "Outcome type"

// ReasonExactDuplicate is the skip reason of an outcomes row that repeats an
// earlier row of the same force and month byte for byte.
const ReasonExactDuplicate = "exact duplicate row"

var outcomesRequired = [nRoles]string{ColCrimeID, ColMonth, ColReportedBy, ColOutcomeType}

// noID is the key of an outcome row without a Crime ID: its low bit is
// set, so no CrimeKey equals it.
const noID = 1

// Outcomes is what ReadOutcomes makes of an outcomes file: its accounting
// and coverage, and the Crime ID of every outcome counted, waiting for
// Type to find each crime's category.
type Outcomes struct {
	// Extract has Source datasets.SourcePoliceUKOutcomes, the input's
	// Name, SHA256, Coverage (one key per force and month) and Stats;
	// Type fills its Outcomes.
	Extract *datasets.Extract
	groups  map[outcomeKey][]uint64 // the CrimeKey of each outcome counted (noID without one)
	types   []string                // outcome types by index: outcomeList, then those it does not hold
}

// outcomeKey is a force, month and outcome type (index in the reading's
// types).
type outcomeKey struct {
	cell    uint32 // cellKey
	outcome uint16
}

var outcomeList = datasets.OutcomeTypes()

// outcomeExamples are outcome types an error gives as examples.
const outcomeExamples = `"Suspect charged", "Offender given a caution" or "Under investigation"`

// MaxUnknownOutcomeTypes is how many outcome types crimetrends does not
// know one outcomes file may hold: data.police.uk adds one now and then,
// and a file with hundreds is not an outcomes file read right.
const MaxUnknownOutcomeTypes = 100

// ReadOutcomes reads one data.police.uk outcomes file (or several
// concatenated under one header): one row per outcome recorded, with
// columns found by header name in any order and case (Crime ID, Month,
// Reported by and Outcome type are required; every row must have as many
// fields as the header). It accepts what ReadWith accepts (a byte order
// mark, CRLF line ends, RFC 4180 quoting, blank lines) and checks every
// row: a month YYYY-MM, a known force (counted against "Reported by"), a
// police.uk outcome type (datasets.OutcomeTypes; spelt in any case), and,
// with opts.Expect, the force and month the file's name gives. The first
// bad row in file order stops the read with a *datasets.RowError.
//
// A row that repeats an earlier row of the same force and month byte for
// byte is skipped with ReasonExactDuplicate (data.police.uk's outcomes
// files hold such copies). Two rows with the same Crime ID and different
// outcomes are both counted: a crime can have several outcomes (a charge,
// then a sentence). A row without a Crime ID is counted, and Type leaves
// its crime type unknown. opts.Workers and opts.CrimeIDs do not apply: the
// file is read in the calling goroutine. ReadOutcomes returns ctx.Err()
// (wrapped) when ctx ends.
func ReadOutcomes(ctx context.Context, name string, r io.Reader, opts ReadOptions) (*Outcomes, error) {
	return readOutcomes(ctx, name, r, opts, BlockSize)
}

// readOutcomes is ReadOutcomes with blocks of blockSize bytes (tests make
// them small).
func readOutcomes(ctx context.Context, name string, r io.Reader, opts ReadOptions, blockSize int) (*Outcomes, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	exp, err := opts.Expect.resolve()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	or := &outcomesReading{ctx: ctx, name: name, groups: map[outcomeKey][]uint64{}, sets: map[uint32]*idSet{},
		pool: slotPool{}, outIx: map[string]uint16{}, typeIx: map[string]uint16{}, cover: map[uint32]bool{},
		types: slices.Clone(outcomeList)}
	br := &blockReader{ctx: ctx, name: name, r: r, size: blockSize}
	h := sha256.New()
	first, err := br.next()
	if err != nil {
		return nil, err
	}
	if first == nil {
		return nil, emptyHeader(name, OutcomesHeader)
	}
	cols, err := readHeader(ctx, name, first, outcomesRequired, OutcomesHeader)
	if err != nil {
		return nil, err
	}
	s := newScanner(ctx, name)
	s.cols, s.exp = cols, exp
	base := 1 // rows before the block (the header is row 1)
	for b := first; b != nil; {
		h.Write(b.data)
		if b.tooLong {
			s.row = 1
			return nil, addRow(s.tooLong(), base)
		}
		if err := or.scan(s, b.data[b.skip:]); err != nil {
			return nil, addRow(err, base)
		}
		base += s.row
		b.refs.Store(1)
		b.release()
		if b, err = br.next(); err != nil {
			return nil, err
		}
	}
	return or.result(hex.EncodeToString(h.Sum(nil))), nil
}

// addRow makes the row of a *datasets.RowError, counted from a block's
// start, a row of the file.
func addRow(err error, base int) error {
	var re *datasets.RowError
	if errors.As(err, &re) {
		re.Row += base
	}
	return err
}

// outcomesReading is the state of one ReadOutcomes.
type outcomesReading struct {
	ctx     context.Context
	name    string
	stats   datasets.Stats
	pending int64 // blank lines not yet followed by a row
	groups  map[outcomeKey][]uint64
	sets    map[uint32]*idSet // cellKey -> hashes of the rows seen
	pool    slotPool
	outIx   map[string]uint16 // raw "Outcome type" -> index in types
	typeIx  map[string]uint16 // a type outcomeList does not hold, as kept -> index in types
	types   []string          // outcomeList, then the types it does not hold, as first met
	cover   map[uint32]bool
}

// scan reads the records of one block. Row numbers in its errors count
// from the block's start.
func (or *outcomesReading) scan(s *scanner, data []byte) error {
	s.reset(data)
	for {
		line, quoted, ok, err := s.next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if len(line) == 0 {
			or.pending++
			continue
		}
		if or.pending > 0 {
			or.stats.Read += or.pending
			or.stats.Skip(ReasonBlankLine, or.pending)
			or.pending = 0
		}
		or.stats.Read++
		if s.row%ctxEvery == 0 {
			if err := or.ctx.Err(); err != nil {
				return fmt.Errorf("read %s: %w", or.name, err)
			}
		}
		var f fields
		n, err := s.split(line, quoted, &f)
		if err != nil {
			return err
		}
		if n != s.cols.ncols {
			return s.badRow(line, fmt.Sprintf("%d fields as in the header, not %d", s.cols.ncols, n))
		}
		if err := s.monthForce(f[roleMonth], f[roleForce]); err != nil {
			return err
		}
		out, err := or.outcome(s, f[roleType])
		if err != nil {
			return err
		}
		cell := cellKey(s.lastMonth, s.lastArea)
		set := or.sets[cell]
		if set == nil {
			set = &idSet{}
			or.sets[cell] = set
			or.cover[cell] = true
		}
		if h1, h2 := hash128(line); !set.insert(h1, h2, or.pool) {
			or.stats.Skip(ReasonExactDuplicate, 1)
			continue
		}
		key := uint64(noID)
		if len(f[roleID]) > 0 {
			key = CrimeKey(f[roleID])
		}
		k := outcomeKey{cell: cell, outcome: out}
		or.groups[k] = append(or.groups[k], key)
		or.stats.Used++
	}
	return nil
}

// outcome resolves a raw "Outcome type" value: a type crimetrends knows,
// or another one, kept as written (datasets.CheckOutcomeType).
func (or *outcomesReading) outcome(s *scanner, raw []byte) (uint16, error) {
	if i, ok := or.outIx[string(raw)]; ok {
		return i, nil
	}
	t, known, err := datasets.CheckOutcomeType(string(raw))
	if err != nil {
		return 0, &datasets.RowError{File: s.name, Row: s.row, Column: ColOutcomeType, Value: string(raw),
			Err: err, Want: "a police.uk outcome type, such as " + outcomeExamples}
	}
	var i uint16
	if known {
		i = uint16(slices.Index(outcomeList, t))
	} else if j, ok := or.typeIx[t]; ok {
		i = j
	} else {
		if len(or.typeIx) == MaxUnknownOutcomeTypes {
			return 0, &datasets.RowError{File: s.name, Row: s.row, Column: ColOutcomeType, Value: string(raw),
				Err:  fmt.Errorf("%w: the file holds more than %d outcome types crimetrends does not know", datasets.ErrBadOutcome, MaxUnknownOutcomeTypes),
				Want: "an outcomes file whose column holds police.uk outcome types, such as " + outcomeExamples}
		}
		i = uint16(len(or.types))
		or.types = append(or.types, t)
		or.typeIx[t] = i
	}
	or.outIx[string(raw)] = i
	return i, nil
}

func (or *outcomesReading) result(sum string) *Outcomes {
	ext := &datasets.Extract{Source: datasets.SourcePoliceUKOutcomes, Name: or.name, SHA256: sum, Stats: or.stats}
	for cell := range or.cover {
		m := keyMonth(cell)
		ext.Coverage = append(ext.Coverage, datasets.Coverage{Source: datasets.SourcePoliceUKOutcomes,
			AreaCode: forceList[keyArea(cell)].Code, Start: m, End: m})
	}
	slices.SortFunc(ext.Coverage, func(a, b datasets.Coverage) int {
		if c := strings.Compare(a.AreaCode, b.AreaCode); c != 0 {
			return c
		}
		return cmp.Compare(a.Start, b.Start)
	})
	return &Outcomes{Extract: ext, groups: or.groups, types: or.types}
}

// Keys calls yield with the key of every Crime ID the outcomes name, a key
// once or more; it stops when yield returns false.
func (o *Outcomes) Keys(yield func(key uint64) bool) {
	for _, keys := range o.groups {
		for _, k := range keys {
			if k != noID && !yield(k) {
				return
			}
		}
	}
}

// Type sets Extract.Outcomes: the outcomes counted by force, month, crime
// type and outcome type, each crime's type found by lookup from its key
// (CrimeKey) as the category's index in datasets.Categories(); an outcome
// whose crime lookup does not find, or that has no Crime ID, has the type
// datasets.CrimeTypeUnknown. It returns the number of such outcomes.
// Calling it again types the outcomes again.
func (o *Outcomes) Type(lookup func(key uint64) (cat uint8, ok bool)) (untyped int64) {
	type k struct {
		key outcomeKey
		cat int // -1 unknown
	}
	tally := map[k]int64{}
	for gk, keys := range o.groups {
		for _, key := range keys {
			cat := -1
			if key != noID {
				if c, ok := lookup(key); ok && int(c) < len(catList) {
					cat = int(c)
				}
			}
			if cat < 0 {
				untyped++
			}
			tally[k{gk, cat}]++
		}
	}
	var out []datasets.OutcomeCount
	for t, n := range tally {
		c := datasets.OutcomeCount{AreaCode: forceList[keyArea(t.key.cell)].Code, Month: keyMonth(t.key.cell),
			CrimeType: datasets.CrimeTypeUnknown, Outcome: o.types[t.key.outcome], Count: n}
		if t.cat >= 0 {
			c.CrimeType = catList[t.cat].Name
		}
		out = append(out, c)
	}
	slices.SortFunc(out, datasets.CompareOutcomeCounts)
	o.Extract.Outcomes = out
	return untyped
}
