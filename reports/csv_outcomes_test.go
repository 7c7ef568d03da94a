package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestWriteOutcomesCSV(t *testing.T) {
	s := datasets.OutcomeShares{AreaCode: "E23000038", AreaName: "Wiltshire", Label: "All crime", Start: m("2018-10"), End: m("2018-11"),
		Total: 10, Untyped: 3, HasNational: true, NationalLabel: "England and Wales excluding Wiltshire", NationalTotal: 100, NationalUntyped: 7,
		Caveat: "Counted when recorded.", Notes: []string{"=A note."},
		Groups: []datasets.OutcomeShare{
			{Group: datasets.OutcomeCharged, Label: "Charged or summonsed", Count: 2, HasShare: true, Share: 0.2, Lo: 0.025211, Hi: 0.556095,
				NationalCount: 30, HasNationalShare: true, NationalShare: 0.3, NationalLo: 0.21241, NationalHi: 0.39981},
			{Group: datasets.OutcomeNoSuspect, Label: "No suspect identified", Count: 8, HasShare: true, Share: 0.8, Lo: 0.44, Hi: 0.97},
		}}
	empty := datasets.OutcomeShares{AreaCode: "E23000039", AreaName: "Dorset", CrimeType: "Robbery", Label: "Robbery", Start: m("2018-10"), End: m("2018-10"),
		Caveat: "Counted when recorded.", Groups: []datasets.OutcomeShare{{Group: datasets.OutcomeCharged, Label: "Charged or summonsed"}}}
	var b bytes.Buffer
	if err := WriteOutcomesCSV(&b, []datasets.OutcomeShares{s, empty}); err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"area_code,area_name,crime_type,period_start,period_end,comparator,label,outcome_group,outcome_group_label,count,total,share_pct,share_pct_low,share_pct_high,untyped,note",
		"E23000038" + ",Wiltshire,All crime,2018-10,2018-11,force,Wiltshire,charged,Charged or summonsed,2,10,20.0,2.5,55.6,3,Counted when recorded. =A note.",
		"E23000038" + ",Wiltshire,All crime,2018-10,2018-11,england-wales,England and Wales excluding Wiltshire,charged,Charged or summonsed,30,100,30.0,21.2,40.0,7,Counted when recorded.",
		"E23000038" + ",Wiltshire,All crime,2018-10,2018-11,force,Wiltshire,no-suspect,No suspect identified,8,10,80.0,44.0,97.0,3,Counted when recorded.",
		"E23000038" + ",Wiltshire,All crime,2018-10,2018-11,england-wales,England and Wales excluding Wiltshire,no-suspect,No suspect identified,0,100,,,,7,Counted when recorded.",
		"E23000039,Dorset,Robbery,2018-10,2018-10,force,Dorset,charged,Charged or summonsed,0,0,,,,0,Counted when recorded.",
	}, "\n") + "\n"
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
