package reports

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestWriteTrendsCSV(t *testing.T) {
	ho := datasets.SourceHomeOffice
	rows := []datasets.Trend{
		trend(ho, sh, codeWilts, "Wiltshire Police", "2018-09", 3438, 3000, ""),
		trend(ho, sh, codeGwent, "Gwent Police", "2018-09", 2910, 3000, ""),
		trend(ho, sh, codeDyfed, "=HYPERLINK(\"http://x\")", "2018-09", 40, 30, "-base under 50"),
		trend(ho, sh, codeNWales, "@North Wales", "2018-09", 100, -1, "+no previous year, \"quoted\""),
		trend(ho, sh, datasets.CodeEnglandWales, "England and Wales", "2018-09", 565000, 400000, ""),
		trend(ho, "Robbery", codeWilts, "Wiltshire Police", "2018-09", 100, 100, ""),
	}
	var buf bytes.Buffer
	if err := WriteTrendsCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	want := `area_code,area_name,offence,period_end,months,count,previous_count,change,pct_change,source,note
E23900001,Wiltshire Police,Robbery,2018-09,12,100,100,0,0.0,homeoffice,
E23900001,Wiltshire Police,Stalking and harassment,2018-09,12,3438,3000,438,14.6,homeoffice,
E23900002,Gwent Police,Stalking and harassment,2018-09,12,2910,3000,-90,-3.0,homeoffice,
E23900003,"'=HYPERLINK(""http://x"")",Stalking and harassment,2018-09,12,40,30,10,,homeoffice,'-base under 50
E23900004,'@North Wales,Stalking and harassment,2018-09,12,100,,,,homeoffice,"'+no previous year, ""quoted"""
K04000001,England and Wales,Stalking and harassment,2018-09,12,565000,400000,165000,41.3,homeoffice,
`
	if got := buf.String(); got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// The output parses back with the same number of fields on every row.
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes())).ReadAll()
	if err != nil || len(recs) != len(rows)+1 {
		t.Errorf("re-read: %d records, %v", len(recs), err)
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
