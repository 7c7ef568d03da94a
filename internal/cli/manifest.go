package cli

import (
	"fmt"
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
	History     string   `json:"history,omitempty"`      // years of windows held, or "all"
	HistoryFrom string   `json:"history_from,omitempty"` // the end of the earliest window the report holds
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

// manifestInputs lists every input the dataset holds, with its accounting
// and its status, and marks the ones this run ingested. A status is "in the
// dataset"; "superseded by <input> (vintage vNNN)" for an input none of
// whose figures are current any more (a newer input of a later vintage, or
// of its own ingest by its dating, replaced them all); "in the dataset; N of
// M periods superseded by <input> (vintage vNNN)" for one partly replaced;
// or "skipped: same as <input>" for one whose figures repeat another's.
// Inputs of this run not in the catalog (the same bytes as another input)
// are listed too, with no vintage.
func manifestInputs(snap store.Snapshot, ingested *pipeline.IngestResult) []manifestInput {
	status := map[string]string{}
	if ingested != nil {
		for _, in := range ingested.Inputs {
			status[in.Name+"\x00"+in.SHA256] = in.Status
		}
	}
	// The later inputs that replaced each input's keys: vintage ID + name
	// of the input -> the newest replacement of each of its keys.
	type replacement struct{ vintage, input string }
	replaced := map[string]map[datasets.Coverage]replacement{}
	for _, k := range snap.Superseded {
		id := k.Old + "\x00" + k.OldInput
		if replaced[id] == nil {
			replaced[id] = map[datasets.Coverage]replacement{}
		}
		if r, ok := replaced[id][k.Key]; !ok || k.New > r.vintage {
			replaced[id][k.Key] = replacement{k.New, k.NewInput}
		}
	}
	var out []manifestInput
	inCatalog := map[string]bool{}
	for _, v := range snap.Vintages {
		for _, in := range v.Inputs {
			inCatalog[in.Name] = true
			st := "in the dataset"
			switch reps := replaced[v.ID+"\x00"+in.Name]; {
			case in.SameAs != "":
				st = "skipped: same as " + in.SameAs
			case in.SupersededBy != "":
				st = fmt.Sprintf("superseded by %s (vintage %s)", in.SupersededBy, v.ID)
			case len(reps) > 0:
				var last replacement
				for _, r := range reps {
					if r.vintage > last.vintage || r.vintage == last.vintage && r.input < last.input {
						last = r
					}
				}
				st = fmt.Sprintf("superseded by %s (vintage %s)", last.input, last.vintage)
				if len(reps) < len(in.Coverage) {
					st = fmt.Sprintf("in the dataset; %d of %d periods superseded by %s (vintage %s)", len(reps), len(in.Coverage), last.input, last.vintage)
				}
			}
			if s, ok := status[in.Name+"\x00"+in.SHA256]; ok {
				if s == pipeline.StatusAdded || s == pipeline.StatusAlreadyPresent {
					if st == "in the dataset" {
						st = s
					} else {
						st = s + "; " + st
					}
				}
				st = "ingested by this run: " + st
			}
			out = append(out, manifestInput{Name: in.Name, Source: in.Source, SHA256: in.SHA256, Vintage: v.ID,
				Status: st, Rows: rowsOf(in.Stats), Balanced: in.Stats.Balanced()})
		}
	}
	if ingested != nil {
		for _, in := range ingested.Inputs {
			if in.Vintage == "" && !inCatalog[in.Name] {
				out = append(out, manifestInput{Name: in.Name, Source: in.Source, SHA256: in.SHA256,
					Status: "ingested by this run: " + in.Status, Rows: rowsOf(in.Stats), Balanced: in.Stats.Balanced()})
			}
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
