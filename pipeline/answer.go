package pipeline

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"sync"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/internal/stats"
)

// Answer resolves a request against the dataset's current figures and
// computes everything a report shows: for every offence, area and window
// the figure of each source, the one quoted (by req.SourceOrder, see
// DefaultSourceOrder), its interval, verdict, rate and rank, the chosen
// forces' comparisons, series and control charts, and every figure not
// quoted beside the one that is.
//
// The period is resolved first (see resolvePeriod): an asked period no
// source covers, or in which no window of the kind ends, is an error
// wrapping ErrNotCovered that says what the data covers; an asked offence
// no source has is an error wrapping ErrNoSource. Answer neither changes
// nor keeps its inputs, and checks ctx between sources and topics.
func Answer(ctx context.Context, data Data, req Request) (*Report, error) {
	asked := req.Period != 0
	req, err := normalise(req)
	if err != nil {
		return nil, err
	}
	families := map[string]bool{}
	countsBy := map[string][]datasets.Count{}
	coverageBy := map[string][]datasets.Coverage{}
	for _, c := range data.Coverage {
		if isComputedFamily(c.Source) {
			families[c.Source] = true
			coverageBy[c.Source] = append(coverageBy[c.Source], c)
		}
	}
	for _, c := range data.Counts {
		if isComputedFamily(c.Source) {
			countsBy[c.Source] = append(countsBy[c.Source], c)
		}
	}
	onsLabels := map[string]bool{}
	for _, p := range data.Published {
		if p.Months == 12 {
			families[datasets.SourceONSPFA] = true
			onsLabels[p.Offence] = true
		}
	}
	defs, err := topics(req.Offences, families, onsLabels)
	if err == nil && len(req.Offences) == 0 {
		defs = appendExtra(defs, req.Extra, families, onsLabels)
	}
	if err != nil {
		return nil, err
	}
	fs := newFigureSet()
	for _, src := range []string{datasets.SourceHomeOffice, datasets.SourceForce, datasets.SourcePoliceUK} {
		if !families[src] {
			continue
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := computedFigures(ctx, fs, src, countsBy[src], coverageBy[src], defs, req); err != nil {
			return nil, fmt.Errorf("answer: %w", err)
		}
	}
	publishedFigures(fs, data.Published, defs, req)
	fs.freeze(defs, req.SourceOrder)

	sources := sourceSpans(data, req.SourceOrder)
	end, short, err := resolvePeriod(fs, data, req, sources)
	if err != nil {
		return nil, err
	}
	req.Period = end
	months := req.Window.Months(end)
	rep := &Report{
		Request: req, Window: req.Window, PeriodEnd: end, Start: end.Add(1 - months), Months: months,
		PeriodAsked: asked, MinBase: req.MinBase, Sources: sources,
	}
	if req.History != AllHistory {
		rep.HistoryStart = end.Add(1 - 12*req.History)
		rep.HistoryCut = fs.keepFrom(rep.HistoryStart)
	} else if len(fs.all) > 0 {
		rep.HistoryStart = fs.first()
	}
	if rep.HistoryCut {
		rep.Notes = append(rep.Notes, Note{Text: fmt.Sprintf("The report holds the windows ending from %s to %s, %s; the dataset has earlier ones (--history sets the years, all for every one).",
			rep.HistoryStart.Label(), end.Label(), yearsWord(req.History))})
	}
	for _, code := range req.Forces {
		a, _ := datasets.AreaByCode(code)
		rep.Forces = append(rep.Forces, Force{Code: code, Name: a.Name})
	}
	for i := range rep.Sources {
		rep.Sources[i].AtPeriod = sourceAt(fs, rep.Sources[i].Source, end)
	}
	if short {
		rep.Short = true
		rep.Notes = append(rep.Notes, Note{Text: shortNote(rep)})
	}
	for _, n := range blankNotes(blankCells(data.Published)) {
		rep.Notes = append(rep.Notes, Note{Text: n})
	}

	// Every figure: its interval and verdict, its rate; the quoted one of
	// each question marked.
	vintages := releaseVintages(data.Published, req.Populations)
	type group struct {
		source, topic string
		end           datasets.Month
	}
	groups := map[group][]*Figure{}
	setIntervals(ctx, fs)
	for i := range fs.all {
		f := &fs.all[i]
		if f.Published {
			if f.HasRate {
				f.PopulationVintage = vintages[f.Release]
			}
			continue
		}
		g := group{f.Source, f.Topic, f.PeriodEnd}
		groups[g] = append(groups[g], f)
	}
	for g, figs := range groups {
		computedRates(figs, req.Populations, g.end)
	}
	for _, k := range fs.order {
		fsl := fs.by[k]
		q, ok := fs.quoted(k)
		if !ok {
			continue
		}
		for i := range fsl {
			fsl[i].Quoted = fsl[i].Source == q.Source && fsl[i].Release == q.Release
		}
	}
	for _, fsl := range fs.revisions {
		for i := range fsl {
			setInterval(&fsl[i])
		}
	}

	b := &builder{rep: rep, fs: fs, data: data, req: req, vintages: vintages, countsBy: countsBy, coverageBy: coverageBy,
		index: map[string]*SeriesIndex{}}
	for _, d := range defs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		t, err := b.topic(d)
		if err != nil {
			return nil, fmt.Errorf("answer: %s: %w", d.name, err)
		}
		rep.Topics = append(rep.Topics, t)
	}
	rep.Reconciliation = b.reconciliation(fs.order, defs)
	rep.Figures = fs.all
	fs.all, fs.by, fs.order = nil, nil, nil
	return rep, nil
}

// yearsWord is a number of years in words: "one year", "five years",
// "12 years".
func yearsWord(n int) string {
	words := []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}
	switch {
	case n == 1:
		return "one year"
	case n > 1 && n < len(words):
		return words[n] + " years"
	}
	return fmt.Sprintf("%d years", n)
}

// shortNote says why a report of short data has no window figures.
func shortNote(rep *Report) string {
	var spans []string
	for _, s := range rep.Sources {
		n := int(s.Last-s.First) + 1
		spans = append(spans, fmt.Sprintf("%s covers %s to %s (%d month%s)", s.Name, s.First.Label(), s.Last.Label(), n, plural(n)))
	}
	return fmt.Sprintf("In the dataset, %s: too few months for %s and its change on a year earlier, so the counts of each month are shown instead.",
		joinAnd(spans), rep.Window.Describe(rep.PeriodEnd))
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// setIntervals gives every figure its interval and verdict, on every core:
// the exact interval costs a few microseconds a figure, and fifteen years
// of every force is over a hundred thousand figures. Each pair of counts
// is worked out once: many figures share theirs (about two in five over
// fifteen years), and the interval depends on the counts alone.
func setIntervals(ctx context.Context, fs *figureSet) {
	type pair struct{ previous, count int64 }
	at := map[pair]int{}
	var pairs []pair
	for i := range fs.all {
		f := &fs.all[i]
		if !f.HasCount || !f.HasPrevious {
			continue
		}
		p := pair{f.Previous, f.Count}
		if _, ok := at[p]; !ok {
			at[p] = len(pairs)
			pairs = append(pairs, p)
		}
	}
	verdicts := make([]stats.Verdict, len(pairs))
	const chunk = 512
	work := make(chan int, 64)
	var wg sync.WaitGroup
	for range max(1, min(runtime.GOMAXPROCS(0), 8)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for from := range work {
				for i := from; i < min(from+chunk, len(pairs)); i++ {
					verdicts[i] = stats.ChangeVerdict(pairs[i].previous, pairs[i].count)
				}
			}
		}()
	}
	for from := 0; from < len(pairs); from += chunk {
		if ctx.Err() != nil {
			break
		}
		work <- from
	}
	close(work)
	wg.Wait()
	for i := range fs.all {
		f := &fs.all[i]
		var v stats.Verdict
		if f.HasCount && f.HasPrevious {
			v = verdicts[at[pair{f.Previous, f.Count}]]
		}
		applyVerdict(f, v)
	}
}

// isComputedFamily reports whether src is a source Answer computes figures
// from counts for.
func isComputedFamily(src string) bool {
	switch src {
	case datasets.SourceHomeOffice, datasets.SourceForce, datasets.SourcePoliceUK:
		return true
	}
	return false
}

// sourceAt reports whether a source has any figure for a window ending at
// end.
func sourceAt(fs *figureSet, src string, end datasets.Month) bool {
	for topic := range fs.keys {
		for _, k := range fs.at(topic, end) {
			for _, f := range fs.by[k] {
				if f.Source == src && f.HasCount {
					return true
				}
			}
		}
	}
	return false
}

// builder holds what every topic of one report shares.
type builder struct {
	rep        *Report
	fs         *figureSet
	data       Data
	req        Request
	vintages   map[string]string
	countsBy   map[string][]datasets.Count
	coverageBy map[string][]datasets.Coverage
	index      map[string]*SeriesIndex // per computed source, built on first use
}

// seriesIndex returns the computed source's series index, nil when the
// source has no data.
func (b *builder) seriesIndex(src string) *SeriesIndex {
	if si, ok := b.index[src]; ok {
		return si
	}
	si, err := NewSeriesIndex(b.countsBy[src], b.coverageBy[src], src)
	if err != nil {
		si = nil
	}
	b.index[src] = si
	return si
}

// quotedAt returns the quoted figures of a topic at a window end, one per
// area.
func (b *builder) quotedAt(topic string, end datasets.Month) []Figure {
	var out []Figure
	for _, k := range b.fs.at(topic, end) {
		if q, ok := b.fs.quoted(k); ok {
			q.Quoted = true
			out = append(out, q)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].AreaCode < out[j].AreaCode })
	return out
}
