package demo

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

// small keeps tests fast.
var small = Options{Months: 12, Scale: 0.003}

// needReference skips when the datasets tables are not filled in yet.
func needReference(t *testing.T) {
	t.Helper()
	if len(datasets.Forces()) == 0 || len(datasets.Offences()) == 0 || len(datasets.Categories()) == 0 {
		t.Fatal("datasets reference data is empty: Forces/Offences/Categories must be filled in")
	}
}

// digests maps each file's path relative to dir to its SHA-256.
func digests(t *testing.T, dir string, paths []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			t.Fatal(err)
		}
		s := sha256.Sum256(b)
		out[rel] = hex.EncodeToString(s[:])
	}
	// Nothing else may be written.
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if n != len(paths) {
		t.Errorf("%s holds %d files, Generate reported %d", dir, n, len(paths))
	}
	return out
}

func TestGenerateDeterministic(t *testing.T) {
	needReference(t)
	ctx := context.Background()
	d1, d2 := t.TempDir(), t.TempDir()
	p1, err := Generate(ctx, d1, small)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := Generate(ctx, d2, small)
	if err != nil {
		t.Fatal(err)
	}
	h1, h2 := digests(t, d1, p1), digests(t, d2, p2)
	if len(h1) == 0 || !reflect.DeepEqual(h1, h2) {
		for k, v := range h1 {
			if h2[k] != v {
				t.Errorf("%s: sha256 %s then %s", k, v, h2[k])
			}
		}
		t.Fatalf("two runs differ: %d and %d files", len(h1), len(h2))
	}

	// A different seed changes the data.
	d3 := t.TempDir()
	o := small
	o.Seed, o.Months = 2, 3
	p3, err := Generate(ctx, d3, o)
	if err != nil {
		t.Fatal(err)
	}
	h3 := digests(t, d3, p3)
	rel := filepath.Join("home-office", HomeOfficeFile)
	if h3[rel] == "" || h3[rel] == h1[rel] {
		t.Errorf("seed 2 gave the same %s as seed 1", rel)
	}
}

func TestGenerateParses(t *testing.T) {
	needReference(t)
	dir := t.TempDir()
	paths, err := Generate(context.Background(), dir, small)
	if err != nil {
		t.Fatal(err)
	}
	lk := realLookups()
	if len(lk.forces) != 44 {
		t.Errorf("datasets.Forces() has %d forces, want 44", len(lk.forces))
	}
	sum := checkOutputs(t, dir, paths, small, lk)
	if sum.puRows == 0 {
		t.Fatal("no police.uk rows")
	}
	t.Logf("%d police.uk rows; category shares:", sum.puRows)
	var cats []string
	for c := range sum.puByCategory {
		cats = append(cats, c)
	}
	sort.Strings(cats)
	for _, c := range cats {
		t.Logf("  %-30s %5.1f%%", c, 100*float64(sum.puByCategory[c])/float64(sum.puRows))
	}
}

// TestGenerateModel checks that the figures look like recorded crime: the
// national rate, the category mix, the rise in stalking and harassment and
// the summer peak in violence.
func TestGenerateModel(t *testing.T) {
	needReference(t)
	if testing.Short() {
		t.Skip("slow: -short")
	}
	dir := t.TempDir()
	opts := Options{Months: 24, Scale: 0.02}
	paths, err := Generate(context.Background(), dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	sum := checkOutputs(t, dir, paths, opts, realLookups())

	var popK float64
	for _, f := range datasets.Forces() {
		if f.Code != datasets.CodeBTP {
			popK += profileFor(f.Code).popK
		}
	}
	// Both sources are written at the same fraction of real volumes, so
	// the rate at full volume is the rate here over the scale, and the
	// police.uk crimes are in proportion to the Home Office offences.
	rate := float64(sum.hoTotalFY[2021]) / popK / opts.Scale
	if rate < 75 || rate > 105 {
		t.Errorf("2021/22 rate %.1f offences per 1,000 at full volume, want 75-105", rate)
	}
	crimes := sum.puRows - sum.puByCategory["Anti-social behaviour"]
	var ho int64
	for _, n := range sum.hoTotalFY {
		ho += n
	}
	if r := float64(crimes) / float64(ho); r < 0.6 || r > 1.1 {
		t.Errorf("police.uk crimes are %.2f of the Home Office offences over the same months, want them in proportion (0.6-1.1)", r)
	}
	sh := func(fy int) int64 {
		return sum.hoByCodeFY["8L"][fy] + sum.hoByCodeFY["8M"][fy] + sum.hoByCodeFY["8Q"][fy] + sum.hoByCodeFY["8R"][fy]
	}
	if g := float64(sh(2022))/float64(sh(2021)) - 1; g < 0.18 || g > 0.42 {
		t.Errorf("stalking and harassment grew %.0f%% from 2021/22 to 2022/23, want 20-40%%", 100*g)
	}
	share := func(c string) float64 { return float64(sum.puByCategory[c]) / float64(sum.puRows) }
	if s := share(catViolence); s < 0.28 || s > 0.45 {
		t.Errorf("violence and sexual offences are %.0f%% of police.uk rows, want about 35%%", 100*s)
	}
	if s := share(catASB); s < 0.15 || s > 0.32 {
		t.Errorf("anti-social behaviour is %.0f%% of police.uk rows, want about 25%%", 100*s)
	}
	v := sum.puByMonth[catViolence]
	if jul, feb := v["2021-07"], v["2022-02"]; float64(jul) < 1.1*float64(feb) {
		t.Errorf("violence July 2021 %d vs February 2022 %d: want a summer peak", jul, feb)
	}
}

// TestGenerateDefaults runs the default options once and reports the time.
func TestGenerateDefaults(t *testing.T) {
	needReference(t)
	if testing.Short() || raceEnabled {
		t.Skip("slow, and timing means nothing under -race or with -short")
	}
	dir := t.TempDir()
	start := time.Now()
	paths, err := Generate(context.Background(), dir, Options{})
	elapsed := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if want := 48*44 + 2; len(paths) != want {
		t.Errorf("%d paths, want %d", len(paths), want)
	}
	var size int64
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		size += fi.Size()
	}
	t.Logf("default options: %d files, %.1f MB in %v", len(paths), float64(size)/1e6, elapsed)
}

func TestGenerateCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, name := range []string{"datasets", "fake"} {
		var err error
		dir := t.TempDir()
		if name == "datasets" {
			_, err = Generate(ctx, dir, small)
		} else {
			_, err = generate(ctx, dir, small, fakeReference())
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", name, err)
		}
	}

	// Cancelled part way: stops with the context's error.
	ctx, cancel = context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := generate(ctx, t.TempDir(), Options{Months: 120, Scale: 0.5}, fakeReference())
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled during generation: got %v, want context.Canceled", err)
	}
}

// TestGenerateFake runs the whole generator on a small fake reference, so
// the formats are checked whatever state package datasets is in.
func TestGenerateFake(t *testing.T) {
	ref := fakeReference()
	lk := fakeLookups(ref)
	opts := Options{Seed: 7, From: datasets.MonthOf(2022, 1), Months: 6, Scale: 0.05}
	d1, d2 := t.TempDir(), t.TempDir()
	p1, err := generate(context.Background(), d1, opts, ref)
	if err != nil {
		t.Fatal(err)
	}
	p2, err := generate(context.Background(), d2, opts, ref)
	if err != nil {
		t.Fatal(err)
	}
	if h1, h2 := digests(t, d1, p1), digests(t, d2, p2); !reflect.DeepEqual(h1, h2) {
		t.Errorf("two runs differ")
	}
	sum := checkOutputs(t, d1, p1, opts, lk)
	// 2021/22 Q4 and 2022/23 Q1 only.
	if _, ok := sum.hoTotalFY[2021]; !ok {
		t.Errorf("no 2021/22 rows: %v", sum.hoTotalFY)
	}
	if _, ok := sum.hoTotalFY[2022]; !ok {
		t.Errorf("no 2022/23 rows: %v", sum.hoTotalFY)
	}
	if sum.puByCategory[catASB] == 0 || sum.puByCategory[catViolence] == 0 {
		t.Errorf("category counts %v: want ASB and violence rows", sum.puByCategory)
	}
	// The unknown category falls back to Other crime; fraud is never written.
	if _, ok := sum.hoByCodeFY["AF"]; ok {
		t.Errorf("fraud code AF written to the Home Office file")
	}
	if _, ok := sum.hoByCodeFY["ZZ"]; !ok {
		t.Errorf("code ZZ (unknown category) missing from the Home Office file")
	}
}

func TestGenerateEmptyReference(t *testing.T) {
	_, err := generate(context.Background(), t.TempDir(), small, reference{})
	if !errors.Is(err, ErrNoReferenceData) {
		t.Errorf("got %v, want ErrNoReferenceData", err)
	}
}

func TestOptions(t *testing.T) {
	tests := []struct {
		name string
		in   Options
		want Options
		ok   bool
	}{
		{"zero gives defaults", Options{}, Options{Seed: 1, From: datasets.MonthOf(2021, 4), Months: 48, Scale: 0.02}, true},
		{"kept", Options{Seed: 9, From: datasets.MonthOf(2019, 1), Months: 3, Scale: 1}, Options{Seed: 9, From: datasets.MonthOf(2019, 1), Months: 3, Scale: 1}, true},
		{"mid-quarter start", Options{From: datasets.MonthOf(2021, 5)}, Options{}, false},
		{"part quarter", Options{Months: 13}, Options{}, false},
		{"negative months", Options{Months: -3}, Options{}, false},
		{"scale above 1", Options{Scale: 1.5}, Options{}, false},
		{"negative scale", Options{Scale: -0.1}, Options{}, false},
		{"NaN scale", Options{Scale: math.NaN()}, Options{}, false},
		{"year 1800", Options{From: datasets.MonthOf(1800, 4)}, Options{}, false},
	}
	for _, tt := range tests {
		got, err := tt.in.withDefaults()
		if (err == nil) != tt.ok {
			t.Errorf("%s: error %v, want ok=%v", tt.name, err, tt.ok)
			continue
		}
		if tt.ok && got != tt.want {
			t.Errorf("%s: got %+v, want %+v", tt.name, got, tt.want)
		}
	}
	if _, err := Generate(context.Background(), t.TempDir(), Options{Months: 5}); err == nil {
		t.Error("Generate accepted 5 months")
	}
}

func TestFinancialYear(t *testing.T) {
	for _, tt := range []struct {
		in   int
		want string
	}{{2021, "2021/22"}, {1999, "1999/00"}, {2008, "2008/09"}, {2099, "2099/00"}} {
		if got := financialYear(tt.in); got != tt.want {
			t.Errorf("financialYear(%d) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAppendField(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"Wiltshire Police", "Wiltshire Police"},
		{"London, City of", `"London, City of"`},
		{`say "hi"`, `"say ""hi"""`},
		{"Bournemouth, Christchurch and Poole 001A", `"Bournemouth, Christchurch and Poole 001A"`},
	} {
		if got := string(appendField([]byte("x,"), tt.in)); got != "x,"+tt.want {
			t.Errorf("appendField(%q) = %q, want %q", tt.in, got, "x,"+tt.want)
		}
	}
}

func TestCrimeID(t *testing.T) {
	m := datasets.MonthOf(2021, 4) // 24255
	var b []byte
	b = binary.LittleEndian.AppendUint64(b, 3)
	b = binary.LittleEndian.AppendUint32(b, 2021*12+3)
	b = binary.LittleEndian.AppendUint32(b, 17)
	b = append(b, "E23000038"...)
	s := sha256.Sum256(b)
	want := hex.EncodeToString(s[:])
	if got := string(crimeID([]byte(nil), 3, "E23000038", m, 17)); got != want {
		t.Errorf("crimeID = %s, want %s", got, want)
	}
	if a, b := crimeID(nil, 3, "E23000038", m, 17), crimeID(nil, 3, "E23000038", m, 18); string(a) == string(b) {
		t.Error("rows 17 and 18 share a Crime ID")
	}
}

func TestLSOAName(t *testing.T) {
	ds := []district{{name: "Swindon"}, {name: "Wiltshire"}}
	for _, tt := range []struct {
		idx  int
		want string
	}{{0, "Swindon 001A"}, {1, "Wiltshire 001A"}, {2, "Swindon 001B"}, {11, "Wiltshire 002A"}, {2*5*99 + 1, "Wiltshire 100A"}} {
		if got := string(lsoaName(nil, ds, tt.idx)); got != tt.want {
			t.Errorf("lsoaName(%d) = %q, want %q", tt.idx, got, tt.want)
		}
	}
}

// TestPoisson checks the sampler's mean and variance on both branches.
func TestPoisson(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, lambda := range []float64{0.3, 4, 29, 31, 500, 40000} {
		const n = 20000
		var s, s2 float64
		for range n {
			x := float64(poisson(r, lambda))
			s += x
			s2 += x * x
		}
		mean := s / n
		v := s2/n - mean*mean
		if math.Abs(mean-lambda) > 4*math.Sqrt(lambda/n) {
			t.Errorf("lambda %v: mean %v", lambda, mean)
		}
		if math.Abs(v/lambda-1) > 0.05 {
			t.Errorf("lambda %v: variance %v", lambda, v)
		}
	}
	if got := poisson(r, 0); got != 0 {
		t.Errorf("poisson(0) = %d", got)
	}
	if got := poisson(r, math.NaN()); got != 0 {
		t.Errorf("poisson(NaN) = %d", got)
	}
}

func TestSeasonsNormalised(t *testing.T) {
	for i, s := range seasons {
		var sum float64
		for _, v := range s {
			sum += v
		}
		if math.Abs(sum-12) > 1e-9 {
			t.Errorf("season %d sums to %v, want 12", i, sum)
		}
	}
}

func TestQuarterNumber(t *testing.T) {
	// Check the quarter column against datasets.FinancialQuarter.
	ref := fakeReference()
	dir := t.TempDir()
	opts := Options{From: datasets.MonthOf(2020, 1), Months: 15, Scale: 0.01}
	paths, err := generate(context.Background(), dir, opts, ref)
	if err != nil {
		t.Fatal(err)
	}
	checkOutputs(t, dir, paths, opts, fakeLookups(ref))
}
