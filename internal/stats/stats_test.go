package stats

import (
	"math"
	"testing"
)

// near reports whether got is within tol of want.
func near(got, want, tol float64) bool {
	if math.IsInf(want, 0) {
		return got == want
	}
	return math.Abs(got-want) <= tol
}

// Reference values below were computed independently to 12 significant
// figures with mpmath (30 digits, bisection on the binomial tail sum
// P(Bin(a+b-1, x) >= a) = I_x(a, b)), or in closed form where noted.
func TestClopperPearson(t *testing.T) {
	tests := []struct {
		x, n   int64
		level  float64
		lo, hi float64
	}{
		{5, 10, 0.95, 0.187086028447, 0.812913971553},
		// x = 0: hi = 1 - (alpha/2)^(1/n) = 1 - 0.025^(1/10) = 1 - 0.691502892181.
		{0, 10, 0.95, 0, 0.308497107819},
		// x = n: lo = (alpha/2)^(1/n) = 0.025^(1/10).
		{10, 10, 0.95, 0.691502892181, 1},
		// x = 0 at 90%: hi = 1 - 0.05^(1/10) = 1 - 0.741134449107.
		{0, 10, 0.90, 0, 0.258865550893},
		{1, 10, 0.95, 0.00252857854446, 0.445016117028},
		{3, 20, 0.95, 0.0320709371855, 0.378926826545},
		{50, 100, 0.95, 0.398321129503, 0.601678870497},
		{5, 10, 0.90, 0.222441101008, 0.777558898992},
	}
	for _, tc := range tests {
		lo, hi, ok := ClopperPearson(tc.x, tc.n, tc.level)
		if !ok || !near(lo, tc.lo, 1e-9) || !near(hi, tc.hi, 1e-9) {
			t.Errorf("ClopperPearson(%d, %d, %g) = %.12f, %.12f, %v; want %.12f, %.12f, true", tc.x, tc.n, tc.level, lo, hi, ok, tc.lo, tc.hi)
		}
		// Symmetry: the interval for n-x failures mirrors the one for x.
		mlo, mhi, _ := ClopperPearson(tc.n-tc.x, tc.n, tc.level)
		if !near(mlo, 1-hi, 1e-12) || !near(mhi, 1-lo, 1e-12) {
			t.Errorf("ClopperPearson(%d, %d) = %g, %g; want the mirror of %g, %g", tc.n-tc.x, tc.n, mlo, mhi, lo, hi)
		}
	}
	for _, bad := range []struct {
		x, n  int64
		level float64
	}{{0, 0, 0.95}, {-1, 10, 0.95}, {11, 10, 0.95}, {5, 10, 0}, {5, 10, 1}, {5, 10, math.NaN()}} {
		if _, _, ok := ClopperPearson(bad.x, bad.n, bad.level); ok {
			t.Errorf("ClopperPearson(%d, %d, %g) ok, want not ok", bad.x, bad.n, bad.level)
		}
	}
}

func TestPoissonRatioCI(t *testing.T) {
	tests := []struct {
		c1, c2 int64
		lo, hi float64
		ok     bool
	}{
		{100, 130, 0.993962268356, 1.70449930245, true},
		{50, 50, 0.662016150201, 1.51053716695, true},
		// c2 = 0: p in [0, 1 - 0.025^(1/20)] = [0, 0.168433470983]; r = p/(1-p).
		{20, 0, 0, 0.202549603797, true},
		{10, 30, 1.42740847015, 6.87930177102, true},
		// c1 = c2 = 1: lo p = 1 - sqrt(0.975) = 0.0125791, r = 0.0125791/0.9874209.
		{1, 1, 0.0127393670837, 78.4968353163, true},
		{10000, 11000, 1.07051324661, 1.13030882291, true},
		{0, 5, 0, 0, false},
		{5, -1, 0, 0, false},
		{-5, 1, 0, 0, false},
	}
	for _, tc := range tests {
		lo, hi, ok := PoissonRatioCI(tc.c1, tc.c2, Level95)
		if ok != tc.ok || !near(lo, tc.lo, 1e-8*math.Max(1, tc.lo)) || !near(hi, tc.hi, 1e-8*math.Max(1, tc.hi)) {
			t.Errorf("PoissonRatioCI(%d, %d) = %.12f, %.12f, %v; want %.12f, %.12f, %v", tc.c1, tc.c2, lo, hi, ok, tc.lo, tc.hi, tc.ok)
		}
		if !tc.ok || tc.c2 == 0 {
			continue
		}
		// Swapping the counts inverts the interval.
		slo, shi, _ := PoissonRatioCI(tc.c2, tc.c1, Level95)
		if !near(slo, 1/hi, 1e-9) || !near(shi, 1/lo, 1e-9*math.Max(1, shi)) {
			t.Errorf("PoissonRatioCI(%d, %d) = %g, %g; want 1/%g, 1/%g", tc.c2, tc.c1, slo, shi, hi, lo)
		}
	}
	// Large counts (a national total) stay finite and bracket the ratio.
	lo, hi, ok := PoissonRatioCI(5_000_000, 5_100_000, Level95)
	if !ok || !(lo < 1.02 && 1.02 < hi) || hi-lo > 0.01 {
		t.Errorf("PoissonRatioCI(5e6, 5.1e6) = %g, %g, %v; want a narrow interval around 1.02", lo, hi, ok)
	}
}

func TestQuickRatioCI(t *testing.T) {
	tests := []struct {
		c1, c2 int64
		lo, hi float64
		ok     bool
	}{
		// r = 1.1, se = sqrt(1/10000 + 1/11000) = 0.0138169, z se = 0.0270807,
		// 1.1 exp(-0.0270807) = 1.07061, 1.1 exp(0.0270807) = 1.13020.
		{10000, 11000, 1.0706108631, 1.13019589256, true},
		// r = 1.3, se = sqrt(0.01 + 1/130) = 0.133012, z se = 0.260699.
		{100, 130, 1.00166607, 1.68718902499, true},
		// r = 1, se = sqrt(0.04) = 0.2, z se = 0.391993: exp(-/+0.391993).
		{50, 50, 0.675708981137, 1.47992705131, true},
		{0, 5, 0, 0, false},
		{5, 0, 0, 0, false},
	}
	for _, tc := range tests {
		lo, hi, ok := QuickRatioCI(tc.c1, tc.c2, Level95)
		if ok != tc.ok || !near(lo, tc.lo, 1e-9) || !near(hi, tc.hi, 1e-9) {
			t.Errorf("QuickRatioCI(%d, %d) = %.12f, %.12f, %v; want %.12f, %.12f, %v", tc.c1, tc.c2, lo, hi, ok, tc.lo, tc.hi, tc.ok)
		}
	}
	// For large counts the exact and quick intervals agree to 3 decimal places.
	elo, ehi, _ := PoissonRatioCI(10000, 11000, Level95)
	qlo, qhi, _ := QuickRatioCI(10000, 11000, Level95)
	if math.Abs(elo-qlo) > 5e-4 || math.Abs(ehi-qhi) > 5e-4 {
		t.Errorf("exact %g..%g and quick %g..%g differ by more than 0.0005", elo, ehi, qlo, qhi)
	}
}

func TestChangeVerdict(t *testing.T) {
	tests := []struct {
		c1, c2 int64
		want   Change
		ratio  float64
	}{
		// Exact interval 0.994..1.704 spans 1 although the quick one (1.002..1.687) does not.
		{100, 130, AboutTheSame, 1.3},
		{10, 30, Rise, 3},               // 1.427..6.879
		{10000, 11000, Rise, 1.1},       // 1.0705..1.1303
		{11000, 10000, Fall, 10.0 / 11}, // 1/1.1303..1/1.0705
		{50, 50, AboutTheSame, 1},       // 0.662..1.511
		{20, 0, Fall, 0},                // 0..0.2025
		{0, 7, Unknown, 0},
		{-1, 7, Unknown, 0},
	}
	for _, tc := range tests {
		v := ChangeVerdict(tc.c1, tc.c2)
		if v.Change != tc.want || !near(v.Ratio, tc.ratio, 1e-12) || v.C1 != tc.c1 || v.C2 != tc.c2 {
			t.Errorf("ChangeVerdict(%d, %d) = %v (ratio %g), want %v (ratio %g)", tc.c1, tc.c2, v.Change, v.Ratio, tc.want, tc.ratio)
		}
		if v.Change != Unknown && !(v.Lo <= v.Ratio && v.Ratio <= v.Hi) {
			t.Errorf("ChangeVerdict(%d, %d): interval %g..%g excludes the ratio %g", tc.c1, tc.c2, v.Lo, v.Hi, v.Ratio)
		}
	}
	for c, want := range map[Change]string{Rise: "rise", Fall: "fall", AboutTheSame: "about the same", Unknown: "unknown"} {
		if c.String() != want {
			t.Errorf("%d.String() = %q, want %q", c, c.String(), want)
		}
	}
}

func TestCompareRatios(t *testing.T) {
	tests := []struct {
		f1, f2, n1, n2 int64
		rr, lo, hi     float64
		ok             bool
	}{
		// RR = 1.5/1 = 1.5; se = sqrt(0.01 + 0.0066667 + 0.001 + 0.001) = 0.136626,
		// z se = 0.267782: 1.5 exp(-0.267782) = 1.14761, 1.5 exp(0.267782) = 1.96059.
		{100, 150, 1000, 1000, 1.5, 1.14761175563, 1.9605933705, true},
		// RR = 1.1; se = sqrt(0.001 + 0.000909 + 0.00001 + 0.00001) = 0.043921.
		{1000, 1100, 100000, 100000, 1.1, 1.00926847221, 1.19888813861, true},
		// RR = 0.75/1.04 = 0.721154.
		{400, 300, 50000, 52000, 0.721153846154, 0.620580447568, 0.838026515113, true},
		{0, 1, 1, 1, 0, 0, 0, false},
		{1, 1, 1, 0, 0, 0, 0, false},
	}
	for _, tc := range tests {
		rr, lo, hi, ok := CompareRatios(tc.f1, tc.f2, tc.n1, tc.n2)
		if ok != tc.ok || !near(rr, tc.rr, 1e-9) || !near(lo, tc.lo, 1e-9) || !near(hi, tc.hi, 1e-9) {
			t.Errorf("CompareRatios(%d, %d, %d, %d) = %.12f, %.12f, %.12f, %v; want %.12f, %.12f, %.12f, %v",
				tc.f1, tc.f2, tc.n1, tc.n2, rr, lo, hi, ok, tc.rr, tc.lo, tc.hi, tc.ok)
		}
	}
}

func TestBetaInc(t *testing.T) {
	// Closed forms: I_x(1, b) = 1 - (1-x)^b; I_x(a, 1) = x^a; I_x(2, 2) = 3x^2 - 2x^3.
	tests := []struct{ a, b, x, want float64 }{
		{1, 3, 0.2, 1 - 0.8*0.8*0.8},
		{4, 1, 0.5, 0.0625},
		{2, 2, 0.3, 3*0.09 - 2*0.027},
		{2, 2, 0, 0},
		{2, 2, 1, 1},
	}
	for _, tc := range tests {
		if got := betaInc(tc.a, tc.b, tc.x); !near(got, tc.want, 1e-13) {
			t.Errorf("betaInc(%g, %g, %g) = %.15f, want %.15f", tc.a, tc.b, tc.x, got, tc.want)
		}
	}
}

// betaQuantile (Newton in a bracket) agrees with plain bisection to
// within a few units in the last place, over counts from 1 to millions.
func TestBetaQuantileAgreesWithBisection(t *testing.T) {
	cases := [][2]float64{{1, 1}, {1, 50}, {3, 7}, {50, 50}, {1904, 2183}, {263245, 371953}, {4748110, 5000037}, {1, 2000000}, {2000000, 1}}
	for _, c := range cases {
		for _, p := range []float64{0.025, 0.5, 0.975} {
			got, want := betaQuantile(p, c[0], c[1]), betaQuantileBisect(p, c[0], c[1])
			if math.Abs(got-want) > 1e-12*math.Max(want, 1e-12) {
				t.Errorf("betaQuantile(%v, %v, %v) = %.17g, bisection %.17g", p, c[0], c[1], got, want)
			}
		}
	}
}
