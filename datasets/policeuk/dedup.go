package policeuk

import (
	"encoding/binary"
	"math/bits"

	"github.com/crimetrends/crimetrends/datasets"
)

// DedupWindow is the number of rows after which the Crime ID set of an
// (area, month) that no row has touched since is freed. See the package
// documentation for the rule.
const DedupWindow = 1 << 19

// idEntry is one row with a Crime ID, as a worker hands it to the
// sequencer: the 128-bit hash of the ID, the row's (area, month) key and
// its category index.
type idEntry struct {
	h1, h2 uint64
	key    uint32 // cellKey
	cat    uint8
}

// Hash seeds and multipliers: fixed, so that results are deterministic.
const (
	seed1 = 0x243f6a8885a308d3 // digits of pi
	seed2 = 0x13198a2e03707344
	mul1  = 0x9e3779b97f4a7c15 // odd
	mul2  = 0xc2b2ae3d27d4eb4f // odd
	fin1  = 0xff51afd7ed558ccd
	fin2  = 0xc4ceb9fe1a85ec53
)

// hash128 hashes an ID to 128 bits with two independent lanes. Each lane
// folds 8-byte words with a bijective step (xor, multiply by an odd
// constant, rotate), so IDs of equal length that differ in one word never
// collide, and ends with a bijective finaliser. It is not cryptographic.
func hash128(b []byte) (uint64, uint64) {
	n := uint64(len(b))
	a, c := uint64(seed1)^n, uint64(seed2)^(n*mul1)
	if len(b) == 64 { // police.uk's IDs: 64 hex digits, unrolled
		le := binary.LittleEndian
		a, c = step(a, c, le.Uint64(b[0:8]))
		a, c = step(a, c, le.Uint64(b[8:16]))
		a, c = step(a, c, le.Uint64(b[16:24]))
		a, c = step(a, c, le.Uint64(b[24:32]))
		a, c = step(a, c, le.Uint64(b[32:40]))
		a, c = step(a, c, le.Uint64(b[40:48]))
		a, c = step(a, c, le.Uint64(b[48:56]))
		a, c = step(a, c, le.Uint64(b[56:64]))
		return fmix(a, fin1), fmix(c, fin2)
	}
	for len(b) >= 8 {
		a, c = step(a, c, binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	if len(b) > 0 {
		var t [8]byte
		copy(t[:], b)
		a, c = step(a, c, binary.LittleEndian.Uint64(t[:]))
	}
	return fmix(a, fin1), fmix(c, fin2)
}

// step folds the word w into both lanes.
func step(a, c, w uint64) (uint64, uint64) {
	return bits.RotateLeft64((a^w)*mul1, 31), bits.RotateLeft64((c^w)*mul2, 27)
}

func fmix(h, m uint64) uint64 {
	h ^= h >> 33
	h *= m
	h ^= h >> 29
	h *= mul1
	return h ^ h>>32
}

// idSet is an open-addressing set of 128-bit hashes. A slot is empty when
// its first word is 0; stored first words have their low bit set.
type idSet struct {
	slots     [][2]uint64
	n         int
	last      int  // row number before the last block that touched the set
	restarted bool // the set replaces one freed earlier
}

const minSetSlots = 1 << 10

// slotPool keeps the slot arrays of freed sets for reuse, by size, so
// that a long read does not churn the heap.
type slotPool map[int][][][2]uint64

func (p slotPool) get(n int) [][2]uint64 {
	if l := p[n]; len(l) > 0 {
		s := l[len(l)-1]
		p[n] = l[:len(l)-1]
		clear(s)
		return s
	}
	return make([][2]uint64, n)
}

func (p slotPool) put(s [][2]uint64) {
	if len(s) > 0 && len(p[len(s)]) < 8 {
		p[len(s)] = append(p[len(s)], s)
	}
}

// insert adds the hash and reports whether it was new.
func (s *idSet) insert(h1, h2 uint64, pool slotPool) bool {
	if s.n >= len(s.slots)/4*3 {
		s.grow(pool)
	}
	h1 |= 1
	mask := uint64(len(s.slots) - 1)
	for i := h2 & mask; ; i = (i + 1) & mask {
		sl := &s.slots[i]
		if sl[0] == 0 {
			sl[0], sl[1] = h1, h2
			s.n++
			return true
		}
		if sl[0] == h1 && sl[1] == h2 {
			return false
		}
	}
}

func (s *idSet) grow(pool slotPool) {
	old := s.slots
	size := max(minSetSlots, 2*len(old))
	s.slots = pool.get(size)
	mask := uint64(size - 1)
	for _, sl := range old {
		if sl[0] == 0 {
			continue
		}
		i := sl[1] & mask
		for s.slots[i][0] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = sl
	}
	pool.put(old)
}

// dedup detects repeated Crime IDs within each (area, month), keeping one
// idSet per key and freeing the sets the scan has moved past.
type dedup struct {
	window    int
	sets      map[uint32]*idSet
	freed     map[uint32]bool // keys whose set was freed
	pool      slotPool
	sizeHint  map[uint8]int // area -> slots of its last freed set
	lastSweep int
	dups      map[uint64]int64 // key<<8 | cat -> rows skipped as repeats
	lateRows  int64            // rows with an ID that went into a restarted set
	lateKeys  int              // restarted sets
	peakIDs   int              // most IDs held at once, after a sweep

	keep *idKeeper // when not nil, keeps the Crime IDs counted (ReadOptions.CrimeIDs)
}

func newDedup(window int) *dedup {
	return &dedup{window: window, sets: map[uint32]*idSet{}, freed: map[uint32]bool{}, pool: slotPool{}, sizeHint: map[uint8]int{}, dups: map[uint64]int64{}}
}

// add checks the IDs of one block, whose first row follows row base, in
// file order, and returns the number of repeats.
func (d *dedup) add(ids []idEntry, base int) int64 {
	var (
		n       int64
		set     *idSet
		lastKey uint32
	)
	for i := range ids {
		e := &ids[i]
		if set == nil || e.key != lastKey {
			lastKey = e.key
			set = d.sets[e.key]
			if set == nil {
				set = &idSet{}
				if n := d.sizeHint[keyArea(e.key)]; n > 0 {
					set.slots = d.pool.get(n) // the force's last month's size: no regrowth
				}
				if d.freed[e.key] {
					set.restarted = true
					d.lateKeys++
					delete(d.freed, e.key)
				}
				d.sets[e.key] = set
			}
			set.last = base
		}
		if set.restarted {
			d.lateRows++
		}
		if !set.insert(e.h1, e.h2, d.pool) {
			n++
			d.dups[uint64(e.key)<<8|uint64(e.cat)]++
		} else if d.keep != nil {
			d.keep.add(e.key, e.h1&^catMask|uint64(e.cat))
		}
	}
	return n
}

// catMask is the low bits of a CrimeKey, always zero, which hold a
// category index in datasets.CrimeIDs.
const catMask = 1<<datasets.CrimeIDCatBits - 1

// CrimeKey is the hash the store keeps of a Crime ID (datasets.CrimeIDs):
// the first lane of the reader's 128-bit hash of the ID's bytes (the field
// as read, quotes removed), its low four bits cleared. Street and outcomes
// files give the same key for the same Crime ID, and the key of an ID never
// changes (it is kept on disk): the hash's seeds and steps are fixed.
func CrimeKey(id []byte) uint64 {
	h1, _ := hash128(id)
	return h1 &^ catMask
}

// sweep frees the sets no block has touched in the window rows before row.
func (d *dedup) sweep(row int) {
	if row-d.lastSweep < d.window/8 {
		return
	}
	d.lastSweep = row
	held := 0
	for k, s := range d.sets {
		if s.last+d.window < row {
			delete(d.sets, k)
			d.freed[k] = true
			d.pool.put(s.slots)
			d.sizeHint[keyArea(k)] = len(s.slots)
			continue
		}
		held += s.n
	}
	d.peakIDs = max(d.peakIDs, held)
}
