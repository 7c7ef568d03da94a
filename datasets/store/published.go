package store

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"

	"github.com/crimetrends/crimetrends/datasets"
)

// Parquet column names of the published files (PublishedDir), in file
// order, besides ColAreaCode, ColOffence, ColPeriodEnd, ColCount, ColVintage
// and ColInputSHA256, which the counts files share. ColFootnotes is last:
// files written before it have the others only.
const (
	ColRelease     = "release"
	ColAreaName    = "area_name"
	ColMonths      = "months"
	ColCountMarker = "count_marker"
	ColPctChange   = "pct_change"
	ColPctMarker   = "pct_marker"
	ColRate        = "rate"
	ColRateMarker  = "rate_marker"
	ColPopulation  = "population"
	ColFile        = "file"
	ColFootnotes   = "footnotes"
)

// Column positions in publishedSchema.
const (
	pubRelease = iota
	pubAreaCode
	pubAreaName
	pubOffence
	pubPeriodEnd
	pubMonths
	pubCount
	pubCountMarker
	pubPctChange
	pubPctMarker
	pubRate
	pubRateMarker
	pubPopulation
	pubFile
	pubVintage
	pubInputSHA256
	pubFootnotes
	pubColumns
)

var publishedSchema = arrow.NewSchema([]arrow.Field{
	{Name: ColRelease, Type: arrow.BinaryTypes.String},
	{Name: ColAreaCode, Type: arrow.BinaryTypes.String},
	{Name: ColAreaName, Type: arrow.BinaryTypes.String},
	{Name: ColOffence, Type: arrow.BinaryTypes.String},
	{Name: ColPeriodEnd, Type: arrow.BinaryTypes.String},
	{Name: ColMonths, Type: arrow.PrimitiveTypes.Int32},
	{Name: ColCount, Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: ColCountMarker, Type: arrow.BinaryTypes.String},
	{Name: ColPctChange, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: ColPctMarker, Type: arrow.BinaryTypes.String},
	{Name: ColRate, Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: ColRateMarker, Type: arrow.BinaryTypes.String},
	{Name: ColPopulation, Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: ColFile, Type: arrow.BinaryTypes.String},
	{Name: ColVintage, Type: arrow.BinaryTypes.String},
	{Name: ColInputSHA256, Type: arrow.BinaryTypes.String},
	{Name: ColFootnotes, Type: arrow.BinaryTypes.String, Nullable: true},
}, nil)

// publishedSchemaV1 is the schema of published files written before the
// footnotes column: they read back with no footnotes.
var publishedSchemaV1 = arrow.NewSchema(publishedSchema.Fields()[:pubFootnotes], nil)

// footnoteSep joins a row's footnotes in the footnotes column; a footnote
// holds no newline.
const footnoteSep = "\n"

// SupersededRelease records that a newer vintage replaced an older one's
// published rows of one release (the same Release ID ingested again from
// other bytes, such as a corrected file published under the same name).
type SupersededRelease struct {
	Release string // datasets.Published.Release
	Old     string // ID of the vintage replaced
	New     string // ID of the replacing vintage
}

// comparePublished orders published rows by release, area code, offence
// and period end, then by the rest so that the order is total.
func comparePublished(a, b datasets.Published) int {
	if c := strings.Compare(a.Release, b.Release); c != 0 {
		return c
	}
	if c := strings.Compare(a.AreaCode, b.AreaCode); c != 0 {
		return c
	}
	if c := strings.Compare(a.Offence, b.Offence); c != 0 {
		return c
	}
	if a.PeriodEnd != b.PeriodEnd {
		if a.PeriodEnd < b.PeriodEnd {
			return -1
		}
		return 1
	}
	return 0
}

// samePublishedKey says whether a and b have the same release, area,
// offence and period end.
func samePublishedKey(a, b datasets.Published) bool {
	return a.Release == b.Release && a.AreaCode == b.AreaCode && a.Offence == b.Offence && a.PeriodEnd == b.PeriodEnd
}

// checkPublished enforces Add's contract on an extract's published rows
// and returns them sorted with comparePublished, and their distinct
// releases, sorted.
func checkPublished(rows []datasets.Published) ([]datasets.Published, []string, error) {
	if !slices.IsSortedFunc(rows, comparePublished) {
		rows = slices.Clone(rows)
		slices.SortStableFunc(rows, comparePublished)
	}
	var releases []string
	for i, p := range rows {
		what := fmt.Sprintf("published row %q %s %q %s", p.Release, p.AreaCode, p.Offence, p.PeriodEnd)
		switch {
		case p.Release == "" || !utf8.ValidString(p.Release):
			return nil, nil, fmt.Errorf("%s: want a release ID (valid UTF-8, not empty)", what)
		case !knownArea(p.AreaCode):
			return nil, nil, fmt.Errorf("%s: area code %q: want a known area (datasets.AreaByCode)", what, p.AreaCode)
		case p.PeriodEnd < firstMonth || p.PeriodEnd > lastMonth:
			return nil, nil, fmt.Errorf("%s: period end: want a month 1900-01..2999-12", what)
		case p.Months <= 0 || p.Months > math.MaxInt32:
			return nil, nil, fmt.Errorf("%s: months %d: want more than 0", what, p.Months)
		case !p.HasCount && p.Count != 0, !p.HasPct && p.PctChange != 0, !p.HasRate && p.Rate != 0:
			return nil, nil, fmt.Errorf("%s: a count, change or rate of %d, %v, %v is not flagged as published (HasCount, HasPct, HasRate): want 0",
				what, p.Count, p.PctChange, p.Rate)
		case math.IsNaN(p.PctChange) || math.IsInf(p.PctChange, 0) || math.IsNaN(p.Rate) || math.IsInf(p.Rate, 0):
			return nil, nil, fmt.Errorf("%s: change %v, rate %v: want finite numbers", what, p.PctChange, p.Rate)
		}
		for _, f := range p.Footnotes {
			if !validNote(f) {
				return nil, nil, fmt.Errorf("%s: footnote %q: want valid UTF-8 on one line, not empty", what, f)
			}
		}
		if i > 0 && samePublishedKey(rows[i-1], p) {
			return nil, nil, fmt.Errorf("%s given twice", what)
		}
		if len(releases) == 0 || releases[len(releases)-1] != p.Release {
			releases = append(releases, p.Release)
		}
	}
	return rows, releases, nil
}

// validNote says whether a footnote or release note can be stored: valid
// UTF-8, not empty, no newline (footnotes are joined with one).
func validNote(s string) bool {
	return s != "" && utf8.ValidString(s) && !strings.ContainsAny(s, "\n\r")
}

// checkReleaseNotes enforces Add's contract on an extract's release notes:
// each names one of releases (the extract's, sorted) and is a valid note.
// They are returned as given, in order.
func checkReleaseNotes(notes []datasets.ReleaseNote, releases []string) ([]datasets.ReleaseNote, error) {
	for _, n := range notes {
		if _, ok := slices.BinarySearch(releases, n.Release); !ok {
			return nil, fmt.Errorf("release note %q of %q: want one of the extract's releases %q", n.Text, n.Release, releases)
		}
		if !validNote(n.Text) {
			return nil, fmt.Errorf("release note %q of %q: want valid UTF-8 on one line, not empty", n.Text, n.Release)
		}
	}
	return slices.Clone(notes), nil
}

// currentReleaseNotes are the release notes of each release's winning
// input (winner: release -> input), sorted by release and then as the
// input gave them.
func currentReleaseNotes(vs []Vintage, winner map[string]inputRef) []datasets.ReleaseNote {
	var out []datasets.ReleaseNote
	for r, w := range winner {
		for _, n := range vs[w.v].Inputs[w.i].ReleaseNotes {
			if n.Release == r {
				out = append(out, n)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b datasets.ReleaseNote) int { return strings.Compare(a.Release, b.Release) })
	return out
}

func knownArea(code string) bool {
	_, ok := datasets.AreaByCode(code)
	return ok
}

// writePublished writes the published rows of ins, input after input, to
// the file at p and syncs it.
func (s *Store) writePublished(ctx context.Context, p, vid string, ins []prepared) error {
	return writeRows(ctx, s, p, publishedSchema, ins, func(in *prepared) []datasets.Published { return in.published },
		func(w *batchWriter) func(*prepared, *datasets.Published) {
			b := w.b
			str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
			var (
				release     = str(pubRelease)
				area        = str(pubAreaCode)
				areaName    = str(pubAreaName)
				offence     = str(pubOffence)
				end         = str(pubPeriodEnd)
				months      = b.Field(pubMonths).(*array.Int32Builder)
				count       = b.Field(pubCount).(*array.Int64Builder)
				countMarker = str(pubCountMarker)
				pct         = b.Field(pubPctChange).(*array.Float64Builder)
				pctMarker   = str(pubPctMarker)
				rate        = b.Field(pubRate).(*array.Float64Builder)
				rateMarker  = str(pubRateMarker)
				population  = b.Field(pubPopulation).(*array.Int64Builder)
				fileName    = str(pubFile)
				vintage     = str(pubVintage)
				input       = str(pubInputSHA256)
				footnotes   = str(pubFootnotes)
			)
			return func(in *prepared, r *datasets.Published) {
				release.Append(r.Release)
				area.Append(r.AreaCode)
				areaName.Append(r.AreaName)
				offence.Append(r.Offence)
				end.Append(w.month(r.PeriodEnd))
				months.Append(int32(r.Months))
				if r.HasCount {
					count.Append(r.Count)
				} else {
					count.AppendNull()
				}
				countMarker.Append(r.CountMarker)
				if r.HasPct {
					pct.Append(r.PctChange)
				} else {
					pct.AppendNull()
				}
				pctMarker.Append(r.PctMarker)
				if r.HasRate {
					rate.Append(r.Rate)
				} else {
					rate.AppendNull()
				}
				rateMarker.Append(r.RateMarker)
				if r.Population != 0 {
					population.Append(r.Population)
				} else {
					population.AppendNull()
				}
				fileName.Append(r.File)
				vintage.Append(vid)
				input.Append(in.e.SHA256)
				if len(r.Footnotes) > 0 {
					footnotes.Append(strings.Join(r.Footnotes, footnoteSep))
				} else {
					footnotes.AppendNull()
				}
			}
		})
}

// readPublished reads the published file rel, which holds the published
// rows of the inputs ins (all of one vintage, vid, and all naming rel), and
// returns the rows of the inputs whose index in ins is in want, in file
// order, with each row's input index. It checks the file against the
// catalog: schema, nulls only in the nullable columns, each row's vintage,
// input and release (one of its input's releases), and each input's row
// count. Errors name the file.
func (s *Store) readPublished(ctx context.Context, rel, vid string, ins []InputRecord, want []bool) (rows []datasets.Published, owner []int, err error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", rel, fmt.Sprintf(format, args...))
	}
	bySHA, total, wanted := tallyInputs(ins, want, func(in InputRecord) int64 { return in.PublishedRows })
	rdr, fr, sc, err := s.openParquet(rel, vid, total, len(ins))
	if err != nil {
		return nil, nil, err
	}
	defer rdr.Close()
	if err := checkSchema(sc, publishedSchema); err != nil && checkSchema(sc, publishedSchemaV1) != nil {
		return nil, nil, fail("%v", err)
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	defer rr.Release()

	releases := make([]map[string]bool, len(ins))
	for i, in := range ins {
		releases[i] = make(map[string]bool, len(in.Releases))
		for _, r := range in.Releases {
			releases[i][r] = true
		}
	}
	rows = make([]datasets.Published, 0, wanted)
	owner = make([]int, 0, wanted)
	var names interner
	notes := map[string][]string{} // a footnotes cell -> its footnotes, shared by the rows that have them
	got := make([]int64, len(ins))
	row := int64(0)
	last, lastSHA := -1, ""
	for rr.Next() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		rec := rr.RecordBatch()
		var strs [pubColumns]*array.String
		for i := range rec.NumCols() {
			col := rec.Column(int(i))
			f := publishedSchema.Field(int(i))
			if col.NullN() > 0 && !f.Nullable {
				return nil, nil, fail("column %s has nulls", f.Name)
			}
			if sc, ok := col.(*array.String); ok {
				strs[i] = sc
			}
		}
		months := rec.Column(pubMonths).(*array.Int32)
		count := rec.Column(pubCount).(*array.Int64)
		pct := rec.Column(pubPctChange).(*array.Float64)
		rate := rec.Column(pubRate).(*array.Float64)
		population := rec.Column(pubPopulation).(*array.Int64)
		footnotes := strs[pubFootnotes] // nil in a file written before the column
		for j := range int(rec.NumRows()) {
			row++
			sha := strs[pubInputSHA256].Value(j)
			i := last
			if last < 0 || sha != lastSHA {
				var ok bool
				if i, ok = bySHA[sha]; !ok {
					return nil, nil, fail("row %d: %s %q names no input of vintage %s in this file in %s", row, ColInputSHA256, sha, vid, vintageFile(vid))
				}
				last, lastSHA = i, ins[i].SHA256
			}
			got[i]++
			release := strs[pubRelease].Value(j)
			if strs[pubVintage].Value(j) != vid || !releases[i][release] {
				return nil, nil, fail("row %d: vintage %q, release %q: want %q and one of %q as in %s",
					row, strs[pubVintage].Value(j), release, vid, ins[i].Releases, vintageFile(vid))
			}
			if !want[i] {
				continue
			}
			p := datasets.Published{
				Release:     names.get(release),
				File:        names.get(strs[pubFile].Value(j)),
				AreaCode:    names.get(strs[pubAreaCode].Value(j)),
				AreaName:    names.get(strs[pubAreaName].Value(j)),
				Offence:     names.get(strs[pubOffence].Value(j)),
				Months:      int(months.Value(j)),
				CountMarker: names.get(strs[pubCountMarker].Value(j)),
				PctMarker:   names.get(strs[pubPctMarker].Value(j)),
				RateMarker:  names.get(strs[pubRateMarker].Value(j)),
			}
			if p.PeriodEnd, err = datasets.ParseMonth(strs[pubPeriodEnd].Value(j)); err != nil {
				return nil, nil, fail("row %d: %s: %v", row, ColPeriodEnd, err)
			}
			if p.AreaCode == "" || p.Months <= 0 {
				return nil, nil, fail("row %d: %s %q, %s %d: want an area code and months > 0", row, ColAreaCode, p.AreaCode, ColMonths, p.Months)
			}
			if p.HasCount = count.IsValid(j); p.HasCount {
				p.Count = count.Value(j)
			}
			if p.HasPct = pct.IsValid(j); p.HasPct {
				p.PctChange = pct.Value(j)
			}
			if p.HasRate = rate.IsValid(j); p.HasRate {
				p.Rate = rate.Value(j)
			}
			if population.IsValid(j) {
				p.Population = population.Value(j)
			}
			if footnotes != nil && footnotes.IsValid(j) && footnotes.Value(j) != "" {
				v := footnotes.Value(j)
				fs, ok := notes[v]
				if !ok {
					fs = strings.Split(strings.Clone(v), footnoteSep)
					notes[strings.Clone(v)] = fs
				}
				p.Footnotes = slices.Clip(fs)
			}
			rows = append(rows, p)
			owner = append(owner, i)
		}
	}
	if err := endOfRows(ctx, rr.Err(), rel, vid, ins, got, func(in InputRecord) int64 { return in.PublishedRows }); err != nil {
		return nil, nil, err
	}
	return rows, owner, nil
}

// checkSchema compares a file's schema, as read, with the one the store
// writes: names and types, column by column.
func checkSchema(got, want *arrow.Schema) error {
	if len(got.Fields()) != len(want.Fields()) {
		return fmt.Errorf("%d columns (%s): want %d (%s)", len(got.Fields()), columnList(got), len(want.Fields()), columnList(want))
	}
	for i, f := range got.Fields() {
		w := want.Field(i)
		if f.Name != w.Name || !arrow.TypeEqual(f.Type, w.Type) {
			return fmt.Errorf("column %d is %s %s: want %s %s", i+1, f.Name, f.Type, w.Name, w.Type)
		}
	}
	return nil
}

// columnList names a schema's columns and types, "release utf8, ...".
func columnList(sc *arrow.Schema) string {
	var b strings.Builder
	for i, f := range sc.Fields() {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s %s", f.Name, f.Type)
	}
	return b.String()
}

// interner keeps one copy of each string read: Arrow strings alias buffers
// that are released after reading.
type interner map[string]string

func (in *interner) get(v string) string {
	if *in == nil {
		*in = map[string]string{}
	}
	s, ok := (*in)[v]
	if !ok {
		s = strings.Clone(v)
		(*in)[s] = s
	}
	return s
}
