package reports

import (
	"fmt"
	"strings"

	"github.com/crimetrends/crimetrends/pipeline"
)

// sourcesData is the provenance page: the only page with input hashes.
type sourcesData struct {
	Sources      []sourceItem
	Releases     *dataTable
	Completeness []completenessItem
	Inputs       dataTable
	InputsOpen   bool
	InputCount   string
	Vintages     dataTable
}

type sourceItem struct {
	Name, Status, Why, Span string
	AtPeriod                bool
}

type completenessItem struct {
	Source, Summary string
	Gaps            *dataTable
}

// manyInputs is how many inputs are listed at once; more are one click
// away.
const manyInputs = 30

func (s *site) sourcesPage() (pageOut, error) {
	rep := s.rep
	var d sourcesData
	for _, src := range rep.Sources {
		it := sourceItem{Name: upperFirst(src.Name), Status: src.Status, Why: upperFirst(strings.TrimSuffix(src.Why, ".")) + ".", AtPeriod: src.AtPeriod}
		if src.First != 0 {
			it.Span = fmt.Sprintf("It covers %s to %s (%s).", src.First.Label(), src.Last.Label(), src.Grain)
		}
		d.Sources = append(d.Sources, it)
		if len(src.Releases) > 0 {
			tbl := dataTable{Caption: "ONS releases in the dataset, with their notes on every figure", Head: []string{"Release", "Year ending", "Workbook", "ONS's notes on every figure"}}
			for _, r := range src.Releases {
				tbl.Rows = append(tbl.Rows, tableRow{Cells: []tableCell{{Text: r.Name}, {Text: r.PeriodEnd.Label()}, {Text: r.File}, {Text: strings.Join(r.Notes, " ")}}})
			}
			d.Releases = &tbl
		}
	}
	for _, sh := range s.meta.Completeness {
		d.Completeness = append(d.Completeness, completenessOf(sh))
	}
	d.Inputs = dataTable{Caption: "Inputs behind the figures", Head: []string{"File", "Source", "Rows", "SHA-256"}}
	for _, in := range s.meta.Inputs {
		d.Inputs.Rows = append(d.Inputs.Rows, tableRow{Cells: []tableCell{{Text: in.Name}, {Text: in.Source}, {Text: sayCount(in.Rows), Num: true}, {Text: in.SHA256, Class: "hash"}}})
	}
	d.InputsOpen = len(s.meta.Inputs) <= manyInputs
	d.InputCount = sayCount(int64(len(s.meta.Inputs)))
	d.Vintages = dataTable{Caption: "Dataset vintages read", Head: []string{"Vintage", "Ingested", "Inputs"}}
	for _, v := range s.meta.Vintages {
		at := ""
		if !v.IngestedAt.IsZero() {
			at = v.IngestedAt.UTC().Format("2 January 2006 15:04 UTC")
		}
		d.Vintages.Rows = append(d.Vintages.Rows, tableRow{Cells: []tableCell{{Text: v.ID}, {Text: at}, {Text: sayCount(int64(v.Inputs)), Num: true}}})
	}
	main, err := body("sources", d)
	if err != nil {
		return pageOut{}, err
	}
	return pageOut{Name: SourcesPage, Kind: "sources", Title: "Sources and provenance", Main: main}, nil
}

// completenessOf sums up one source's completeness matrix: how many forces
// (and BTP) have every month of its span, and the months the others miss.
func completenessOf(sh CompletenessSheet) completenessItem {
	it := completenessItem{Source: upperFirst(pipeline.SourceName(sh.Source))}
	if len(sh.Months) == 0 {
		it.Summary = "No months."
		return it
	}
	span := fmt.Sprintf("%s to %s", sh.Months[0].Label(), sh.Months[len(sh.Months)-1].Label())
	complete := 0
	gaps := dataTable{Caption: it.Source + ": months missing", Head: []string{"Area", "Months missing"}}
	for _, a := range sh.Areas {
		var missing []string
		for i := 0; i < len(a.Covered) && i < len(sh.Months); i++ {
			if a.Covered[i] {
				continue
			}
			j := i
			for j+1 < len(a.Covered) && j+1 < len(sh.Months) && !a.Covered[j+1] {
				j++
			}
			if i == j {
				missing = append(missing, sh.Months[i].Label())
			} else {
				missing = append(missing, sh.Months[i].Label()+" to "+sh.Months[j].Label())
			}
			i = j
		}
		if len(missing) == 0 {
			complete++
			continue
		}
		gaps.Rows = append(gaps.Rows, tableRow{Cells: []tableCell{{Text: sayCodeName(a.AreaCode)}, {Text: strings.Join(missing, "; ")}}})
	}
	it.Summary = fmt.Sprintf("%s of the %d areas (forces and British Transport Police) have every month from %s.", upperFirst(sayNumber(complete)), len(sh.Areas), span)
	if complete == len(sh.Areas) {
		it.Summary = fmt.Sprintf("Every one of the %d areas (forces and British Transport Police) has every month from %s.", len(sh.Areas), span)
	}
	if len(gaps.Rows) > 0 {
		it.Gaps = &gaps
	}
	return it
}
