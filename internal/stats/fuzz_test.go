package stats

import (
	"math"
	"testing"
)

// FuzzPoissonRatioCI checks that the exact interval, when defined, is
// ordered, not negative and contains the observed ratio, and that the
// verdict agrees with it.
func FuzzPoissonRatioCI(f *testing.F) {
	for _, seed := range [][2]int64{{1, 0}, {5, 10}, {100, 130}, {0, 3}, {10000, 11000}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, c1, c2 int64) {
		c1, c2 = c1%10_000_000, c2%10_000_000
		lo, hi, ok := PoissonRatioCI(c1, c2, Level95)
		if ok != (c1 > 0 && c2 >= 0) {
			t.Fatalf("PoissonRatioCI(%d, %d) ok = %v", c1, c2, ok)
		}
		v := ChangeVerdict(c1, c2)
		if !ok {
			if v.Change != Unknown {
				t.Fatalf("ChangeVerdict(%d, %d) = %v, want unknown", c1, c2, v.Change)
			}
			return
		}
		r := float64(c2) / float64(c1)
		if math.IsNaN(lo) || math.IsNaN(hi) || lo < 0 || lo > r*(1+1e-9) || hi < r*(1-1e-9) {
			t.Fatalf("PoissonRatioCI(%d, %d) = %g, %g; ratio %g outside", c1, c2, lo, hi, r)
		}
		if (v.Change == Rise) != (lo > 1) || (v.Change == Fall) != (hi < 1) {
			t.Fatalf("ChangeVerdict(%d, %d) = %v with interval %g..%g", c1, c2, v.Change, lo, hi)
		}
	})
}
