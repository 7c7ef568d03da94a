package cli

import (
	"sort"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/config"
	"github.com/crimetrends/crimetrends/pipeline"
)

// manifest is manifest.json: what a report was made from and what it wrote.
type manifest struct {
	Software  software       `json:"software"`
	Synthetic bool           `json:"synthetic"`
	Label     string         `json:"label"`
	Dataset   string         `json:"dataset"`
	Config    *config.Config `json:"config,omitempty"`
	Request   request        `json:"request"`
	// Period is the last month of the report's window; PeriodAsked says
	// whether the user gave it (else it is the latest the data covers).
	Period      string           `json:"period"`
	PeriodAsked bool             `json:"period_asked"`
	Sources     []manifestSource `json:"sources"`
	Notes       []string         `json:"notes,omitempty"`
	Inputs      []manifestInput  `json:"inputs"`
	Ignored     []ignoredPath    `json:"ignored,omitempty"` // files this run found but did not read, with the reason
	Vintages    []vintage        `json:"vintages"`
	Superseded  []string         `json:"superseded,omitempty"`
	// Completeness is, per source, its span, how many forces (and BTP) are
	// complete over it, and the missing ranges of the others.
	Completeness map[string]completenessSource `json:"completeness"`
	// Revisions counts what changed since the report this run replaces.
	Revisions revisionsSummary `json:"revisions"`
	// Populations are the population vintages the rates used, with where
	// each came from.
	Populations []string `json:"populations,omitempty"`
	Outputs     []output `json:"outputs"`
}

// manifestSource is one source of the dataset and its place in the order
// in which figures are quoted.
type manifestSource struct {
	Source   string   `json:"source"`
	Name     string   `json:"name"`
	Status   string   `json:"status"`
	Rank     int      `json:"quote_order"`
	Why      string   `json:"why"`
	First    string   `json:"first"`
	Last     string   `json:"last"`
	Releases []string `json:"releases,omitempty"`
	AtPeriod bool     `json:"has_figures_for_the_period"`
}

type software struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type request struct {
	Period      string   `json:"period,omitempty"`
	Forces      []string `json:"forces,omitempty"`
	Offences    []string `json:"offences,omitempty"`
	MinBase     int      `json:"min_base,omitempty"`
	Window      string   `json:"window,omitempty"`
	PeerGroups  []string `json:"peer_groups,omitempty"`
	Populations string   `json:"populations,omitempty"` // the user's population file, when one was given
	Boundaries  string   `json:"boundaries,omitempty"`  // the user's boundary file, when one was given
	GeneratedAt string   `json:"generated_at,omitempty"`
}

type manifestInput struct {
	Name     string `json:"name"`
	Source   string `json:"source"`
	SHA256   string `json:"sha256"`
	Vintage  string `json:"vintage"`
	Status   string `json:"status"` // "current", "superseded", or this run's ingest status
	Rows     rows   `json:"rows"`
	Balanced bool   `json:"balanced"`
}

type ignoredPath struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

type rows struct {
	Read     int64            `json:"read"`
	Used     int64            `json:"used"`
	Skipped  int64            `json:"skipped"`
	Reasons  map[string]int64 `json:"skipped_reasons,omitempty"`
	Rejected int64            `json:"rejected"`
}

type vintage struct {
	ID         string `json:"id"`
	IngestedAt string `json:"ingested_at"`
	Inputs     int    `json:"inputs"`
}

type output struct {
	File   string `json:"file"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

func rowsOf(s datasets.Stats) rows {
	return rows{Read: s.Read, Used: s.Used, Skipped: s.SkippedTotal(), Reasons: s.Skipped, Rejected: s.Rejected}
}

// manifestInputs lists every input the dataset holds, with its accounting,
// and marks the ones this run ingested.
func manifestInputs(snap store.Snapshot, ingested *pipeline.IngestResult) []manifestInput {
	status := map[string]string{}
	if ingested != nil {
		for _, in := range ingested.Inputs {
			status[in.SHA256] = "ingested by this run: " + in.Status
		}
	}
	var out []manifestInput
	for _, v := range snap.Vintages {
		for _, in := range v.Inputs {
			st := "in the dataset"
			if s, ok := status[in.SHA256]; ok {
				st = s
			}
			out = append(out, manifestInput{Name: in.Name, Source: in.Source, SHA256: in.SHA256, Vintage: v.ID,
				Status: st, Rows: rowsOf(in.Stats), Balanced: in.Stats.Balanced()})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Vintage != out[j].Vintage {
			return out[i].Vintage < out[j].Vintage
		}
		return out[i].Name < out[j].Name
	})
	return out
}
