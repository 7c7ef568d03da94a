package pipeline

import (
	"fmt"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// freeze puts the figures in report order (topic as defined, area, window
// end) and each question's figures in quote order (source order, then the
// later ONS release first, then as added), and each question's figures are
// its run of the one slice.
func TestFreezeOrder(t *testing.T) {
	m := datasets.MonthOf(2019, 3)
	fig := func(topic, area string, end datasets.Month, src, rel string) Figure {
		return Figure{Present: true, Topic: topic, AreaCode: area, PeriodEnd: end, Source: src, Release: rel, HasCount: true}
	}
	fs := newFigureSet()
	for _, f := range []Figure{
		fig("b", "E2", m, datasets.SourcePoliceUK, ""),
		fig("a", "E2", m, datasets.SourceHomeOffice, ""),
		fig("a", "E1", m.Add(1), datasets.SourceHomeOffice, ""),
		fig("a", "E1", m, datasets.SourceHomeOffice, ""),
		fig("a", "E1", m, datasets.SourceONSPFA, "ons-pfa-2019-03"),
		fig("a", "E1", m, datasets.SourceONSPFA, "ons-pfa-2019-03-v2"),
		fig("a", "E1", m, datasets.SourceHomeOffice, "x"), // a second of the same source and release: after the first
	} {
		fs.add(f)
	}
	fs.freeze([]topicDef{{id: "a"}, {id: "b"}}, DefaultSourceOrder)
	var got []string
	for _, f := range fs.all {
		got = append(got, fmt.Sprintf("%s %s %s %s %s", f.Topic, f.AreaCode, f.PeriodEnd, f.Source, f.Release))
	}
	want := []string{
		"a E1 2019-03 ons-pfa ons-pfa-2019-03-v2",
		"a E1 2019-03 ons-pfa ons-pfa-2019-03",
		"a E1 2019-03 homeoffice x",
		"a E1 2019-03 homeoffice ",
		"a E1 2019-04 homeoffice ",
		"a E2 2019-03 homeoffice ",
		"b E2 2019-03 policeuk ",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order:\ngot  %q\nwant %q", got, want)
	}
	if n := len(fs.by[figKey{"a", "E1", m}]); n != 4 || &fs.by[figKey{"a", "E1", m}][0] != &fs.all[0] {
		t.Errorf("question a/E1/%s: %d figures, not the first run of all", m, n)
	}
	if len(fs.order) != 4 || fs.order[3] != (figKey{"b", "E2", m}) {
		t.Errorf("order of questions: %v", fs.order)
	}
}
