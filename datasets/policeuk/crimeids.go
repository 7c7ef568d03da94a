package policeuk

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/crimetrends/crimetrends/datasets"
)

// keepBuffer is how many Crime IDs an idKeeper holds before it hands them
// on (to the spill file, or to their force and month's entries in memory):
// 1.5 MiB of them with their force and month, and as much again when they
// need sorting.
const keepBuffer = 32 << 10

// idKeeper keeps the Crime IDs of the crimes a read counts, in file order,
// by force and month: in memory, or, with a spill (ReadOptions.Spill), in
// that file, so that memory holds only its buffer.
type idKeeper struct {
	size   int // the buffer's entries: keepBuffer (tests make it small)
	spill  *datasets.CrimeIDSpill
	groups map[uint32]*datasets.CrimeIDs // cellKey -> its Crime IDs
	buf    *keepBufs
	runs   int   // stretches of one cellKey in the buffer
	err    error // the first failed write to the spill
}

// keepBufs are an idKeeper's buffers, pooled for the next read: the
// buffer (each entry's cellKey, and the entry: CrimeKey | category index)
// and flush's counting sort.
type keepBufs struct {
	cells, sortedCells []uint32
	vals, sorted       []uint64
}

var keepPool = sync.Pool{New: func() any {
	return &keepBufs{cells: make([]uint32, 0, keepBuffer), vals: make([]uint64, 0, keepBuffer)}
}}

func newIDKeeper(spill *datasets.CrimeIDSpill, size int) *idKeeper {
	k := &idKeeper{size: size, spill: spill, groups: map[uint32]*datasets.CrimeIDs{}}
	if size == keepBuffer {
		k.buf = keepPool.Get().(*keepBufs)
	} else {
		k.buf = &keepBufs{}
	}
	return k
}

// add keeps the entry v of the force and month cell.
func (k *idKeeper) add(cell uint32, v uint64) {
	b := k.buf
	if n := len(b.cells); n == 0 || b.cells[n-1] != cell {
		k.runs++
	}
	b.cells = append(b.cells, cell)
	b.vals = append(b.vals, v)
	if len(b.vals) == k.size {
		k.flush()
	}
}

// flush hands the buffer on, each force and month's entries in file
// order. Rows come grouped by force and month (a file per force and month,
// or concatenations of them), so the buffer is a few stretches, handed on
// as they are; otherwise it is first sorted by force and month (a stable
// counting sort), so that a force and month gets one run per flush.
func (k *idKeeper) flush() {
	b := k.buf
	defer func() { b.cells, b.vals, k.runs = b.cells[:0], b.vals[:0], 0 }()
	if len(b.vals) == 0 || k.err != nil {
		return
	}
	cells, vals := b.cells, b.vals
	if k.runs > 16 && k.runs > len(vals)/64 {
		cells, vals = b.sortByCell(k.size)
	}
	var off int64
	if k.spill != nil {
		if off, k.err = k.spill.Write(vals); k.err != nil {
			return
		}
	}
	for i := 0; i < len(vals); {
		j := i + 1
		for j < len(vals) && cells[j] == cells[i] {
			j++
		}
		g := k.groups[cells[i]]
		if g == nil {
			g = &datasets.CrimeIDs{AreaCode: forceList[keyArea(cells[i])].Code, Month: keyMonth(cells[i])}
			k.groups[cells[i]] = g
		}
		if k.spill != nil {
			g.AddSpilled(k.spill, off+8*int64(i), vals[i:j])
		} else {
			g.Add(vals[i:j])
		}
		i = j
	}
}

// sortByCell returns the buffer ordered by cellKey, each cell's entries in
// file order, with the cellKey of each.
func (b *keepBufs) sortByCell(size int) ([]uint32, []uint64) {
	index := map[uint32]int{} // cellKey -> its place in order
	var order []uint32
	var counts []int
	for _, c := range b.cells {
		i, ok := index[c]
		if !ok {
			i = len(order)
			index[c] = i
			order = append(order, c)
			counts = append(counts, 0)
		}
		counts[i]++
	}
	next := make([]int, len(order)) // where each cell's next entry goes
	sorted := slices.Clone(order)
	slices.Sort(sorted) // any order is right; this one is the same every time
	pos := 0
	for _, c := range sorted {
		i := index[c]
		next[i] = pos
		pos += counts[i]
	}
	if b.sorted == nil {
		b.sorted, b.sortedCells = make([]uint64, size), make([]uint32, size)
	}
	vals, cells := b.sorted[:len(b.vals)], b.sortedCells[:len(b.vals)]
	for n, c := range b.cells {
		i := index[c]
		vals[next[i]] = b.vals[n]
		cells[next[i]] = c
		next[i]++
	}
	return cells, vals
}

// crimeIDs flushes the buffer and returns the Crime IDs kept, one entry per
// force and month, sorted by area code and month, each in the order of the
// file (the dedup sets keep a Crime ID once per force and month; a repeat
// they missed after a gap is kept twice, which an index can bear). The
// keeper's buffers go back to the pool.
func (k *idKeeper) crimeIDs() ([]datasets.CrimeIDs, error) {
	k.flush()
	if k.size == keepBuffer {
		keepPool.Put(k.buf)
	}
	k.buf = nil
	if k.err != nil {
		return nil, k.err
	}
	out := make([]datasets.CrimeIDs, 0, len(k.groups))
	for _, g := range k.groups {
		out = append(out, *g)
	}
	clear(k.groups)
	slices.SortFunc(out, func(a, b datasets.CrimeIDs) int {
		if c := strings.Compare(a.AreaCode, b.AreaCode); c != 0 {
			return c
		}
		return cmp.Compare(a.Month, b.Month)
	})
	return out, nil
}

// failed returns the error of a write to the spill, wrapped for the read
// to stop with it.
func (k *idKeeper) failed(name string) error {
	if k == nil || k.err == nil {
		return nil
	}
	return fmt.Errorf("read %q: %w", name, k.err)
}
