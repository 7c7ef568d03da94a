package datasets

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
)

// CrimeIDs are the Crime IDs of one force and month of a police.uk street
// extract, hashed (see policeuk.CrimeKey), each with its crime's category.
// They let an outcomes file, which has Crime IDs but no crime types, find
// the type of each crime, in the same ingest or a later one (the store
// keeps them per vintage).
//
// Each entry is a hashed Crime ID with its category's index in
// Categories() in the low CrimeIDCatBits bits (a hashed Crime ID has them
// zero): eight bytes a crime, in the order of the file. A CrimeIDs keeps
// its entries in memory (Add) or in a CrimeIDSpill, a temporary file
// (AddSpilled), never both; Each gives them back in order either way. The
// zero value is empty and ready for Add.
type CrimeIDs struct {
	AreaCode string
	Month    Month
	// PerCategory counts the entries of each category index (an index
	// past Categories() is a bad entry, which the store refuses).
	PerCategory [CrimeIDCats]int64

	chunks [][]uint64 // in memory, in chunks so that growing never copies
	spill  *CrimeIDSpill
	runs   []spillRun // or in spill, in these runs
}

// CrimeIDCatBits is the number of low bits of a CrimeIDs entry that hold
// the category, and CrimeIDCats the number of category indexes they can
// hold.
const (
	CrimeIDCatBits = 4
	CrimeIDCats    = 1 << CrimeIDCatBits
	crimeIDCatMask = CrimeIDCats - 1
)

// CrimeIDEntry splits an entry of CrimeIDs into the hashed Crime ID and its
// category index.
func CrimeIDEntry(v uint64) (key uint64, cat uint8) {
	return v &^ crimeIDCatMask, uint8(v & crimeIDCatMask)
}

// spillRun is a run of entries in a CrimeIDSpill: n entries from byte off.
type spillRun struct {
	off int64
	n   int64
}

const (
	idChunkMin = 512
	idChunkMax = 16384
)

// NewCrimeIDs returns the Crime IDs of a force and month holding entries
// in memory (it keeps the slice).
func NewCrimeIDs(area string, m Month, entries []uint64) CrimeIDs {
	c := CrimeIDs{AreaCode: area, Month: m}
	if len(entries) > 0 {
		c.chunks = [][]uint64{entries}
		c.count(entries)
	}
	return c
}

func (c *CrimeIDs) count(entries []uint64) {
	for _, v := range entries {
		c.PerCategory[v&crimeIDCatMask]++
	}
}

// Add appends entries, copied, in memory. It panics if c is spilled.
func (c *CrimeIDs) Add(entries []uint64) {
	if c.spill != nil {
		panic("datasets: CrimeIDs.Add on spilled Crime IDs")
	}
	c.count(entries)
	for len(entries) > 0 {
		k := len(c.chunks)
		if k == 0 || len(c.chunks[k-1]) == cap(c.chunks[k-1]) {
			size := idChunkMin
			if k > 0 {
				size = min(2*cap(c.chunks[k-1]), idChunkMax)
			}
			c.chunks = append(c.chunks, make([]uint64, 0, size))
			k++
		}
		last := c.chunks[k-1]
		n := min(len(entries), cap(last)-len(last))
		c.chunks[k-1] = append(last, entries[:n]...)
		entries = entries[n:]
	}
}

// AddSpilled records entries that s.Write put at byte off of s, as the
// next entries of c (entries is only read, to count the categories). It
// panics if c holds entries in memory or in another spill.
func (c *CrimeIDs) AddSpilled(s *CrimeIDSpill, off int64, entries []uint64) {
	if len(c.chunks) > 0 || c.spill != nil && c.spill != s {
		panic("datasets: CrimeIDs.AddSpilled on Crime IDs held elsewhere")
	}
	if len(entries) == 0 {
		return
	}
	c.spill = s
	c.count(entries)
	if k := len(c.runs); k > 0 && c.runs[k-1].off+8*c.runs[k-1].n == off {
		c.runs[k-1].n += int64(len(entries))
		return
	}
	c.runs = append(c.runs, spillRun{off: off, n: int64(len(entries))})
}

// Len is the number of entries.
func (c CrimeIDs) Len() int64 {
	var n int64
	for _, k := range c.PerCategory {
		n += k
	}
	return n
}

// Each calls fn with the entries in order, a batch at a time, and returns
// the first error of fn or of reading the spill. fn must not keep the
// slice: it is reused.
func (c CrimeIDs) Each(fn func(entries []uint64) error) error {
	for _, ch := range c.chunks {
		if err := fn(ch); err != nil {
			return err
		}
	}
	if len(c.runs) == 0 {
		return nil
	}
	return c.spill.read(c.runs, fn)
}

// Entries returns every entry, in order, in a new slice (for tests and
// small sets: it holds them all in memory).
func (c CrimeIDs) Entries() ([]uint64, error) {
	out := make([]uint64, 0, c.Len())
	err := c.Each(func(entries []uint64) error {
		out = append(out, entries...)
		return nil
	})
	return out, err
}

// CrimeIDSpill is a temporary file that holds the Crime IDs of an ingest
// while its inputs are read, so that a national download's tens of
// millions of crimes take disk rather than memory until the store writes
// them. Writes append (safe from several goroutines) and reads may run at
// any time, concurrently with writes. The file is removed from its folder
// as soon as it is created where the system allows it (it lives on while
// open, and goes when the process ends, however it ends), or else by
// Close.
type CrimeIDSpill struct {
	mu      sync.Mutex
	f       *os.File
	name    string // the file's path while it has one
	size    int64
	buf     []byte // Write's encoding buffer
	closed  bool
	onClose func()
}

// spillChunk is the most bytes Write encodes, and a read reads, at once.
const spillChunk = 256 << 10

// CreateCrimeIDSpill creates a spill file in dir named by pattern (as
// os.CreateTemp names files) and removes its name at once where the system
// allows. onClose, when not nil, runs after Close has closed and removed
// the file.
func CreateCrimeIDSpill(dir, pattern string, onClose func()) (*CrimeIDSpill, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, fmt.Errorf("create a temporary file for Crime IDs: %w", err)
	}
	s := &CrimeIDSpill{f: f, name: f.Name(), onClose: onClose}
	if os.Remove(s.name) == nil {
		s.name = ""
	}
	return s, nil
}

var errSpillClosed = errors.New("the Crime ID spill file is closed")

// Write appends entries to the file and returns the byte offset they start
// at, for CrimeIDs.AddSpilled.
func (s *CrimeIDSpill) Write(entries []uint64) (off int64, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, errSpillClosed
	}
	off = s.size
	if s.buf == nil {
		s.buf = make([]byte, spillChunk)
	}
	for len(entries) > 0 {
		n := min(len(entries), spillChunk/8)
		b := s.buf[:8*n]
		for i, v := range entries[:n] {
			binary.LittleEndian.PutUint64(b[8*i:], v)
		}
		if _, err := s.f.WriteAt(b, s.size); err != nil {
			return 0, fmt.Errorf("write Crime IDs to a temporary file: %w", WithoutPath(err))
		}
		s.size += int64(len(b))
		entries = entries[n:]
	}
	return off, nil
}

var spillBufs = sync.Pool{New: func() any {
	b := make([]byte, spillChunk)
	return &b
}}

var spillVals = sync.Pool{New: func() any {
	v := make([]uint64, spillChunk/8)
	return &v
}}

// read calls fn with the entries of runs, in order.
func (s *CrimeIDSpill) read(runs []spillRun, fn func([]uint64) error) error {
	bp, vp := spillBufs.Get().(*[]byte), spillVals.Get().(*[]uint64)
	defer spillBufs.Put(bp)
	defer spillVals.Put(vp)
	for _, r := range runs {
		off, left := r.off, r.n
		for left > 0 {
			n := min(left, spillChunk/8)
			b, vals := (*bp)[:8*n], (*vp)[:n]
			if _, err := s.f.ReadAt(b, off); err != nil {
				if errors.Is(err, io.EOF) {
					err = io.ErrUnexpectedEOF
				}
				return fmt.Errorf("read Crime IDs from their temporary file: %w", WithoutPath(err))
			}
			for i := range vals {
				vals[i] = binary.LittleEndian.Uint64(b[8*i:])
			}
			if err := fn(vals); err != nil {
				return err
			}
			off += 8 * n
			left -= n
		}
	}
	return nil
}

// Close closes the file and removes it if it still has a name. Crime IDs
// spilled to it cannot be read after.
func (s *CrimeIDSpill) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.f.Close()
	if s.name != "" {
		if rmErr := os.Remove(s.name); rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) && err == nil {
			err = rmErr
		}
	}
	if s.onClose != nil {
		s.onClose()
	}
	if err != nil {
		return fmt.Errorf("remove the temporary file of Crime IDs: %w", WithoutPath(err))
	}
	return nil
}
