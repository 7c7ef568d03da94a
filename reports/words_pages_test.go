package reports

import (
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

func TestPageWords(t *testing.T) {
	rep := wordsReport()
	sh := pipeline.Topic{Name: "Stalking and harassment"}
	total := pipeline.Topic{Name: "Total recorded crime (excluding fraud)"}
	tests := []struct{ name, got, want string }{
		{"signed count up", saySignedCount(1257), "+1,257"},
		{"signed count down", saySignedCount(-12), "\u221212"},
		{"signed count zero", saySignedCount(0), "0"},
		{"rank", sayRankOf(37, 43), "37 of 43"},
		{"no rank", sayRankOf(0, 43), ""},
		{"interval", sayIntervalRange(7.72, 21.93), "+7.7% to +21.9%"},
		{"recorded", sayRecorded(sh, 2182), "offences of stalking and harassment recorded"},
		{"recorded one", sayRecorded(sh, 1), "offence of stalking and harassment recorded"},
		{"recorded total", sayRecorded(total, 44003), "offences recorded (excluding fraud)"},
		{"verdict", sayVerdict(pipeline.VerdictSame), "about the same"},
		{"whole pct", wholePct(14.6), "+15%"},
		{"whole pct down", wholePct(-3.4), "\u22123%"},
		{"whole pct zero", wholePct(0.4), "0%"},
		{"signed number", signedNumber(-0.5), "\u22120.5"},
		{"signed number whole", signedNumber(1204), "+1,204"},
		{"signed number decimal", signedNumber(1234.56), "+1,234.6"},
		{"short name", shortName("Total recorded crime (excluding fraud)", 26), "Total recorded crime…"},
		{"short name fits", shortName("Robbery", 26), "Robbery"},
		{"wrap", wrapName("England and Wales excluding Wiltshire", 22), "England and Wales\nexcluding Wiltshire"},
		{"status", sayStatus(&pipeline.Report{}, datasets.SourceONSPFA), "ONS Police Force Area data tables: official statistics (not accredited)."},
		{"point", sayPointMeaning(rep), "Each point is the total of the 12 months ending that month."},
		{"index axis", sayIndexAxis(rep, datasets.MonthOf(2018, 3)), "Index (12 months to March 2018 = 100)"},
		// One name per force, as ONS names it, whatever the source printed;
		// a like-for-like total keeps the name that says whom it leaves out.
		{"ONS name", sayAreaName(pipeline.Figure{AreaCode: "E23000034", AreaName: "London, City of"}), "City of London"},
		{"left out", sayAreaName(pipeline.Figure{AreaCode: datasets.CodeEnglandWales, AreaName: "England and Wales excluding Greater Manchester", LeftOut: []string{"Greater Manchester"}}),
			"England and Wales excluding Greater Manchester"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}

func TestSayShortDataAndFewPoints(t *testing.T) {
	rep := wordsReport()
	tp := pipeline.Topic{Name: "Burglary", Taxonomy: pipeline.TaxonomyPoliceUK, Monthly: []pipeline.MonthlySeries{{
		AreaCode: "E23000038", AreaName: "Wiltshire", Source: datasets.SourcePoliceUK,
		Periods: []pipeline.Period{{Start: datasets.MonthOf(2018, 10), End: datasets.MonthOf(2018, 10), Count: 255}, {Start: datasets.MonthOf(2019, 2), End: datasets.MonthOf(2019, 2), Count: 203}},
	}}}
	want := "The data.police.uk files in this dataset cover October 2018 to February 2019 (5 months). These are monthly counts as data.police.uk publishes them; a change on a year earlier needs 24 months, so none is given yet."
	if got := sayShortData(rep, tp); got != want {
		t.Errorf("sayShortData:\n got %q\nwant %q", got, want)
	}
	l := pipeline.Line{Name: "Wiltshire", Points: []pipeline.Point{
		{PeriodEnd: datasets.MonthOf(2018, 6), Present: true, Count: 2005}, {PeriodEnd: datasets.MonthOf(2018, 9), Present: true, Count: 2182}}}
	want = "Wiltshire: 2,005 in the 12 months to June 2018 and 2,182 in the 12 months to September 2018. Too few periods for a chart."
	if got := sayFewPoints(rep, l); got != want {
		t.Errorf("sayFewPoints:\n got %q\nwant %q", got, want)
	}
}

// A note is said once however many offences it concerns; one that
// concerns some of them names them (or counts them).
func TestNoteSet(t *testing.T) {
	ns := newNoteSet(5)
	for _, topic := range []string{"A", "B", "C", "D", "E"} {
		ns.add("Every offence has this.", topic)
	}
	ns.add("Only two.", "A")
	ns.add("Only two.", "B")
	ns.add("Only two.", "B")
	for _, topic := range []string{"A", "B", "C", "D"} {
		ns.add("Four of them.", topic)
	}
	ns.add("The page.", "")
	got := strings.Join(ns.list(), "|")
	want := "Every offence has this.|A and B: only two.|4 of the 5 offences here: four of them.|The page."
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestDivergingBoundAndSafeScript(t *testing.T) {
	var vs []mapValue
	for i := 1; i <= 20; i++ {
		vs = append(vs, mapValue{Has: true, Value: float64(i)})
	}
	vs = append(vs, mapValue{Has: true, Value: 180}, mapValue{Has: false, Value: 999})
	if got := divergingBound(vs); got != 20 {
		t.Errorf("divergingBound = %v, want 20 (the outlier does not set the scale)", got)
	}
	if got := divergingBound(nil); got != 5 {
		t.Errorf("divergingBound(nil) = %v, want 5", got)
	}
	if got := safeScript(`a="</script><!-- x";</SCRIPT>`); got != `a="<\/script><\!-- x";<\/SCRIPT>` {
		t.Errorf("safeScript: %q", got)
	}
}

func TestSayMoveSmall(t *testing.T) {
	for _, tc := range []struct {
		f    pipeline.Figure
		want string
	}{
		{pipeline.Figure{HasPrevious: true, Previous: 23447, Change: 4, HasPct: true, PctChange: 0.017}, "up 4 (less than 0.1%)"},
		{pipeline.Figure{HasPrevious: true, Previous: 23447, Change: -4, HasPct: true, PctChange: -0.017}, "down 4 (less than 0.1%)"},
		{pipeline.Figure{HasPrevious: true, Previous: 1904, Change: 278, HasPct: true, PctChange: 14.6}, "up 14.6%"},
		{pipeline.Figure{HasPrevious: true, Previous: 10, Change: 0, HasPct: true}, "no change"},
	} {
		if got := sayMove(tc.f); got != tc.want {
			t.Errorf("sayMove(%+v) = %q, want %q", tc.f, got, tc.want)
		}
	}
}
