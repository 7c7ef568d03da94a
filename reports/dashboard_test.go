package reports

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func renderDashboard(t *testing.T, v View) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Dashboard(&buf, v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Dashboard writes the index page of the site.
func TestDashboardGolden(t *testing.T) {
	stubEcharts(t)
	v := BuildView(fixtureTrends(), siteOptions())
	got := renderDashboard(t, v)
	checkGolden(t, "dashboard.html.golden", got)
	if index := renderSite(t, v)[0]; index.Name != "dashboard.html" || !bytes.Equal(index.HTML, got) {
		t.Errorf("Dashboard wrote other bytes than Site's %s", index.Name)
	}
	if fresh := renderDashboard(t, BuildView(fixtureTrends(), siteOptions())); !bytes.Equal(got, fresh) {
		t.Error("render of a rebuilt view differs")
	}
	html := string(got)
	for _, want := range []string{
		`<p class="banner" role="note">SYNTHETIC DATA — not real police figures</p>`,
		"Official statistics (not accredited)",
		"Management information",
		"Offences of stalking and harassment recorded by Wiltshire Police rose by 14.6% in the 12 months to September 2018, against 41.3% in England and Wales.",
		"v0.0.0-test",
		strings.Repeat("ab", 32),
	} {
		if !strings.Contains(html, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	for _, bad := range []string{`src="http`, `href="http`, "Generated at", "echarts stub", "echarts.init"} {
		if strings.Contains(html, bad) {
			t.Errorf("dashboard contains %q", bad)
		}
	}
}

// The force and offence pages carry the figures, charts and tables the
// single dashboard page used to.
func TestPageFigures(t *testing.T) {
	stubEcharts(t)
	pages := renderSite(t, BuildView(fixtureTrends(), fixtureOptions()))
	for name, wants := range map[string][]string{
		"force-wiltshire-police.html": {
			"<script>/*echarts stub*/</script>",
			`id="trend_homeoffice_stalking_and_harassment"`,
			`<tr><td>Wiltshire Police</td><td>September 2018</td><td class="num">3,438</td><td class="num">3,000</td><td class="num">+438</td><td class="num">+14.6%</td><td></td></tr>`,
			`<tr><td>England and Wales</td><td>September 2018</td><td class="num">565,000</td><td class="num">400,000</td><td class="num">+165,000</td><td class="num">+41.3%</td><td></td></tr>`,
			"<tr><td>Wiltshire Police</td><td>July 2018</td>",
			"no figure for this period",
			"Wiltshire Police has no figure for 1 of the 3 period ends shown",
		},
		"offence-homeoffice_stalking_and_harassment.html": {
			"<script>/*echarts stub*/</script>",
			`<tr class="chosen"><td class="num strong">1</td><td class="strong">Wiltshire Police</td><td class="strong">★ chosen</td><td class="num strong">3,438</td>`,
			`<td class="num">2,910</td><td class="num">3,000</td><td class="num">-90</td><td class="num">-3.0%</td>`,
			"base under 50",
			"Offences of stalking and harassment recorded by the police in England and Wales rose by 41.3% in the 12 months to September 2018.",
		},
	} {
		html := string(pageNamed(t, pages, name).HTML)
		for _, want := range wants {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
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

// The real, embedded echarts is inlined in every page with a chart and
// nothing is fetched from the network.
func TestSiteInlinesRealEcharts(t *testing.T) {
	js, err := embeddedEcharts()
	if err != nil {
		t.Skipf("reports/assets/echarts.min.js absent (run make assets): skipping: %v", err)
	}
	old := EchartsJS
	t.Cleanup(func() { EchartsJS = old })
	EchartsJS = embeddedEcharts
	for _, p := range renderSite(t, BuildView(fixtureTrends(), fixtureOptions())) {
		html := string(p.HTML)
		if strings.Contains(html, "echarts.init(") && !strings.Contains(html, "<script>"+safeScript(string(js))+"</script>") {
			t.Errorf("%s: echarts.min.js is not inlined whole", p.Name)
		}
		for _, bad := range []string{`src="http`, `href="http`, `src='http`, `href='http`} {
			if strings.Contains(html, bad) {
				t.Errorf("%s refers to the network: %q", p.Name, bad)
			}
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
