package reports

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

// WindowMonths is the window every report shows: a rolling 12 months.
// Trend rows with any other window length are left out of a View.
const WindowMonths = 12

// Options says what a report shows and how it is labelled.
type Options struct {
	// PeriodEnd is, per source, the last month of the report's window (the
	// 12 months ending then). A source missing from the map uses the latest
	// period end in its trend rows.
	PeriodEnd map[string]datasets.Month
	// Forces are the area codes of the chosen forces: they get headlines,
	// a line in the trend chart and a highlight in the ranking. May be empty.
	Forces []string
	// Offences are the offence labels to show, in order; empty means every
	// label present in the trend rows, sorted.
	Offences []string
	// Synthetic makes every output say plainly that the data is synthetic.
	Synthetic bool
	// Version is the crimetrends version, shown in the provenance footer.
	Version string
	// GeneratedAt is shown in the provenance footer; the zero time leaves
	// the line out (as tests do).
	GeneratedAt time.Time
	// Inputs are listed in the provenance footer, in the order given.
	Inputs []InputSummary

	// Window is the kind of window the report shows; "" is the rolling 12
	// months.
	Window datasets.Window
	// Monthly are the monthly (or, for a quarterly source, quarterly)
	// totals behind the SPC charts: one per source, offence and area.
	Monthly []MonthlySeries
	// Comparisons are the chosen forces against comparators built without
	// them; each lands in the Section of its source and offence.
	Comparisons []datasets.Comparison
	// PeerGroups give each section a series per chosen force and group, the
	// group's summed totals without the force, for the index chart.
	PeerGroups []datasets.PeerGroup
	// Events are the register's breaks and the user's own events, marked on
	// the timelines of the sections they concern.
	Events []datasets.Event
	// Reconciliations set force extracts beside published figures.
	Reconciliations []datasets.Reconciliation
	// Populations give the rates per 1,000 in the ranking; nil leaves them out.
	Populations *datasets.Populations
	// Boundaries is a GeoJSON FeatureCollection of police force areas the
	// user named, drawn as the map; empty means the built-in tile map.
	// BoundaryCodeProperty is the feature property holding the ONS code
	// (default "PFA23CD"-style: any property whose value is a force code).
	Boundaries           []byte
	BoundaryCodeProperty string

	// Outputs are the other files the run writes (workbook.xlsx,
	// trends.csv, ...), linked from the index page in the order given.
	Outputs []OutputLink
	// Vintages are the dataset vintages the report read, listed in the
	// provenance footer in the order given.
	Vintages []VintageSummary
}

// MonthlySeries is one area's totals of one offence, period by period, as
// the source has them (months for police.uk and force extracts, financial
// quarters for the Home Office). Missing periods are absent, never zero.
type MonthlySeries struct {
	Source   string
	Offence  string
	AreaCode string
	AreaName string
	Periods  []PeriodCount
}

// PeriodCount is the total over Start..End inclusive.
type PeriodCount struct {
	Start, End datasets.Month
	Count      int64
}

// InputSummary describes one input file for the provenance footer.
type InputSummary struct {
	Name   string
	Source string
	SHA256 string
	Rows   int64
}

// View is everything a report shows, sorted and worded, ready to render.
// BuildView makes it; Dashboard and Workbook only read it.
type View struct {
	Title       string
	Synthetic   bool
	Version     string
	GeneratedAt time.Time
	Inputs      []InputSummary
	Sections    []Section
	Notes       []string         // caveats for the whole report
	Trends      []datasets.Trend // every input row, sorted as in trends.csv, for the workbook's Trends sheet
	// Boundaries and BoundaryCodeProperty are Options' map data.
	Boundaries           []byte
	BoundaryCodeProperty string
	// Completeness is the force x month completeness matrix of each
	// source, one workbook sheet each, in order. BuildView leaves it empty:
	// the caller fills it.
	Completeness []CompletenessSheet
	// Outputs and Vintages are Options' (see there).
	Outputs  []OutputLink
	Vintages []VintageSummary
}

// CompletenessSheet is one source's completeness matrix: for every force
// and BTP, whether each month of the source's span is covered.
type CompletenessSheet struct {
	Source string
	Months []datasets.Month // the source's span, oldest first
	Areas  []CompletenessArea
}

// CompletenessArea is one area's row of a CompletenessSheet: Covered has
// one entry per month of the sheet.
type CompletenessArea struct {
	AreaCode string
	AreaName string
	Covered  []bool
}

// Section is one source and offence: its headlines, the focus series of
// the chosen forces and England and Wales, and the ranking of every force.
type Section struct {
	// ID is stable, unique within the View and made of [a-z0-9_] only, e.g.
	// "homeoffice_stalking_and_harassment"; chart IDs derive from it.
	ID          string
	Source      string
	SourceLabel string // e.g. "Home Office police recorded crime"
	Status      string // "Official statistics (not accredited)" or "Management information ..."
	Offence     string // the offence label
	PeriodEnd   datasets.Month
	Months      int
	// Headlines are one per chosen force, in Options order (the England and
	// Wales headline instead when none is chosen), then the headlines about
	// every force ("31 of 43 forces recorded a rise").
	Headlines []string
	// NationalHeadlines are the England and Wales headline and those about
	// every force, whether or not forces are chosen: the overview's words.
	NationalHeadlines []string
	// Periods are the period ends of the focus series, oldest first, up to
	// PeriodEnd. Every Series has one Point per Period.
	Periods []datasets.Month
	// Series are the chosen forces in Options order, then England and Wales.
	Series []Series
	// Ranking holds every force (and BTP) with a row at PeriodEnd: those
	// with a percentage change first, largest rise first, then the rest by
	// name.
	Ranking []RankRow
	Notes   []string

	// Window is the kind of window (rolling 12 months, financial year...)
	// and WindowTitle its heading ("12 months to September 2018").
	Window      datasets.Window
	WindowTitle string
	// Monthly are the chosen forces' and England and Wales' series, period
	// by period, for the SPC charts; empty when the source has none.
	Monthly []MonthlySeries
	// Comparisons are the chosen forces against England and Wales, their
	// country, region and peers, each built without the force.
	Comparisons []datasets.Comparison
	// Peers are the peer groups' series over Periods, one per chosen force
	// and group, each without the force (Series.Peer, Series.For).
	Peers []Series
	// Events are the breaks and user events inside the span of Periods.
	Events []datasets.Event
	// Reconciliations are this offence's force-extract vs published rows.
	Reconciliations []datasets.Reconciliation
}

// Figure is an area's numbers for one window, as in a trend row.
type Figure struct {
	Present     bool // false when there is no trend row for this area and window
	Count       int64
	HasPrevious bool
	Previous    int64
	Change      int64
	HasPct      bool
	PctChange   float64 // unrounded
	Note        string
}

// Series is one area's rolling 12-month totals over Section.Periods.
type Series struct {
	AreaCode string
	AreaName string
	National bool // England and Wales
	Points   []Point
	// Peer marks a peer group's line ("Most similar forces excluding
	// Wiltshire"): the summed totals of its members other than the chosen
	// force For, at the periods every one of them has a figure.
	Peer bool
	For  string
}

// Point is one period end of a Series.
type Point struct {
	PeriodEnd datasets.Month
	Figure
}

// RankRow is one force in a Section's ranking.
type RankRow struct {
	Rank     int // 1 = largest rise; equal rounded percentages share a rank; 0 without a percentage
	AreaCode string
	AreaName string
	Chosen   bool
	Figure
	// HasRate and Rate give the count per 1,000 people of the area's
	// population in PopulationVintage, when Options.Populations has it.
	HasRate           bool
	Rate              float64
	PopulationVintage string
}

// BuildView shapes trend rows into a View. It is pure: it neither keeps
// nor changes trends, and the same inputs always give the same View.
func BuildView(trends []datasets.Trend, opts Options) View {
	names := trendNames(trends)
	win := opts.Window
	if win == "" {
		win = datasets.WindowRolling12
	}
	v := View{
		Title:       reportTitle(opts.Forces, names),
		Synthetic:   opts.Synthetic,
		Version:     opts.Version,
		GeneratedAt: opts.GeneratedAt,
		Inputs:      append([]InputSummary(nil), opts.Inputs...),
		Trends:      append([]datasets.Trend(nil), trends...),

		Boundaries:           opts.Boundaries,
		BoundaryCodeProperty: opts.BoundaryCodeProperty,
		Outputs:              append([]OutputLink(nil), opts.Outputs...),
		Vintages:             append([]VintageSummary(nil), opts.Vintages...),
	}
	sortTrends(v.Trends)
	if opts.Synthetic {
		v.Notes = append(v.Notes, "SYNTHETIC DATA: every figure in this report is made up for testing and demonstration; none is a real police figure.")
	}
	v.Notes = append(v.Notes,
		"These are offences recorded by the police, not a count of all crime that happened: they move with reporting, recording practice and police activity. The Crime Survey for England and Wales is the better guide to long-run trends.",
		windowNote(win, datasets.MinBase),
	)

	// Index the 12-month rows by source, offence, area and period end.
	type key struct {
		source, offence, area string
		end                   datasets.Month
	}
	rows := map[key]datasets.Trend{}
	sources := map[string]bool{}
	labels := map[string]map[string]bool{} // source -> offence labels
	latest := map[string]datasets.Month{}
	for _, t := range trends {
		if t.Months != win.Months(t.PeriodEnd) {
			continue
		}
		rows[key{t.Source, t.Offence, t.AreaCode, t.PeriodEnd}] = t
		sources[t.Source] = true
		if labels[t.Source] == nil {
			labels[t.Source] = map[string]bool{}
		}
		labels[t.Source][t.Offence] = true
		if t.PeriodEnd > latest[t.Source] {
			latest[t.Source] = t.PeriodEnd
		}
	}

	chosen := uniqueForces(opts.Forces)
	usedIDs := map[string]bool{}
	for _, source := range sortedKeys(sources) {
		end, ok := opts.PeriodEnd[source]
		if !ok {
			end = latest[source]
		}
		var offences []string
		if len(opts.Offences) > 0 {
			seen := map[string]bool{}
			for _, o := range opts.Offences {
				if !seen[o] && labels[source][o] {
					offences = append(offences, o)
				}
				seen[o] = true
			}
		} else {
			offences = sortedKeys(labels[source])
		}
		for _, offence := range offences {
			// Every row of this source and offence, grouped by area.
			byArea := map[string][]datasets.Trend{}
			for k, t := range rows {
				if k.source == source && k.offence == offence && k.end <= end {
					byArea[k.area] = append(byArea[k.area], t)
				}
			}
			s := Section{
				ID:          uniqueID(sectionID(source, offence), usedIDs),
				Source:      source,
				SourceLabel: sourceLabel(source),
				Status:      sourceStatus(source),
				Offence:     offence,
				PeriodEnd:   end,
				Months:      win.Months(end),
				Window:      win,
				WindowTitle: win.Title(end),
			}
			figure := func(area string, m datasets.Month) (datasets.Trend, Figure) {
				t, ok := rows[key{source, offence, area, m}]
				if !ok {
					return t, Figure{}
				}
				return t, figureOf(t)
			}

			// Focus series: chosen forces, then England and Wales.
			focus := append(append([]string(nil), chosen...), datasets.CodeEnglandWales)
			periods := map[datasets.Month]bool{}
			for _, area := range focus {
				for _, t := range byArea[area] {
					periods[t.PeriodEnd] = true
				}
			}
			s.Periods = sortedMonths(periods)
			for _, area := range focus {
				sr := Series{AreaCode: area, National: area == datasets.CodeEnglandWales}
				var trendName string
				for _, m := range s.Periods {
					t, f := figure(area, m)
					if f.Present {
						trendName = t.AreaName
					}
					sr.Points = append(sr.Points, Point{PeriodEnd: m, Figure: f})
				}
				if trendName == "" {
					trendName = names[area]
				}
				sr.AreaName = displayName(area, trendName)
				s.Series = append(s.Series, sr)
			}

			// Headlines.
			phr := phraseFor(offence)
			ewRow, ew := figure(datasets.CodeEnglandWales, end)
			s.NationalHeadlines = []string{withCaveats(nationalName(nationalHeadline(phr, ew, end, win, opts.Synthetic), ewRow),
				caveats(offence, datasets.CodeEnglandWales, ew, end, win))}
			if len(chosen) == 0 {
				s.Headlines = append(s.Headlines, s.NationalHeadlines[0])
			}
			for _, area := range chosen {
				_, f := figure(area, end)
				name := s.Series[indexOf(focus, area)].AreaName
				s.Headlines = append(s.Headlines, withCaveats(nationalName(forceHeadline(phr, name, f, ew, end, win, opts.Synthetic), ewRow),
					caveats(offence, area, f, end, win)))
			}

			// Ranking: every force with a row at the period end.
			isChosen := map[string]bool{}
			for _, c := range chosen {
				isChosen[c] = true
			}
			for area := range byArea {
				if !isForce(area) {
					continue
				}
				t, f := figure(area, end)
				if !f.Present {
					continue
				}
				s.Ranking = append(s.Ranking, RankRow{AreaCode: area, AreaName: displayName(area, t.AreaName), Chosen: isChosen[area], Figure: f})
			}
			sortRanking(s.Ranking)
			rankingRates(s.Ranking, opts.Populations, end)
			if h := risesHeadline(phr, s.Ranking, win, end); h != "" {
				s.Headlines = append(s.Headlines, h)
				s.NationalHeadlines = append(s.NationalHeadlines, h)
			}
			attachSectionData(&s, opts, focus)

			for _, force := range chosen {
				for _, g := range opts.PeerGroups {
					count := func(area string, m datasets.Month) (int64, bool) {
						t, ok := rows[key{source, offence, area, m}]
						return t.Count, ok
					}
					if sr, ok := peerSeries(g, force, names, s.Periods, count); ok {
						s.Peers = append(s.Peers, sr)
					}
				}
			}
			s.Notes = sectionNotes(s, ew)
			v.Sections = append(v.Sections, s)
		}
	}
	return v
}

func figureOf(t datasets.Trend) Figure {
	f := Figure{Present: true, Count: t.Count, HasPrevious: t.HasPrevious, HasPct: t.HasPct, Note: t.Note}
	if t.HasPrevious {
		f.Previous, f.Change = t.Previous, t.Change
	}
	if t.HasPct {
		f.PctChange = t.PctChange
	}
	return f
}

// trendNames maps each area code to the name its latest trend row gives.
func trendNames(trends []datasets.Trend) map[string]string {
	names := map[string]string{}
	latest := map[string]datasets.Month{}
	for _, t := range trends {
		if t.AreaName == "" {
			continue
		}
		old, seen := latest[t.AreaCode]
		if !seen || t.PeriodEnd > old || t.PeriodEnd == old && t.AreaName < names[t.AreaCode] {
			latest[t.AreaCode], names[t.AreaCode] = t.PeriodEnd, t.AreaName
		}
	}
	return names
}

func reportTitle(forces []string, trendNames map[string]string) string {
	const base = "Offences recorded by the police: rolling 12-month trends"
	chosen := uniqueForces(forces)
	if len(chosen) == 0 {
		return base + " for England and Wales"
	}
	names := make([]string, len(chosen))
	for i, c := range chosen {
		names[i] = displayName(c, trendNames[c])
	}
	return base + " for " + joinAnd(names)
}

func joinAnd(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// uniqueForces drops duplicates, blanks and England and Wales (always shown).
func uniqueForces(forces []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range forces {
		f = strings.TrimSpace(f)
		if f == "" || f == datasets.CodeEnglandWales || seen[f] {
			continue
		}
		seen[f] = true
		out = append(out, f)
	}
	return out
}

func indexOf(s []string, x string) int {
	for i, v := range s {
		if v == x {
			return i
		}
	}
	return -1
}

// displayName names an area as headlines do: the force's own name
// ("Wiltshire Police"), else the ONS name, else the name in the trend
// row, else the code.
func displayName(code, trendName string) string {
	if code == datasets.CodeEnglandWales {
		return "England and Wales"
	}
	if a, ok := datasets.AreaByCode(code); ok {
		if a.Force != "" {
			return a.Force
		}
		if a.Name != "" {
			return a.Name
		}
	}
	if trendName != "" {
		return trendName
	}
	return code
}

// isForce reports whether code is a territorial force or BTP rather than a
// region, country or England and Wales.
func isForce(code string) bool {
	if a, ok := datasets.AreaByCode(code); ok {
		return a.Kind == datasets.KindForce || a.Kind == datasets.KindBTP
	}
	switch code {
	case datasets.CodeEnglandWales, datasets.CodeEngland, datasets.CodeWales, "":
		return false
	}
	return !strings.HasPrefix(code, "E12")
}

func sourceLabel(source string) string {
	switch source {
	case datasets.SourceHomeOffice:
		return "Home Office police recorded crime open data"
	case datasets.SourcePoliceUK:
		return "data.police.uk street-level crime and anti-social behaviour"
	case datasets.SourceForce:
		return "the force's own crime records (record-level extracts)"
	}
	return source
}

func sourceStatus(source string) string {
	switch source {
	case datasets.SourceHomeOffice:
		return "Official statistics (not accredited)"
	case datasets.SourcePoliceUK:
		return "Management information (data.police.uk open data; not official statistics)"
	case datasets.SourceForce:
		return "Management information (the force's live records system; not official statistics)"
	}
	return "Management information"
}

// sectionID makes a [a-z0-9_] identifier from a source and an offence label.
func sectionID(source, offence string) string {
	var b strings.Builder
	under := false
	for _, r := range strings.ToLower(source + " " + offence) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			under = false
		} else if !under && b.Len() > 0 {
			b.WriteByte('_')
			under = true
		}
	}
	id := strings.TrimRight(b.String(), "_")
	if id == "" {
		id = "section"
	}
	return id
}

func uniqueID(id string, used map[string]bool) string {
	out := id
	for n := 2; used[out]; n++ {
		out = fmt.Sprintf("%s_%d", id, n)
	}
	used[out] = true
	return out
}

// roundPct rounds a percentage to the one decimal place shown.
func roundPct(p float64) float64 {
	r := math.Round(p*10) / 10
	if r == 0 {
		return 0 // no negative zero
	}
	return r
}

func sortRanking(rs []RankRow) {
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.HasPct != b.HasPct {
			return a.HasPct
		}
		if a.HasPct && a.PctChange != b.PctChange {
			return a.PctChange > b.PctChange
		}
		if a.AreaName != b.AreaName {
			return a.AreaName < b.AreaName
		}
		return a.AreaCode < b.AreaCode
	})
	for i := range rs {
		switch {
		case !rs[i].HasPct:
			rs[i].Rank = 0
		case i > 0 && rs[i-1].HasPct && roundPct(rs[i-1].PctChange) == roundPct(rs[i].PctChange):
			rs[i].Rank = rs[i-1].Rank
		default:
			rs[i].Rank = i + 1
		}
	}
}

func sectionNotes(s Section, ew Figure) []string {
	var notes []string
	if s.Source == datasets.SourcePoliceUK {
		notes = append(notes, "data.police.uk figures are management information in 14 broad categories; they are not official statistics and can be resubmitted silently.")
	}
	if strings.Contains(strings.ToLower(s.Offence), "anti-social behaviour") {
		notes = append(notes, "Anti-social behaviour incidents are not crimes and are left out of every crime total.")
	}
	if !ew.Present {
		notes = append(notes, fmt.Sprintf("There is no England and Wales figure for %s, so no national comparison is available.", periodPhrase(s, s.PeriodEnd)))
	}
	for _, sr := range s.Series {
		if sr.National {
			continue
		}
		present := 0
		for _, p := range sr.Points {
			if p.Present {
				present++
			}
		}
		if present == 0 {
			notes = append(notes, fmt.Sprintf("There are no %s figures for %s.", s.Offence, sr.AreaName))
		} else if present < len(sr.Points) {
			notes = append(notes, fmt.Sprintf("%s has no figure for %d of the %d period ends shown: a missing period is shown as a gap, not as zero.", sr.AreaName, len(sr.Points)-present, len(sr.Points)))
		}
	}
	// Notes carried by trend rows at the period end, each with its areas.
	byNote := map[string][]string{}
	add := func(note, area string) {
		if note == "" {
			return
		}
		for _, a := range byNote[note] {
			if a == area {
				return
			}
		}
		byNote[note] = append(byNote[note], area)
	}
	if ew.Present {
		add(ew.Note, "England and Wales")
	}
	for _, r := range s.Ranking {
		add(r.Note, r.AreaName)
	}
	for _, sr := range s.Series {
		if n := len(sr.Points); n > 0 && sr.Points[n-1].PeriodEnd == s.PeriodEnd {
			add(sr.Points[n-1].Note, sr.AreaName)
		}
	}
	for _, note := range sortedKeys(byNote) {
		areas := byNote[note]
		sort.Strings(areas)
		notes = append(notes, fmt.Sprintf("%s (%s)", strings.TrimRight(note, "."), strings.Join(areas, ", ")))
	}
	return notes
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedMonths(m map[datasets.Month]bool) []datasets.Month {
	out := make([]datasets.Month, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// windowNote says what every figure of a report covers.
func windowNote(w datasets.Window, minBase int) string {
	var what string
	switch w {
	case datasets.WindowFinancialYear:
		what = "a financial year (April to March)"
	case datasets.WindowFYTD:
		what = "the financial year to date (April to the month shown)"
	case datasets.WindowQuarter:
		what = "a quarter (three months ending March, June, September or December)"
	case datasets.WindowCalendarYear:
		what = "a calendar year"
	case datasets.WindowMonth:
		what = "a single month"
	default:
		what = "the 12 months to the period end shown"
	}
	return fmt.Sprintf("Each figure covers %s and is compared with the same months a year earlier. No percentage change is given when the earlier figure is under %d.", what, minBase)
}

// nationalName rewords a headline when the England and Wales figure is a
// like-for-like total that leaves forces out ("England and Wales excluding
// Greater Manchester"), so the headline never passes it off as the whole.
func nationalName(headline string, ew datasets.Trend) string {
	if ew.AreaName == "" || ew.AreaName == "England and Wales" || !strings.HasPrefix(ew.AreaName, "England and Wales") {
		return headline
	}
	return strings.ReplaceAll(headline, "England and Wales", ew.AreaName)
}

// risesHeadline is "31 of 43 forces recorded a rise in stalking and
// harassment offences in the 12 months to September 2018." over the forces
// (not BTP) in the ranking with a figure a year earlier. Empty when fewer
// than two have one.
func risesHeadline(p phrase, ranking []RankRow, w datasets.Window, end datasets.Month) string {
	var rose, fell, compared int
	for _, r := range ranking {
		if !isForce(r.AreaCode) || r.AreaCode == datasets.CodeBTP || !r.Present || !r.HasPrevious {
			continue
		}
		compared++
		switch {
		case r.Change > 0:
			rose++
		case r.Change < 0:
			fell++
		}
	}
	if compared < 2 {
		return ""
	}
	s := fmt.Sprintf("%d of %d forces recorded a rise in %s %s", rose, compared, p.plural, window(w, end))
	switch {
	case fell > 0 && rose+fell < compared:
		s += fmt.Sprintf("; %d recorded a fall and %d no change", fell, compared-rose-fell)
	case fell > 0:
		s += fmt.Sprintf("; %d recorded a fall", fell)
	case rose < compared:
		s += fmt.Sprintf("; %d recorded no change", compared-rose)
	}
	if n := len(datasets.Forces()) - 1; compared < n {
		s += fmt.Sprintf(" (%d of the %d forces have figures for both years)", compared, n)
	}
	return s + "."
}

// rankingRates gives every ranking row its rate per 1,000, all on one
// population vintage: the newest on or before end that every force in the
// ranking has, or, failing that, each force's newest.
func rankingRates(rs []RankRow, pops *datasets.Populations, end datasets.Month) {
	if pops == nil {
		return
	}
	var codes []string
	for _, r := range rs {
		if datasets.RateMeaningful(r.AreaCode) {
			codes = append(codes, r.AreaCode)
		}
	}
	vintage, common := pops.LatestVintage(codes, end)
	for i := range rs {
		r := &rs[i]
		if !datasets.RateMeaningful(r.AreaCode) {
			continue
		}
		var p datasets.Population
		var ok bool
		if common {
			p, ok = pops.Get(r.AreaCode, vintage)
		} else {
			p, ok = pops.Latest(r.AreaCode, end)
		}
		if !ok {
			continue
		}
		if rate, ok := datasets.Rate(r.Count, p.People); ok {
			r.HasRate, r.Rate, r.PopulationVintage = true, rate, p.Vintage
		}
	}
}

// attachSectionData gives a section the comparisons, monthly series,
// events and reconciliations of Options that concern it: its source and
// offence, the chosen forces and England and Wales (focus), its period.
func attachSectionData(s *Section, opts Options, focus []string) {
	inFocus := map[string]bool{}
	for _, a := range focus {
		inFocus[a] = true
	}
	for _, c := range opts.Comparisons {
		if c.Source == s.Source && c.Offence == s.Offence && c.PeriodEnd == s.PeriodEnd && c.Months == s.Months {
			s.Comparisons = append(s.Comparisons, c)
		}
	}
	for _, m := range opts.Monthly {
		if m.Source == s.Source && m.Offence == s.Offence && inFocus[m.AreaCode] {
			s.Monthly = append(s.Monthly, m)
		}
	}
	var first datasets.Month
	if len(s.Periods) > 0 {
		first = s.Periods[0].Add(1 - max(s.Months, 1))
	}
	for _, e := range opts.Events {
		if e.Offence != "" && e.Offence != s.Offence {
			continue
		}
		if e.AreaCode != "" && !inFocus[e.AreaCode] {
			continue
		}
		if first != 0 && (e.Month < first || e.Month > s.PeriodEnd) {
			continue
		}
		s.Events = append(s.Events, e)
	}
	if sel, err := datasets.ResolveSelector(s.Offence); err == nil && first != 0 {
		seen := map[string]bool{}
		for _, area := range focus {
			for _, b := range datasets.BreaksAffecting(sel, area, first-1, s.PeriodEnd) {
				if seen[b.ID] {
					continue
				}
				seen[b.ID] = true
				code := ""
				if len(b.Forces) == 1 {
					code = b.Forces[0]
				}
				s.Events = append(s.Events, datasets.Event{Month: b.Month, Label: b.Effect, AreaCode: code, Offence: s.Offence, Source: "register"})
			}
		}
	}
	sort.SliceStable(s.Events, func(i, j int) bool { return s.Events[i].Month < s.Events[j].Month })
	for _, r := range opts.Reconciliations {
		if r.Offence == s.Offence && r.End <= s.PeriodEnd {
			s.Reconciliations = append(s.Reconciliations, r)
		}
	}
}

// peerSeries is group g's line for the chosen force: at each period the
// summed totals of its members other than force, present only where every
// one of them has a figure (a total of changing membership is no trend).
// ok is false when no member is left or no period has them all.
func peerSeries(g datasets.PeerGroup, force string, names map[string]string, periods []datasets.Month, count func(string, datasets.Month) (int64, bool)) (Series, bool) {
	var members []string
	inGroup := false
	for _, m := range g.Members {
		if m == force {
			inGroup = true
			continue
		}
		members = append(members, m)
	}
	if len(members) == 0 {
		return Series{}, false
	}
	name := g.Name
	if inGroup {
		name += " excluding " + displayName(force, names[force])
	}
	sr := Series{AreaName: name, Peer: true, For: force}
	found := false
	for _, m := range periods {
		var sum int64
		all := true
		for _, a := range members {
			c, ok := count(a, m)
			if !ok {
				all = false
				break
			}
			sum += c
		}
		p := Point{PeriodEnd: m}
		if all {
			p.Figure = Figure{Present: true, Count: sum}
			found = true
		}
		sr.Points = append(sr.Points, p)
	}
	return sr, found
}
