package pipeline

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"regexp"
	"sort"
	"sync/atomic"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/homeoffice"
	"github.com/crimetrends/crimetrends/datasets/ons"
	"github.com/crimetrends/crimetrends/datasets/store"
)

// IngestOptions configures Ingest.
type IngestOptions struct {
	Logger  *slog.Logger // nil discards
	Workers int          // inputs read at once; 0 means one per core
	// Progress, when not nil, is updated as inputs are read; another
	// goroutine may read it at any time to draw a progress bar.
	Progress *Progress
}

// Progress counts an ingest's work as it happens. Its fields are safe to
// read from another goroutine while Ingest runs.
type Progress struct {
	Files, FilesDone atomic.Int64 // inputs found, inputs read
	Bytes, BytesDone atomic.Int64 // their sizes, bytes read so far
}

// countingReader adds the bytes read through it to n.
type countingReader struct {
	r io.Reader
	n *atomic.Int64
}

func (c countingReader) Read(p []byte) (int, error) {
	k, err := c.r.Read(p)
	c.n.Add(int64(k))
	return k, err
}

// InputReport is the accounting of one input of an ingest.
type InputReport struct {
	Name    string         `json:"name"`
	Format  string         `json:"format"`
	Source  string         `json:"source"`
	SHA256  string         `json:"sha256"`
	Stats   datasets.Stats `json:"-"`
	Vintage string         `json:"vintage"` // the vintage that holds it ("" for an input not kept: same bytes as another)
	// Status is StatusAdded, StatusAlreadyPresent, "skipped: same as
	// <input>" (an input whose figures another input of the ingest
	// repeats) or "superseded by <input> (<dating>)" (one whose figures a
	// newer-dated input of the ingest replaces).
	Status string `json:"status"`
	// Dating is what dates the input against another covering the same
	// force and period: "archive 2019-03" (a data.police.uk archive's
	// month), "extract of 2024-04-02" (a force extract's date), or "".
	Dating string `json:"dating,omitempty"`
	// Untyped counts, for a police.uk outcomes input, the outcomes kept
	// whose crime is in no street file of the ingest or the dataset (type
	// unknown).
	Untyped int64 `json:"untyped,omitempty"`
	// UnknownOutcomes lists, for a police.uk outcomes input, the outcome
	// types crimetrends does not know (datasets.KnownOutcomeType: one
	// data.police.uk added since), each with its outcomes kept, the most
	// outcomes first, then by type. They are counted in the group
	// datasets.OutcomeOther under the type as written.
	UnknownOutcomes []OutcomeTypeCount `json:"unknown_outcome_types,omitempty"`
}

// OutcomeTypeCount is how many outcomes had one outcome type.
type OutcomeTypeCount struct {
	Type     string `json:"type"`
	Outcomes int64  `json:"outcomes"`
}

// UnknownOutcomeTypes adds up the outcome types crimetrends does not know
// of inputs (InputReport.UnknownOutcomes): the outcomes of those types,
// and the types with their outcomes, the most first, then by type.
func UnknownOutcomeTypes(inputs []InputReport) (outcomes int64, types []OutcomeTypeCount) {
	by := map[string]int64{}
	for _, in := range inputs {
		for _, t := range in.UnknownOutcomes {
			by[t.Type] += t.Outcomes
			outcomes += t.Outcomes
		}
	}
	return outcomes, sortTypeCounts(by)
}

// sortTypeCounts lists the counts of by, the most first, then by type.
func sortTypeCounts(by map[string]int64) []OutcomeTypeCount {
	var out []OutcomeTypeCount
	for t, n := range by {
		out = append(out, OutcomeTypeCount{t, n})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Outcomes != out[j].Outcomes {
			return out[i].Outcomes > out[j].Outcomes
		}
		return out[i].Type < out[j].Type
	})
	return out
}

// Statuses of an InputReport besides "skipped: same as ..." and
// "superseded by ...".
const (
	StatusAdded          = "added"
	StatusAlreadyPresent = "already in the dataset"
)

// IngestResult is what an ingest did.
type IngestResult struct {
	Inputs []InputReport
	// Ignored lists the files found that are not ingested, with the
	// reason: files in folders or archives that are not inputs, and
	// data.police.uk files recognised but not crime data of England and
	// Wales (stop and search, Northern Ireland).
	Ignored []datasets.SkippedPath
	Vintage string // the new vintage, or "" when nothing was new
}

// Ingest reads every input under paths (files, folders, .zip archives:
// a data.police.uk archive whole), checks every row and adds the counts to
// the dataset as one new vintage. It is all or nothing: the first bad input
// stops it with an error naming the file, row and column, and the dataset
// is left as it was. See IngestForce for what it does with each kind of
// file and with inputs that cover the same force and period.
func Ingest(ctx context.Context, st *store.Store, paths []string, opts IngestOptions) (IngestResult, error) {
	if len(paths) == 0 {
		return IngestResult{}, errors.New("ingest: no paths given: name the files, folders or .zip archives to ingest")
	}
	return IngestForce(ctx, st, paths, nil, opts)
}

// readWorkbook reads an xlsx input: an ONS Police Force Area data tables
// release, recognised by its content (see isONSPFA), or else a Home Office
// open data table.
func readWorkbook(ctx context.Context, name string, r io.Reader) (*datasets.Extract, error) {
	data, err := io.ReadAll(io.LimitReader(r, homeoffice.MaxXLSXBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %q: %w", name, err)
	}
	if !isONSPFA(data) {
		return homeoffice.ReadXLSX(ctx, name, bytes.NewReader(data))
	}
	rel, err := ons.ReadPFA(ctx, name, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	return &datasets.Extract{Source: datasets.SourceONSPFA, Name: name, SHA256: rel.SHA256,
		Published: rel.Rows, ReleaseNotes: rel.ReleaseNotes(), Stats: rel.Stats}, nil
}

// isONSPFA reports whether an xlsx workbook is an ONS PFA data tables
// release, by what it holds rather than by one sheet's name, so that a
// release whose "Table P1" was renamed is still read as one (and ons.ReadPFA
// says which table is missing) instead of as a Home Office table without
// its header. It is one when a sheet is named like an ONS table ("Table P1",
// "Table P2 ", any case), or when its text holds the "Area Code" and "Area
// Name" column names and the words "police force area" of the titles. Only
// the workbook's sheet list and shared strings are read.
func isONSPFA(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	part := func(name string) []byte {
		for _, f := range zr.File {
			if f.Name != name || f.UncompressedSize64 > 16<<20 {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil
			}
			defer rc.Close()
			b, _ := io.ReadAll(io.LimitReader(rc, 16<<20))
			return b
		}
		return nil
	}
	if onsSheetRE.Match(part("xl/workbook.xml")) {
		return true
	}
	text := bytes.ToLower(part("xl/sharedStrings.xml"))
	return bytes.Contains(text, []byte(">area code")) && bytes.Contains(text, []byte(">area name")) &&
		bytes.Contains(text, []byte("police force area"))
}

// onsSheetRE finds a sheet named like an ONS table ("Table P1", "Table P4 ").
var onsSheetRE = regexp.MustCompile(`(?i)<sheet [^>]*name="\s*Table P\d+\s*"`)
