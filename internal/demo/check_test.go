package demo

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// lookups is how a check resolves names: the datasets API, or a fake.
type lookups struct {
	forces     []datasets.Area
	offences   []datasets.Offence
	resolve    func(name string) (datasets.Area, error)
	offence    func(code string) (datasets.Offence, bool)
	isCategory func(name string) bool
}

func realLookups() lookups {
	return lookups{
		forces:     datasets.Forces(),
		offences:   datasets.Offences(),
		resolve:    datasets.ResolveForce,
		offence:    datasets.OffenceByCode,
		isCategory: func(name string) bool { _, ok := datasets.CategoryByName(name); return ok },
	}
}

// summary is what checkOutputs learns while checking, for model tests.
type summary struct {
	puRows       int64
	puByCategory map[string]int64
	puByMonth    map[string]map[string]int64 // category -> month -> rows
	hoByCodeFY   map[string]map[int]int64    // code -> financial year -> offences
	hoTotalFY    map[int]int64
}

var (
	hexID      = regexp.MustCompile(`^[0-9a-f]{64}$`)
	lsoaCodeRe = regexp.MustCompile(`^[EW]01[0-9]{6}$`)
	lsoaNameRe = regexp.MustCompile(`^.+ [0-9]{3}[A-E]$`)
)

// checkOutputs parses every file Generate reported and checks it against
// the formats and the reference data.
func checkOutputs(t *testing.T, dir string, paths []string, opts Options, lk lookups) summary {
	t.Helper()
	opts, err := opts.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	sum := summary{
		puByCategory: map[string]int64{},
		puByMonth:    map[string]map[string]int64{},
		hoByCodeFY:   map[string]map[int]int64{},
		hoTotalFY:    map[int]int64{},
	}
	wantFiles := opts.Months*len(lk.forces) + 2
	if len(paths) != wantFiles {
		t.Errorf("Generate returned %d paths, want %d (%d months x %d forces + README + Home Office)", len(paths), wantFiles, opts.Months, len(lk.forces))
	}
	for i := 1; i < len(paths); i++ {
		if paths[i-1] >= paths[i] {
			t.Errorf("paths not sorted and unique: %q before %q", paths[i-1], paths[i])
		}
	}
	seen := map[string]bool{}
	for _, p := range paths {
		seen[p] = true
	}
	for _, f := range lk.forces {
		for i := 0; i < opts.Months; i++ {
			m := opts.From.Add(i).String()
			p := filepath.Join(dir, "police-uk", m, m+"-"+f.Slug+"-street.csv")
			if !seen[p] {
				t.Errorf("missing police.uk file %s", p)
			}
		}
	}
	for _, p := range paths {
		rel, _ := filepath.Rel(dir, p)
		switch {
		case rel == "README.txt":
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(b, []byte("SYNTHETIC")) {
				t.Errorf("README.txt does not say the data is synthetic:\n%s", b)
			}
		case rel == filepath.Join("home-office", "prc-pfa-synthetic.csv"):
			checkHomeOffice(t, p, opts, lk, &sum)
		case strings.HasPrefix(rel, "police-uk"+string(filepath.Separator)):
			checkPoliceUK(t, p, lk, &sum)
		default:
			t.Errorf("unexpected path %s", p)
		}
	}
	return sum
}

func checkPoliceUK(t *testing.T, path string, lk lookups, sum *summary) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(path)
	month := base[:7]
	slug := strings.TrimSuffix(base[8:], "-street.csv")
	if filepath.Base(filepath.Dir(path)) != month {
		t.Errorf("%s: folder %s does not match the month", path, filepath.Base(filepath.Dir(path)))
	}
	force, err := lk.resolve(slug)
	if err != nil {
		t.Fatalf("%s: slug %q: %v", path, slug, err)
	}
	if !bytes.HasPrefix(b, []byte(PoliceUKHeader+"\n")) {
		t.Fatalf("%s: header %q", path, b[:min(len(b), 200)])
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = 12
	r.ReuseRecord = true
	ids := map[string]bool{}
	for row := 1; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if row == 1 {
			continue
		}
		at := fmt.Sprintf("%s row %d", path, row)
		id, mon, by, within, lon, lat, loc, lcode, lname, typ, outcome, ctx := rec[0], rec[1], rec[2], rec[3], rec[4], rec[5], rec[6], rec[7], rec[8], rec[9], rec[10], rec[11]
		if mon != month {
			t.Fatalf("%s: Month %q, want %q", at, mon, month)
		}
		if !lk.isCategory(typ) {
			t.Fatalf("%s: Crime type %q is not a police.uk category", at, typ)
		}
		if typ == catASB {
			if id != "" || outcome != "" {
				t.Fatalf("%s: ASB row has Crime ID %q, outcome %q; want both empty", at, id, outcome)
			}
		} else {
			if !hexID.MatchString(id) {
				t.Fatalf("%s: Crime ID %q is not 64 hex digits", at, id)
			}
			if ids[id] {
				t.Fatalf("%s: duplicate Crime ID %s", at, id)
			}
			ids[id] = true
			if outcome == "" {
				t.Fatalf("%s: crime with no outcome", at)
			}
		}
		if ctx != "" {
			t.Fatalf("%s: Context %q, want empty", at, ctx)
		}
		byArea, err := lk.resolve(by)
		if err != nil || byArea.Code != force.Code {
			t.Fatalf("%s: Reported by %q resolves to %q (%v), want %s", at, by, byArea.Code, err, force.Code)
		}
		withinArea, err := lk.resolve(within)
		switch {
		case err != nil:
			t.Fatalf("%s: Falls within %q: %v", at, within, err)
		case force.Code == datasets.CodeBTP && withinArea.Code == datasets.CodeBTP:
			t.Fatalf("%s: BTP row falls within BTP, want a territorial force", at)
		case force.Code != datasets.CodeBTP && withinArea.Code != force.Code:
			t.Fatalf("%s: Falls within %q, want the reporting force", at, within)
		}
		if loc == "No location" {
			if lon != "" || lat != "" || lcode != "" || lname != "" {
				t.Fatalf("%s: No location row with coordinates or LSOA: %q", at, rec)
			}
		} else {
			x, err1 := strconv.ParseFloat(lon, 64)
			y, err2 := strconv.ParseFloat(lat, 64)
			if err1 != nil || err2 != nil || x < -6.5 || x > 2 || y < 49.8 || y > 56 {
				t.Fatalf("%s: longitude %q latitude %q outside England and Wales", at, lon, lat)
			}
			if !strings.HasPrefix(loc, "On or near ") {
				t.Fatalf("%s: Location %q", at, loc)
			}
			if !lsoaCodeRe.MatchString(lcode) || !lsoaNameRe.MatchString(lname) {
				t.Fatalf("%s: LSOA %q %q", at, lcode, lname)
			}
		}
		sum.puRows++
		sum.puByCategory[typ]++
		if sum.puByMonth[typ] == nil {
			sum.puByMonth[typ] = map[string]int64{}
		}
		sum.puByMonth[typ][month]++
	}
}

func checkHomeOffice(t *testing.T, path string, opts Options, lk lookups, sum *summary) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte(HomeOfficeHeader+"\n")) {
		t.Fatalf("%s: header %q", path, b[:min(len(b), 200)])
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = 8
	type key struct {
		fy, q       int
		force, code string
	}
	seen := map[key]bool{}
	for row := 1; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if row == 1 {
			continue
		}
		at := fmt.Sprintf("%s row %d", path, row)
		fy, err := datasets.ParseFinancialYear(rec[0])
		if err != nil {
			t.Fatalf("%s: %v", at, err)
		}
		q, err := strconv.Atoi(rec[1])
		if err != nil || q < 1 || q > 4 {
			t.Fatalf("%s: Financial Quarter %q", at, rec[1])
		}
		first, _ := datasets.FinancialQuarter(fy, q)
		if first < opts.From || first > opts.From.Add(opts.Months-1) {
			t.Fatalf("%s: quarter %s Q%d is outside the requested months", at, rec[0], q)
		}
		area, err := lk.resolve(rec[2])
		if err != nil {
			t.Fatalf("%s: Force Name %q: %v", at, rec[2], err)
		}
		switch area.Code {
		case "E23000034":
			if rec[2] != "London, City of" {
				t.Fatalf("%s: City of London spelt %q", at, rec[2])
			}
		case datasets.CodeBTP:
			if rec[2] != "British Transport Police" {
				t.Fatalf("%s: BTP spelt %q", at, rec[2])
			}
		}
		o, ok := lk.offence(rec[6])
		if !ok || o.Fraud {
			t.Fatalf("%s: Offence Code %q unknown or fraud", at, rec[6])
		}
		if rec[3] != o.Description || rec[4] != o.Group || rec[5] != o.Subgroup {
			t.Fatalf("%s: description/group/subgroup %q, want %q %q %q", at, rec[3:6], o.Description, o.Group, o.Subgroup)
		}
		raw := rec[7]
		if len(raw) < 3 || raw[0] != ' ' || raw[len(raw)-1] != ' ' {
			t.Fatalf("%s: Number of Offences %q is not space padded", at, raw)
		}
		n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
		if err != nil || n < 0 {
			t.Fatalf("%s: Number of Offences %q: %v", at, raw, err)
		}
		k := key{fy, q, area.Code, o.Code}
		if seen[k] {
			t.Fatalf("%s: duplicate row for %v", at, k)
		}
		seen[k] = true
		if sum.hoByCodeFY[o.Code] == nil {
			sum.hoByCodeFY[o.Code] = map[int]int64{}
		}
		sum.hoByCodeFY[o.Code][fy] += n
		sum.hoTotalFY[fy] += n
	}
	nonFraud := 0
	for _, o := range lk.offences {
		if !o.Fraud {
			nonFraud++
		}
	}
	// The quarters present are exactly those of the requested months.
	quarters := map[[2]int]bool{}
	for k := range seen {
		quarters[[2]int{k.fy, k.q}] = true
	}
	for i := 0; i < opts.Months; i += 3 {
		m := opts.From.Add(i)
		fy := m.Year()
		if m.MonthOfYear() < 4 {
			fy--
		}
		q := (int(m-datasets.MonthOf(fy, 4)))/3 + 1
		if first, _ := datasets.FinancialQuarter(fy, q); first != m || !quarters[[2]int{fy, q}] {
			t.Errorf("%s: no rows for %d/%d Q%d (months from %s)", path, fy, fy+1, q, m)
		}
		delete(quarters, [2]int{fy, q})
	}
	if len(quarters) != 0 {
		t.Errorf("%s: rows for unexpected quarters %v", path, quarters)
	}
	if want := opts.Months / 3 * len(lk.forces) * nonFraud; len(seen) != want {
		t.Errorf("%s: %d rows, want %d (quarters x forces x non-fraud codes)", path, len(seen), want)
	}
}
