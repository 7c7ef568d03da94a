package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/pipeline"
	"github.com/crimetrends/crimetrends/reports"
)

// RevisionsHeader is the header of revisions.csv.
var RevisionsHeader = []string{"source", "area_code", "area_name", "offence", "period_end", "months", "field", "previous", "current", "difference"}

// readTrendsCSV reads a trends.csv as WriteTrendsCSV writes it. Text cells
// are kept as written (a defused "'=..." stays so), so that two files
// compare as they read. name is used in errors.
func readTrendsCSV(r io.Reader, name string) ([]datasets.Trend, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(reports.TrendsHeader)
	head, err := cr.Read()
	if err != nil {
		return nil, &datasets.RowError{File: name, Row: 1, Column: "header", Want: "the trends.csv header", Err: err}
	}
	if !slices.Equal(head, reports.TrendsHeader) {
		return nil, &datasets.RowError{File: name, Row: 1, Column: "header", Value: fmt.Sprint(head),
			Want: fmt.Sprint(reports.TrendsHeader), Err: datasets.ErrBadHeader}
	}
	var out []datasets.Trend
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, &datasets.RowError{File: name, Row: row, Err: err}
		}
		bad := func(col int, want string, err error) error {
			return &datasets.RowError{File: name, Row: row, Column: reports.TrendsHeader[col], Value: rec[col], Want: want, Err: err}
		}
		t := datasets.Trend{AreaCode: rec[0], AreaName: rec[1], Offence: rec[2], Source: rec[9], Note: rec[10]}
		if t.PeriodEnd, err = datasets.ParseMonth(rec[3]); err != nil {
			return nil, bad(3, "YYYY-MM", err)
		}
		if t.Months, err = strconv.Atoi(rec[4]); err != nil {
			return nil, bad(4, "a whole number of months", err)
		}
		if t.Count, err = strconv.ParseInt(rec[5], 10, 64); err != nil {
			return nil, bad(5, "a whole number", err)
		}
		if rec[6] != "" {
			t.HasPrevious = true
			if t.Previous, err = strconv.ParseInt(rec[6], 10, 64); err != nil {
				return nil, bad(6, "a whole number or blank", err)
			}
			if t.Change, err = strconv.ParseInt(rec[7], 10, 64); err != nil {
				return nil, bad(7, "a whole number", err)
			}
		}
		if rec[8] != "" {
			t.HasPct = true
			if t.PctChange, err = strconv.ParseFloat(rec[8], 64); err != nil {
				return nil, bad(8, "a percentage such as 14.6, or blank", err)
			}
		}
		out = append(out, t)
	}
}

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
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, "", false, nil
	}
	if err != nil {
		return nil, "", false, fmt.Errorf("previous report: %w", err)
	}
	trends, err = readTrendsCSV(bytes.NewReader(b), path)
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
