package reports

import (
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func blockIDs(bs []chartBlock) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.ID
	}
	return out
}

func TestSectionBlocksOrderAndIDs(t *testing.T) {
	s := chartSection()
	v := View{Sections: []Section{s}}
	got := blockIDs(sectionBlocks(v, s))
	want := []string{"trend_homeoffice_stalking", "change_homeoffice_stalking", "rate_homeoffice_stalking", "index_homeoffice_stalking", "spc_homeoffice_stalking"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("section blocks %q, want %q", got, want)
	}
	got = blockIDs(offenceBlocks(v, s))
	want = []string{"trend_homeoffice_stalking", "rank_homeoffice_stalking", "rates_homeoffice_stalking", "map_homeoffice_stalking"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("offence blocks %q, want %q", got, want)
	}

	// Without comparisons, rates, monthly data or a force series only the
	// trend is left on a force page.
	bare := s
	bare.Comparisons, bare.Monthly, bare.Series = nil, nil, s.Series[1:]
	if got := blockIDs(sectionBlocks(v, bare)); !reflect.DeepEqual(got, []string{"trend_homeoffice_stalking"}) {
		t.Errorf("bare section blocks %q", got)
	}
}

func TestOverviewBlocks(t *testing.T) {
	a := chartSection()
	b := chartSection()
	b.ID, b.Offence = "homeoffice_robbery", "Robbery"
	p := chartSection()
	p.ID, p.Source = "policeuk_robbery", datasets.SourcePoliceUK
	v := View{Sections: []Section{a, p, b}}
	got := blockIDs(overviewBlocks(v))
	want := []string{"map_homeoffice_stalking", "heat_homeoffice", "map_policeuk_robbery"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("overview blocks %q, want %q", got, want)
	}
	if bs := overviewBlocks(View{}); len(bs) != 0 {
		t.Errorf("overview of nothing: %q", blockIDs(bs))
	}
}

func TestBlocksDeterministicAndSafe(t *testing.T) {
	s := chartSection()
	s.Offence = hostile
	s.Series[0].AreaName = hostile
	s.Comparisons[0].Force.Label = hostile
	s.Ranking[1].AreaName = hostile
	s.Events[1].Label = hostile
	v := View{Sections: []Section{s}, Boundaries: []byte(smallGeoJSON)}
	build := func() [][]chartBlock {
		return [][]chartBlock{sectionBlocks(v, s), offenceBlocks(v, s), overviewBlocks(v)}
	}
	first, second := build(), build()
	if !reflect.DeepEqual(first, second) {
		t.Error("two builds differ")
	}
	for _, page := range first {
		ids := map[string]bool{}
		for _, b := range page {
			if ids[b.ID] {
				t.Errorf("ID %q twice on a page", b.ID)
			}
			ids[b.ID] = true
			checkSafe(t, b)
			option(t, b)
			if b.Note == "" || b.Heading == "" || len(b.Table.Rows) == 0 || b.Table.Caption == "" {
				t.Errorf("%s: empty note, heading, caption or table", b.ID)
			}
			for _, r := range b.Table.Rows {
				if len(r) != len(b.Table.Header) {
					t.Errorf("%s: row of %d cells under %d headers", b.ID, len(r), len(b.Table.Header))
				}
			}
		}
	}
}

func TestTrendChartEvents(t *testing.T) {
	s := chartSection()
	b := trendBlock(s)
	sr := seriesList(t, option(t, b))[0]
	ml := sr["markLine"].(map[string]any)["data"].([]any)
	// The break (July 2018, every area) goes to the first period end after
	// it; Wiltshire's event to November 2018; the Metropolitan Police's
	// event and one before the span are left out.
	want := []struct{ name, x, style string }{
		{"New counting rule", "2018-10", "dashed"},
		{"Harassment notices withdrawn", "2018-11", "dotted"},
	}
	if len(ml) != len(want) {
		t.Fatalf("markLines %v", ml)
	}
	for i, w := range want {
		it := ml[i].(map[string]any)
		if it["name"] != w.name || it["xAxis"] != w.x || it["lineStyle"].(map[string]any)["type"] != w.style || it["label"].(map[string]any)["formatter"] != "{b}" {
			t.Errorf("markLine %d = %v, want %+v", i, it, w)
		}
	}
	if !strings.HasSuffix(b.Note, " Marked on the chart: July 2018, recording-rule break (dashed line): New counting rule; November 2018, event (dotted line): Harassment notices withdrawn.") {
		t.Errorf("note %s", b.Note)
	}

	s.Events = nil
	if o := string(trendBlock(s).Option); strings.Contains(o, "markLine") {
		t.Errorf("markLine without events: %s", o)
	}
}
