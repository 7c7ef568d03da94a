package reports

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
)

func m(s string) datasets.Month {
	mm, err := datasets.ParseMonth(s)
	if err != nil {
		panic(err)
	}
	return mm
}

// A report of two sources for one question: the quoted figure is marked,
// formula-like text is defused, numbers (negative ones too) are left
// alone.
func TestWriteFigures(t *testing.T) {
	q := pipeline.Figure{Present: true, Topic: "stalking-and-harassment", Offence: "Stalking and harassment", AreaCode: "E23000038",
		AreaName: "Wiltshire", AreaKind: datasets.KindForce, PeriodEnd: m("2018-03"), Months: 12, Source: datasets.SourceONSPFA, Release: "ons-pfa-2018-03-v2",
		Published: true, HasCount: true, Count: 1913, HasPrevious: true, Previous: 1999, PreviousDerived: true, Change: -86,
		HasPct: true, PctChange: -4.3, HasInterval: true, Lo: -10.1, Hi: 1.9, Verdict: pipeline.VerdictSame,
		HasRate: true, Rate: 2.6731, Population: 715600, PopulationVintage: "mid-2016", Quoted: true}
	o := pipeline.Figure{Present: true, Topic: "stalking-and-harassment", Offence: "Stalking and harassment", AreaCode: "E23000038",
		AreaName: "Wiltshire", AreaKind: datasets.KindForce, PeriodEnd: m("2018-03"), Months: 12, Source: datasets.SourceHomeOffice,
		HasCount: true, Count: 1896, Note: "=cmd|' /C calc'!A0"}
	rep := &pipeline.Report{Figures: []pipeline.Figure{q, o}}
	var buf bytes.Buffer
	if err := WriteFigures(&buf, rep, false); err != nil {
		t.Fatal(err)
	}
	want := `topic,offence,area_code,area_name,area_kind,period_end,months,count,count_marker,previous_count,previous_derived,change,pct_change,pct_note,ci_low,ci_high,verdict,rate_per_1000,population,population_vintage,source,release,status,quoted,note
stalking-and-harassment,Stalking and harassment,E23000038,Wiltshire,force,2018-03,12,1913,,1999,yes,-86,-4.3,,-10.1,1.9,about the same,2.7,715600,mid-2016,ons-pfa,ons-pfa-2018-03-v2,Official statistics (not accredited),yes,
stalking-and-harassment,Stalking and harassment,E23000038,Wiltshire,force,2018-03,12,1896,,,,,,,,,,,,,homeoffice,,Official statistics (not accredited),no,'=cmd|' /C calc'!A0
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil || len(recs) != 3 {
		t.Errorf("re-read: %d records, %v", len(recs), err)
	}
	keys, err := ReadFigureKeys(bytes.NewReader(buf.Bytes()), "trends.csv")
	if err != nil || len(keys) != 2 || keys[0].Source != "ons-pfa-2018-03-v2" || keys[0].Count != 1913 || !keys[0].HasPct || keys[1].HasPrevious {
		t.Errorf("ReadFigureKeys: %+v, %v", keys, err)
	}
}

func TestWriteCountsCSV(t *testing.T) {
	counts := []datasets.Count{
		{Source: datasets.SourcePoliceUK, AreaCode: "E23900001", Offence: "Violence and sexual offences", Start: m("2018-09"), End: m("2018-09"), Count: 500},
		{Source: datasets.SourceHomeOffice, AreaCode: "E23900001", Offence: "8Q", Start: m("2018-07"), End: m("2018-09"), Count: 12},
		{Source: datasets.SourceHomeOffice, AreaCode: "E23900001", Offence: "-1", Start: m("2018-04"), End: m("2018-06"), Count: 3},
		{Source: datasets.SourceHomeOffice, AreaCode: datasets.CodeEnglandWales, Offence: "8Q", Start: m("2018-04"), End: m("2018-06"), Count: 9000},
	}
	var buf bytes.Buffer
	if err := WriteCountsCSV(&buf, counts); err != nil {
		t.Fatal(err)
	}
	want := `area_code,area_name,offence,period_start,period_end,count,source
E23900001,,'-1,2018-04,2018-06,3,homeoffice
E23900001,,8Q,2018-07,2018-09,12,homeoffice
K04000001,England and Wales,8Q,2018-04,2018-06,9000,homeoffice
E23900001,,Violence and sexual offences,2018-09,2018-09,500,policeuk
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	if counts[0].Source != datasets.SourcePoliceUK {
		t.Error("WriteCountsCSV reordered its input")
	}
}

func TestSafeText(t *testing.T) {
	tests := map[string]string{
		"": "", "Wiltshire": "Wiltshire", "=1+1": "'=1+1", "+44": "'+44", "-x": "'-x", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "a=b": "a=b", "'already": "'already",
	}
	for in, want := range tests {
		if got := safeText(in); got != want {
			t.Errorf("safeText(%q) = %q, want %q", in, got, want)
		}
	}
}

// The keys WriteFiguresKeys gives are those ReadFigureKeys reads back from
// the file it wrote, texts a spreadsheet or encoding/csv would change
// included; the file is WriteFigures's.
func TestWriteFiguresKeys(t *testing.T) {
	base := pipeline.Figure{Present: true, Topic: "burglary", Offence: "Burglary", AreaCode: "E23000038", AreaName: "Wiltshire",
		AreaKind: datasets.KindForce, PeriodEnd: m("2019-03"), Months: 12, Source: datasets.SourceHomeOffice, HasCount: true, Count: 3001,
		HasPrevious: true, Previous: 2900, Change: 101, HasPct: true, PctChange: 3.48275862}
	var figs []pipeline.Figure
	for i, note := range []string{"", "=SUM(A1)", "a, \"quoted\" note", "two\r\nlines", "bare\rreturn", "-12", "+x", "line\nfeed", " spaced "} {
		f := base
		f.Note, f.PeriodEnd, f.Count = note, base.PeriodEnd.Add(i), base.Count+int64(i)
		if i%2 == 1 {
			f.Source, f.Release, f.Published, f.HasPct = datasets.SourceONSPFA, "ons-pfa-2019-03", true, false
			f.AreaName = "@England and Wales excluding Greater Manchester"
		}
		figs = append(figs, f)
	}
	rep := &pipeline.Report{Figures: figs}
	for _, synthetic := range []bool{false, true} {
		var plain, keyed bytes.Buffer
		if err := WriteFigures(&plain, rep, synthetic); err != nil {
			t.Fatal(err)
		}
		got, err := WriteFiguresKeys(&keyed, rep, synthetic)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(plain.Bytes(), keyed.Bytes()) {
			t.Errorf("synthetic %v: WriteFiguresKeys wrote another file", synthetic)
		}
		want, err := ReadFigureKeys(bytes.NewReader(keyed.Bytes()), "trends.csv")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("synthetic %v:\ngot  %+v\nwant %+v", synthetic, got, want)
		}
	}
}
