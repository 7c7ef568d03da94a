package pipeline

import (
	"reflect"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func TestPublishedTrends(t *testing.T) {
	sep18 := datasets.MonthOf(2018, 9)
	rows := []datasets.Published{
		{Release: "ons-pfa-2018-09", AreaCode: datasets.CodeEnglandWales, AreaName: "ENGLAND AND WALES", Offence: "Stalking and harassment",
			PeriodEnd: sep18, Months: 12, HasCount: true, Count: 444054, HasPct: true, PctChange: 41.295907978909305},
		{Release: "ons-pfa-2018-09", AreaCode: "E23000034", AreaName: "City of London", Offence: "Homicide",
			PeriodEnd: sep18, Months: 12, HasCount: true, Count: 1, PctMarker: "-"},
		{Release: "ons-pfa-2018-09", AreaCode: "E23000005", AreaName: "Greater Manchester", Offence: "Robbery",
			PeriodEnd: sep18, Months: 12, CountMarker: "..", PctMarker: ".."},
		{Release: "ons-pfa-2018-09", AreaCode: "E12000002", AreaName: "North West", Offence: "Robbery",
			PeriodEnd: sep18, Months: 12, HasCount: true, Count: 9000, HasPct: true, PctChange: 5},
		{Release: "ons-pfa-2018-09", AreaCode: "E12000009", AreaName: "South West", Offence: "Robbery",
			PeriodEnd: sep18, Months: 12, HasCount: true, Count: 2000, HasPct: true, PctChange: 4},
	}
	got, notes := PublishedTrends(rows)
	want := []datasets.Trend{
		{AreaCode: "E23000034", AreaName: "City of London", Offence: "Homicide", PeriodEnd: sep18, Months: 12, Count: 1,
			Source: "ons-pfa-2018-09", Note: `as published by ONS: percentage change not shown: base under 50 or no comparable earlier figure ("-")`},
		{AreaCode: "E12000002", AreaName: "North West excluding Greater Manchester", Offence: "Robbery", PeriodEnd: sep18, Months: 12,
			Count: 9000, HasPct: true, PctChange: 5, Source: "ons-pfa-2018-09",
			Note: "as published by ONS; previous-year figure not published; the published total leaves out Greater Manchester, whose figures the release does not have"},
		{AreaCode: "E12000009", AreaName: "South West", Offence: "Robbery", PeriodEnd: sep18, Months: 12,
			Count: 2000, HasPct: true, PctChange: 4, Source: "ons-pfa-2018-09", Note: "as published by ONS; previous-year figure not published"},
		{AreaCode: datasets.CodeEnglandWales, AreaName: "England and Wales", Offence: "Stalking and harassment", PeriodEnd: sep18, Months: 12,
			Count: 444054, HasPct: true, PctChange: 41.295907978909305, Source: "ons-pfa-2018-09",
			Note: "as published by ONS; previous-year figure not published"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("trends:\ngot  %+v\nwant %+v", got, want)
	}
	wantNotes := []string{"ons-pfa-2018-09: Greater Manchester: no count published (not available) for 1 offence(s): Robbery"}
	if !reflect.DeepEqual(notes, wantNotes) {
		t.Errorf("notes: got %q, want %q", notes, wantNotes)
	}
}
