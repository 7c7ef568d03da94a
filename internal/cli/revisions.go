package cli

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
	"github.com/crimetrends/crimetrends/reports"
)

// RevisionsHeader is the header of revisions.csv.
var RevisionsHeader = []string{"source", "area_code", "area_name", "offence", "period_end", "months", "field", "previous", "current", "difference"}

// previousTrends reads the trends.csv of the report currently published in
// out, and names that run: the run folder's id, or (without symbolic
// links) the SHA-256 of its manifest.json. found is false when out holds
// no previous report.
func previousTrends(out string) (trends []datasets.Trend, runID string, found bool, err error) {
	current := filepath.Join(out, metaDir, currentRun)
	path := filepath.Join(current, "trends.csv")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		path = filepath.Join(out, "trends.csv") // published by rename
	}
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("previous report %q: %w", path, datasets.WithoutPath(err))
	}
	trends, err = reports.ReadFigureKeys(f, path)
	f.Close()
	if err != nil {
		return nil, "", false, fmt.Errorf("previous report: %w", err)
	}
	if target, err := os.Readlink(current); err == nil {
		runID = filepath.Base(target)
	} else if mb, err := os.ReadFile(filepath.Join(filepath.Dir(path), "manifest.json")); err == nil {
		sum := sha256.Sum256(mb)
		runID = "sha256:" + hex.EncodeToString(sum[:])
	}
	return trends, runID, true, nil
}

// writeRevisionsCSV writes revisions.csv: one row per revision, texts as
// they were read from trends.csv (already defused there).
func writeRevisionsCSV(w io.Writer, revs []pipeline.Revision) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(RevisionsHeader); err != nil {
		return fmt.Errorf("write revisions.csv header: %w", err)
	}
	for i, r := range revs {
		rec := []string{r.Source, r.AreaCode, r.AreaName, r.Offence, r.PeriodEnd.String(), strconv.Itoa(r.Months),
			r.Field, r.Previous, r.Current, r.Difference}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write revisions.csv row %d: %w", i+2, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write revisions.csv: %w", err)
	}
	return nil
}

// revisionsSummary is manifest.json's "revisions".
type revisionsSummary struct {
	PreviousRun *string `json:"previous_run"`
	Changed     int     `json:"changed"`
	Added       int     `json:"added"`
	Removed     int     `json:"removed"`
}

func summariseRevisions(revs []pipeline.Revision, runID string, found bool) revisionsSummary {
	var s revisionsSummary
	if found && runID != "" {
		s.PreviousRun = &runID
	}
	for _, r := range revs {
		switch r.Field {
		case pipeline.RevisionAdded:
			s.Added++
		case pipeline.RevisionRemoved:
			s.Removed++
		default:
			s.Changed++
		}
	}
	return s
}

// revisionsNote is the view's note on revisions.
func revisionsNote(s revisionsSummary) string {
	return fmt.Sprintf("Since the previous report: %d figures revised, %d added, %d removed; see revisions.csv", s.Changed, s.Added, s.Removed)
}

// completenessSource is manifest.json's "completeness" for one source:
// its span, how many areas are complete over it, and the gaps of the rest.
type completenessSource struct {
	First         string             `json:"first"`
	Last          string             `json:"last"`
	Areas         int                `json:"areas"`
	CompleteAreas int                `json:"complete_areas"`
	Gaps          []completenessArea `json:"gaps,omitempty"`
}

type completenessArea struct {
	AreaCode string   `json:"area_code"`
	AreaName string   `json:"area_name"`
	Absent   bool     `json:"absent,omitempty"`
	Missing  []string `json:"missing"` // "2019-07..2019-09"
}

// completenessOutputs turns the completeness matrix into the manifest's
// summary and the workbook's sheets.
func completenessOutputs(coverage []datasets.Coverage) (map[string]completenessSource, []reports.CompletenessSheet) {
	rows := pipeline.Completeness(coverage)
	man := map[string]completenessSource{}
	for _, s := range pipeline.SummariseCompleteness(rows) {
		cs := man[s.Source]
		cs.First, cs.Last = s.SpanFirst.String(), s.SpanLast.String()
		cs.Areas++
		if s.Complete() {
			cs.CompleteAreas++
		} else {
			a := completenessArea{AreaCode: s.AreaCode, AreaName: s.AreaName, Absent: s.Absent}
			for _, g := range s.Gaps {
				a.Missing = append(a.Missing, g.String())
			}
			cs.Gaps = append(cs.Gaps, a)
		}
		man[s.Source] = cs
	}
	var sheets []reports.CompletenessSheet
	for _, r := range rows {
		n := len(sheets)
		if n == 0 || sheets[n-1].Source != r.Source {
			sheets = append(sheets, reports.CompletenessSheet{Source: r.Source})
			n++
		}
		sh := &sheets[n-1]
		a := len(sh.Areas)
		if a == 0 || sh.Areas[a-1].AreaCode != r.AreaCode {
			sh.Areas = append(sh.Areas, reports.CompletenessArea{AreaCode: r.AreaCode, AreaName: r.AreaName})
			a++
		}
		if a == 1 {
			sh.Months = append(sh.Months, r.Month)
		}
		sh.Areas[a-1].Covered = append(sh.Areas[a-1].Covered, r.Covered)
	}
	return man, sheets
}
