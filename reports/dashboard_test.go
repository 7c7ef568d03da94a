package reports

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

func renderDashboard(t *testing.T, v View) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Dashboard(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestDashboardGolden(t *testing.T) {
	stubEcharts(t)
	v := BuildView(fixtureTrends(), fixtureOptions())
	got := renderDashboard(t, v)
	checkGolden(t, "dashboard.html.golden", got)

	// Render again, and from a fresh view: identical bytes.
	if again := renderDashboard(t, v); !bytes.Equal(got, again) {
		t.Error("second render of the same view differs")
	}
	if fresh := renderDashboard(t, BuildView(fixtureTrends(), fixtureOptions())); !bytes.Equal(got, fresh) {
		t.Error("render of a rebuilt view differs")
	}

	html := string(got)
	for _, want := range []string{
		`<p class="banner" role="note">SYNTHETIC DATA — not real police figures</p>`,
		"<script>/*echarts stub*/</script>",
		`id="trend_homeoffice_stalking_and_harassment"`,
		`id="rank_homeoffice_stalking_and_harassment"`,
		"Official statistics (not accredited)",
		"Management information",
		"Offences of stalking and harassment recorded by Wiltshire Police rose by 14.6% in the 12 months to September 2018, against 41.3% in England and Wales.",
		`<td class="num">3,438</td><td class="num">3,000</td><td class="num">+438</td><td class="num">+14.6%</td>`,
		`<td class="num">-90</td><td class="num">-3.0%</td>`,
		"★ chosen",
		`"formatter":"chosen: {c}%"`,
		"base under 50",
		"no figure for this period",
		"v0.0.0-test",
		strings.Repeat("ab", 32),
	} {
		if !strings.Contains(html, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	for _, bad := range []string{`src="http`, `href="http`, "Generated at", "go-echarts-assets", "__f__"} {
		if strings.Contains(html, bad) {
			t.Errorf("dashboard contains %q", bad)
		}
	}
}

func TestDashboardNoForcesNotSynthetic(t *testing.T) {
	stubEcharts(t)
	opts := fixtureOptions()
	opts.Forces = nil
	opts.Synthetic = false
	opts.GeneratedAt = time.Date(2018, 11, 2, 9, 30, 0, 0, time.UTC)
	html := string(renderDashboard(t, BuildView(fixtureTrends(), opts)))
	if strings.Contains(html, "SYNTHETIC") {
		t.Error("non-synthetic dashboard mentions SYNTHETIC")
	}
	if !strings.Contains(html, "Generated at 2018-11-02T09:30:00Z.") {
		t.Error("generation time missing")
	}
	if strings.Contains(html, "★ chosen") {
		t.Error("a force is marked chosen with none chosen")
	}
	if !strings.Contains(html, "recorded by the police in England and Wales rose by 41.3%") {
		t.Error("national headline missing")
	}
}

func TestDashboardEscapesInput(t *testing.T) {
	stubEcharts(t)
	evil := `</script><script>alert(1)</script>`
	ts := []datasets.Trend{
		trend(datasets.SourceHomeOffice, "<b>Bold & __f__ offence</b>", codeWilts, evil, "2018-09", 100, 90, `<img src=x onerror=alert(2)>`),
		trend(datasets.SourceHomeOffice, "<b>Bold & __f__ offence</b>", datasets.CodeEnglandWales, "England and Wales", "2018-09", 1000, 900, ""),
	}
	html := string(renderDashboard(t, BuildView(ts, Options{Forces: []string{codeWilts}})))
	for _, bad := range []string{"<script>alert", "<img src=x", "<b>Bold"} {
		if strings.Contains(html, bad) {
			t.Errorf("unescaped input %q in dashboard", bad)
		}
	}
	if strings.Count(html, "<script") != strings.Count(html, "</script>") {
		t.Error("unbalanced script tags")
	}
	if !strings.Contains(html, `\u003c/script\u003e\u003cscript\u003ealert(1)`) {
		t.Error("chart option does not carry the escaped name")
	}
}

func TestDashboardMissingEcharts(t *testing.T) {
	old := EchartsJS
	t.Cleanup(func() { EchartsJS = old })
	EchartsJS = func() ([]byte, error) { return nil, nil }
	var buf bytes.Buffer
	err := Dashboard(&buf, BuildView(fixtureTrends(), fixtureOptions()))
	if !errors.Is(err, ErrEchartsMissing) || !strings.Contains(err.Error(), "echarts script missing: run make assets") {
		t.Errorf("got %v, want ErrEchartsMissing", err)
	}
	if buf.Len() != 0 {
		t.Error("wrote output despite the error")
	}
}

// The real, embedded echarts is inlined and nothing is fetched from the network.
func TestDashboardInlinesRealEcharts(t *testing.T) {
	js, err := embeddedEcharts()
	if err != nil {
		t.Skipf("reports/assets/echarts.min.js absent (run make assets): skipping: %v", err)
	}
	old := EchartsJS
	t.Cleanup(func() { EchartsJS = old })
	EchartsJS = embeddedEcharts
	html := string(renderDashboard(t, BuildView(fixtureTrends(), fixtureOptions())))
	if !strings.Contains(html, "<script>"+safeScript(string(js))+"</script>") {
		t.Error("echarts.min.js is not inlined whole")
	}
	if len(html) < len(js) {
		t.Errorf("page is %d bytes, smaller than echarts (%d)", len(html), len(js))
	}
	for _, bad := range []string{`src="http`, `href="http`, `src='http`, `href='http`} {
		if strings.Contains(html, bad) {
			t.Errorf("dashboard refers to the network: %q", bad)
		}
	}
}

func TestSafeScript(t *testing.T) {
	in := `a="</script>";b="</SCRIPT";c="<!--"`
	want := `a="<\/script>";b="<\/SCRIPT";c="<\!--"`
	if got := safeScript(in); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
