package pipeline

import (
	"context"
	"errors"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

func oc(area string, m datasets.Month, crimeType, outcome string, n int64) datasets.OutcomeCount {
	return datasets.OutcomeCount{AreaCode: area, Month: m, CrimeType: crimeType, Outcome: outcome, Count: n}
}

func outcomeCov(area string, months ...datasets.Month) []datasets.Coverage {
	var out []datasets.Coverage
	for _, m := range months {
		out = append(out, datasets.Coverage{Source: datasets.SourcePoliceUKOutcomes, AreaCode: area, Start: m, End: m})
	}
	return out
}

func nearShare(a, b float64) bool { return math.Abs(a-b) < 5e-5 }

// TestOutcomes: hand-worked shares and intervals. Wiltshire, October and
// November 2018: 2 of its 10 burglary outcomes charged (0.2, exact 95%
// interval 0.0252 to 0.5561, as published tables of the Clopper-Pearson
// interval give it); all crime adds 5 outcomes of unknown type. Dorset
// (both months: 30 of 100 burglary outcomes charged, 0.2124 to 0.3998) and
// 38 other forces with both months but no outcomes are England and Wales
// excluding Wiltshire; Sussex, with November only, and Kent, with none,
// are left out of it and named, under the one like-for-like rule.
func TestOutcomes(t *testing.T) {
	oct, nov := datasets.MonthOf(2018, 10), datasets.MonthOf(2018, 11)
	const wilts, dorset, sussex = "E23000038", "E23000039", "E23000033"
	counts := []datasets.OutcomeCount{
		oc(wilts, oct, "Burglary", "Suspect charged", 1),
		oc(wilts, nov, "Burglary", "Suspect charged as part of another case", 1),
		oc(wilts, oct, "Burglary", "Investigation complete; no suspect identified", 6),
		oc(wilts, nov, "Burglary", "Offender given a caution", 2),
		oc(wilts, nov, "", "Suspect charged", 5),
		oc(wilts, datasets.MonthOf(2018, 12), "Burglary", "Suspect charged", 50), // outside the window
		oc(dorset, oct, "Burglary", "Suspect charged", 30),
		oc(dorset, nov, "Burglary", "Unable to prosecute suspect", 70),
		oc(dorset, nov, "Robbery", "Suspect charged", 9),
		oc(sussex, nov, "Burglary", "Suspect charged", 1000),
	}
	cov := append(append(outcomeCov(wilts, oct, nov, datasets.MonthOf(2018, 12)), outcomeCov(dorset, oct, nov)...), outcomeCov(sussex, nov)...)
	var others []string
	for _, a := range datasets.Forces() {
		switch a.Code {
		case wilts, dorset, sussex, "E23000032", datasets.CodeBTP: // Kent: none
		default:
			cov = append(cov, outcomeCov(a.Code, oct, nov)...)
			others = append(others, a.Code)
		}
	}
	national := append([]string{dorset}, others...)
	sort.Strings(national)
	got, err := Outcomes(counts, cov, OutcomesOptions{Force: "Wiltshire Police", CrimeType: "burglary", Start: oct, End: nov})
	if err != nil {
		t.Fatal(err)
	}
	if got.AreaCode != wilts || got.Label != "Burglary" || got.Total != 10 || got.Untyped != 5 || !got.HasNational ||
		got.NationalTotal != 100 || got.NationalLabel != "England and Wales excluding Wiltshire, Kent and Sussex" ||
		!reflect.DeepEqual(got.NationalForces, national) || !reflect.DeepEqual(got.NationalLeftOut, []string{"Kent", "Sussex"}) ||
		got.Caveat != datasets.OutcomesCaveat {
		t.Fatalf("result %+v", got)
	}
	groups := map[string]datasets.OutcomeShare{}
	for _, g := range got.Groups {
		groups[g.Group] = g
	}
	if len(got.Groups) != len(datasets.OutcomeGroups())-1 {
		t.Errorf("%d groups, want every group but Other outcome, which has no outcome", len(got.Groups))
	}
	ch := groups[datasets.OutcomeCharged]
	if ch.Count != 2 || !ch.HasShare || !nearShare(ch.Share, 0.2) || !nearShare(ch.Lo, 0.025211) || !nearShare(ch.Hi, 0.556095) {
		t.Errorf("charged %+v: want 2 of 10, 0.2 (0.0252 to 0.5561)", ch)
	}
	if ch.NationalCount != 30 || !ch.HasNationalShare || !nearShare(ch.NationalShare, 0.3) || math.Abs(ch.NationalLo-0.2124) > 1e-4 || math.Abs(ch.NationalHi-0.3998) > 1e-4 {
		t.Errorf("charged, England and Wales %+v: want 30 of 100, 0.3 (0.2124 to 0.3998)", ch)
	}
	if g := groups[datasets.OutcomeOutOfCourt]; g.Count != 2 || g.NationalCount != 0 || !g.HasNationalShare || g.NationalShare != 0 {
		t.Errorf("out of court %+v", g)
	}
	if g := groups[datasets.OutcomeCourtResult]; g.Count != 0 || !g.HasShare || g.Share != 0 || g.Lo != 0 {
		t.Errorf("court result %+v", g)
	}
	notes := strings.Join(got.Notes, "\n")
	for _, w := range []string{"5 of Wiltshire's outcomes in October 2018 to November 2018 are of crimes not in the street files", "England and Wales excluding Wiltshire, Kent and Sussex leaves out Kent and Sussex, without outcomes for every month of October 2018 to November 2018."} {
		if !strings.Contains(notes, w) {
			t.Errorf("notes %q lack %q", notes, w)
		}
	}

	// An outcome type crimetrends does not list counts in Other outcome,
	// named in a note.
	withOther, err := Outcomes(append(slices.Clone(counts), oc(wilts, nov, "Burglary", "Let off", 3)), cov,
		OutcomesOptions{Force: "Wiltshire", CrimeType: "Burglary", Start: oct, End: nov})
	if err != nil {
		t.Fatal(err)
	}
	last := withOther.Groups[len(withOther.Groups)-1]
	if withOther.Total != 13 || len(withOther.Groups) != len(datasets.OutcomeGroups()) || last.Group != datasets.OutcomeOther ||
		last.Label != "Other outcome" || last.Count != 3 || !nearShare(last.Share, 3.0/13) || last.NationalCount != 0 {
		t.Errorf("with an outcome type not listed: total %d, last group %+v", withOther.Total, last)
	}
	if notes := strings.Join(withOther.Notes, "\n"); !strings.Contains(notes, `Other outcome counts Wiltshire's outcomes of a type crimetrends does not list (data.police.uk adds types now and then): "Let off" (3).`) {
		t.Errorf("notes %q lack the Other outcome note", notes)
	}

	// All crime counts the outcomes of unknown type.
	all, err := Outcomes(counts, cov, OutcomesOptions{Force: "E23000038", Start: oct, End: nov})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != 15 || all.Label != "All crime" || all.Groups[0].Count != 7 || all.NationalTotal != 109 {
		t.Errorf("all crime %+v", all)
	}
	// The default window ends at the force's latest month.
	def, err := Outcomes(counts, cov, OutcomesOptions{Force: "Wiltshire", Start: nov})
	if err != nil || def.End != datasets.MonthOf(2018, 12) || def.Total != 58 {
		t.Errorf("default end: %+v, %v", def, err)
	}

	for _, bad := range []struct {
		opts OutcomesOptions
		want string
		is   error
	}{
		{OutcomesOptions{Force: "Wiltshire", Start: datasets.MonthOf(2018, 9), End: nov}, "no police.uk outcomes for Wiltshire in 2018-09", ErrNoOutcomes},
		{OutcomesOptions{Force: "Kent"}, "ingest its data.police.uk outcomes files (YYYY-MM-kent-outcomes.csv)", ErrNoOutcomes},
		{OutcomesOptions{Force: "Wiltshire", CrimeType: "Anti-social behaviour"}, "not crime", nil},
		{OutcomesOptions{Force: "Wiltshire", CrimeType: "Piracy"}, "want a police.uk crime type", nil},
		{OutcomesOptions{Force: "Atlantis"}, "unknown police force", nil},
	} {
		_, err := Outcomes(counts, cov, bad.opts)
		if err == nil || !strings.Contains(err.Error(), bad.want) || bad.is != nil && !errors.Is(err, bad.is) {
			t.Errorf("%+v: error %v, want %q", bad.opts, err, bad.want)
		}
	}
}

// TestOutcomesReal: the real City of London outcomes with its street
// files, 2018-10 to 2019-02, counted by hand over the unique rows of the
// five outcomes files (sort -u, awk): 2,919 outcomes, 308 "Suspect
// charged", 807 of crimes in no street file; shoplifting 344, 69 charged.
func TestOutcomesReal(t *testing.T) {
	archive := testutil.Real(t, "police-uk-archive")
	streets, err := filepath.Glob(filepath.Join(testutil.Real(t, "police-uk-street-geoinfo"), "*-city-of-london-street.csv"))
	if err != nil || len(streets) != 5 {
		t.Skipf("street files: %v %v", streets, err)
	}
	ctx := context.Background()
	st, _ := openStore(t)
	if _, err := Ingest(ctx, st, append([]string{archive}, streets...), IngestOptions{}); err != nil {
		t.Fatal(err)
	}
	out, err := st.Outcomes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	start, end := datasets.MonthOf(2018, 10), datasets.MonthOf(2019, 2)
	for _, tt := range []struct {
		crimeType      string
		total, charged int64
		untyped        int64
	}{
		{"", 2919, 308, 807},
		{"Shoplifting", 344, 69, 807},
	} {
		got, err := Outcomes(out.Counts, out.Coverage, OutcomesOptions{Force: "City of London", CrimeType: tt.crimeType, Start: start, End: end})
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != tt.total || got.Groups[0].Count != tt.charged || got.Untyped != tt.untyped || got.HasNational {
			t.Errorf("%q: total %d, charged %d, untyped %d, national %v; want %d, %d, %d, none",
				tt.crimeType, got.Total, got.Groups[0].Count, got.Untyped, got.HasNational, tt.total, tt.charged, tt.untyped)
		}
	}
}
