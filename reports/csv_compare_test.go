package reports

import (
	"bytes"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestWriteComparisonsCSV(t *testing.T) {
	cs := []datasets.Comparison{{
		Source: datasets.SourceHomeOffice, Offence: sh, Window: datasets.WindowFYTD, PeriodEnd: m("2018-09"), Months: 6,
		Force: datasets.Comparator{Kind: datasets.ComparatorForce, AreaCode: codeWilts, Label: "Wiltshire", Count: 1100,
			HasPrevious: true, Previous: 1000, Change: 100, HasPct: true, PctChange: 10,
			HasRate: true, Rate: 1100.0 * 1000 / 720100, Population: 720100, PopulationVintage: "mid-2018"},
		Comparators: []datasets.Comparator{{Kind: datasets.ComparatorPeers, Label: "=Peers excluding Wiltshire", Count: 50, LeftOut: []string{"Dorset", "Gwent"}, Note: "no previous"}},
		Rank:        2, Ranked: 43, Rose: 30, Compared: 43,
	}}
	var b bytes.Buffer
	if err := WriteComparisonsCSV(&b, cs); err != nil {
		t.Fatal(err)
	}
	want := "force_code,force_name,source,offence,window,period_start,period_end,months,comparator,label,count,previous_count,change,pct_change,rate_per_1000,population,population_vintage,left_out,rank,ranked,rate_rank,rate_ranked,forces_rose,forces_compared,note\n" +
		codeWilts + ",Wiltshire,homeoffice,Stalking and harassment,fytd,2018-04,2018-09,6,force,Wiltshire,1100,1000,100,10.0,1.528,720100,mid-2018,,2,43,,,30,43,\n" +
		codeWilts + ",Wiltshire,homeoffice,Stalking and harassment,fytd,2018-04,2018-09,6,peers,'=Peers excluding Wiltshire,50,,,,,,,Dorset; Gwent,,,,,,,no previous\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriteReconciliationCSV(t *testing.T) {
	var b bytes.Buffer
	rs := []datasets.Reconciliation{{AreaCode: codeWilts, AreaName: "Wiltshire", Offence: sh, Start: m("2017-10"), End: m("2018-09"),
		Extract: 1090, Published: 1100, PublishedSource: "ons-pfa-2019-03", Difference: -10, HasPct: true, PctDifference: -100 * 10.0 / 1100, Note: "below"}}
	if err := WriteReconciliationCSV(&b, rs); err != nil {
		t.Fatal(err)
	}
	want := "area_code,area_name,offence,period_start,period_end,force_extract,published,published_source,difference,pct_difference,note\n" +
		codeWilts + ",Wiltshire,Stalking and harassment,2017-10,2018-09,1090,1100,ons-pfa-2019-03,-10,-0.9,below\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
