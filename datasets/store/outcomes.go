package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/crimetrends/crimetrends/datasets"
)

// Directories, relative to the store directory, of the police.uk outcomes
// and of the Crime ID indexes.
const (
	// OutcomesDir holds one Parquet file of outcome counts per vintage
	// with outcomes inputs: "outcomes/<vintage ID>-policeuk-outcomes.parquet".
	OutcomesDir = "outcomes"
	// CrimeIDsDir holds one Parquet file per vintage with police.uk street
	// inputs: "crimeids/<vintage ID>.parquet", their hashed Crime IDs.
	CrimeIDsDir = "crimeids"
)

// Parquet column names of the outcomes and Crime ID files, besides those
// the counts files share (ColSource, ColAreaCode, ColCount, ColVintage,
// ColInputSHA256).
const (
	ColMonth     = "month"
	ColCrimeType = "crime_type"
	ColOutcome   = "outcome"
	ColCrimeKeys = "crime_keys"
)

var outcomesSchema = arrow.NewSchema([]arrow.Field{
	{Name: ColSource, Type: arrow.BinaryTypes.String},
	{Name: ColAreaCode, Type: arrow.BinaryTypes.String},
	{Name: ColMonth, Type: arrow.BinaryTypes.String},
	{Name: ColCrimeType, Type: arrow.BinaryTypes.String},
	{Name: ColOutcome, Type: arrow.BinaryTypes.String},
	{Name: ColCount, Type: arrow.PrimitiveTypes.Int64},
	{Name: ColVintage, Type: arrow.BinaryTypes.String},
	{Name: ColInputSHA256, Type: arrow.BinaryTypes.String},
}, nil)

// crimeIDsSchema is the Crime ID index's: one row per force, month and
// crime type of an input, its hashed Crime IDs in a list. No vintage or
// input column: the file is the vintage's, and its rows come input after
// input, holding as many keys for each as its catalog record's crime_ids.
// So a crime costs about its key alone, and the strings are few.
var crimeIDsSchema = arrow.NewSchema([]arrow.Field{
	{Name: ColAreaCode, Type: arrow.BinaryTypes.String},
	{Name: ColMonth, Type: arrow.BinaryTypes.String},
	{Name: ColCrimeType, Type: arrow.BinaryTypes.String},
	{Name: ColCrimeKeys, Type: arrow.ListOfNonNullable(arrow.PrimitiveTypes.Int64)},
}, nil)

// crimeIDsRowGroupKeys is about how many keys a row group of the Crime ID
// index holds (4 MiB of keys), which bounds the writer's memory.
const crimeIDsRowGroupKeys = 512 << 10

var categories = datasets.Categories()

// isOutcomes says whether a source's rows are outcome counts, kept in
// OutcomesDir rather than CountsDir.
func isOutcomes(source string) bool { return source == datasets.SourcePoliceUKOutcomes }

// countsDir is the directory of the rows of an input of source.
func countsDir(source string) string {
	if isOutcomes(source) {
		return OutcomesDir
	}
	return CountsDir
}

// crimeIDsFile is the slash path of vintage vid's Crime ID index.
func crimeIDsFile(vid string) string { return CrimeIDsDir + "/" + vid + ".parquet" }

// checkOutcomes enforces Add's contract on an extract's outcome counts and
// Crime IDs: outcomes only on an outcomes extract, sorted by
// datasets.CompareOutcomeCounts without repeats, each with a count above 0,
// a known outcome type and inside a coverage key of its area (keys); Crime
// IDs sorted by area and month, each group inside a coverage key, each
// entry's category a known one.
func checkOutcomes(e *datasets.Extract, keys map[string][]datasets.Coverage) ([]datasets.OutcomeCount, error) {
	if len(e.Outcomes) > 0 && !isOutcomes(e.Source) {
		return nil, fmt.Errorf("outcome counts in an extract of source %q: want %q", e.Source, datasets.SourcePoliceUKOutcomes)
	}
	if isOutcomes(e.Source) && len(e.Counts) > 0 {
		return nil, fmt.Errorf("counts in an extract of source %q: want outcome counts only", e.Source)
	}
	outs := e.Outcomes
	if !slices.IsSortedFunc(outs, datasets.CompareOutcomeCounts) {
		outs = slices.Clone(outs)
		slices.SortStableFunc(outs, datasets.CompareOutcomeCounts)
	}
	for i, o := range outs {
		what := fmt.Sprintf("outcome count %s %s %q %q", o.AreaCode, o.Month, o.CrimeType, o.Outcome)
		k := datasets.Count{Source: e.Source, AreaCode: o.AreaCode, Start: o.Month, End: o.Month}
		switch {
		case o.Count <= 0:
			return nil, fmt.Errorf("%s: count %d: want more than 0", what, o.Count)
		case checkOutcome(o.Outcome) != nil:
			return nil, fmt.Errorf("%s: %w", what, checkOutcome(o.Outcome))
		case o.CrimeType != datasets.CrimeTypeUnknown && !knownCategory(o.CrimeType):
			return nil, fmt.Errorf("%s: not a police.uk crime type", what)
		case !validPeriod(o.Month, o.Month):
			return nil, fmt.Errorf("%s: want a month 1900-01..2999-12", what)
		}
		if _, ok := ownerKey(keys[o.AreaCode], k); !ok {
			return nil, fmt.Errorf("%s lies outside the extract's coverage", what)
		}
		if i > 0 && datasets.CompareOutcomeCounts(outs[i-1], o) == 0 {
			return nil, fmt.Errorf("%s given twice", what)
		}
	}
	for i, g := range e.CrimeIDs {
		what := fmt.Sprintf("crime IDs of %s %s", g.AreaCode, g.Month)
		if i > 0 && compareCrimeIDs(e.CrimeIDs[i-1], g) >= 0 {
			return nil, fmt.Errorf("%s: want groups sorted by area and month, each once", what)
		}
		k := datasets.Count{Source: e.Source, AreaCode: g.AreaCode, Start: g.Month, End: g.Month}
		if _, ok := ownerKey(keys[g.AreaCode], k); !ok {
			return nil, fmt.Errorf("%s lie outside the extract's coverage", what)
		}
		for c, n := range g.PerCategory {
			if n > 0 && c >= len(categories) {
				return nil, fmt.Errorf("%s: category index %d out of range", what, c)
			}
		}
	}
	return outs, nil
}

// checkOutcome checks an outcome type as Add keeps it: a police.uk type
// spelt as datasets.OutcomeTypes spells it, or one crimetrends does not
// know (counted in datasets.OutcomeOther) as datasets.CheckOutcomeType
// keeps it.
func checkOutcome(outcome string) error {
	t, known, err := datasets.CheckOutcomeType(outcome)
	switch {
	case err != nil:
		return err
	case t != outcome && known:
		return fmt.Errorf("want the police.uk outcome type spelt %q (datasets.OutcomeTypes)", t)
	case t != outcome:
		return fmt.Errorf("want the outcome type without spaces around it, %q", t)
	}
	return nil
}

func knownCategory(name string) bool {
	c, ok := datasets.CategoryByName(name)
	return ok && c.Name == name
}

func compareCrimeIDs(a, b datasets.CrimeIDs) int {
	if c := strings.Compare(a.AreaCode, b.AreaCode); c != 0 {
		return c
	}
	return cmp.Compare(a.Month, b.Month)
}

// crimeIDRows is the number of Crime IDs of an extract.
func crimeIDRows(e *datasets.Extract) int64 {
	var n int64
	for _, g := range e.CrimeIDs {
		n += g.Len()
	}
	return n
}

// ensureDir creates the store's subdirectory rel if it is missing: a store
// written before outcomes existed has no outcomes/ or crimeids/.
func (s *Store) ensureDir(rel string) error {
	return os.MkdirAll(filepath.Join(s.dir, rel), 0o755)
}

// writeOutcomes writes the outcome counts of ins, input after input, to
// the file at p and syncs it.
func (s *Store) writeOutcomes(ctx context.Context, p, vid string, ins []prepared) error {
	return writeRows(ctx, s, p, outcomesSchema, ins, func(in *prepared) []datasets.OutcomeCount { return in.outcomes },
		func(w *batchWriter) func(*prepared, *datasets.OutcomeCount) {
			b := w.b
			str := func(i int) *array.StringBuilder { return b.Field(i).(*array.StringBuilder) }
			source, area, month, crimeType, outcome := str(0), str(1), str(2), str(3), str(4)
			count := b.Field(5).(*array.Int64Builder)
			vintage, input := str(6), str(7)
			return func(in *prepared, o *datasets.OutcomeCount) {
				source.Append(in.e.Source)
				area.Append(o.AreaCode)
				month.Append(w.month(o.Month))
				crimeType.Append(o.CrimeType)
				outcome.Append(o.Outcome)
				count.Append(o.Count)
				vintage.Append(vid)
				input.Append(in.e.SHA256)
			}
		})
}

// writeCrimeIDs writes the Crime IDs of ins to the file at p and syncs
// it: a row per force, month and crime type of each input, its keys in
// the extract's order, the rows sorted by area, month and crime type (and
// input, in Add order), and a row group per force, cut every
// crimeIDsRowGroupKeys keys or so. The keys go from the extracts (in
// memory, or read back from the ingest's spill file) to the Arrow builder
// a force and month at a time, and each row group is written to the file
// as it ends, so the writer holds little more than one row group and the
// largest force and month.
func (s *Store) writeCrimeIDs(ctx context.Context, p, vid string, ins []prepared) (err error) {
	type ref struct{ in, g int }
	var refs []ref
	rows, left := 0, int64(0) // rows to write; keys left to write
	for i, in := range ins {
		for j, g := range in.e.CrimeIDs {
			refs = append(refs, ref{i, j})
			left += g.Len()
			for _, n := range g.PerCategory {
				if n > 0 {
					rows++
				}
			}
		}
	}
	group := func(r ref) *datasets.CrimeIDs { return &ins[r.in].e.CrimeIDs[r.g] }
	slices.SortStableFunc(refs, func(a, b ref) int { return compareCrimeIDs(*group(a), *group(b)) })
	// The keys are random: a dictionary or compression of them costs time
	// and saves nothing.
	const keysPath = ColCrimeKeys + ".list.element"
	w, err := s.newBatchWriter(ctx, p, crimeIDsSchema, rows, parquet.WithDictionaryFor(keysPath, false),
		parquet.WithEncodingFor(keysPath, parquet.Encodings.Plain), parquet.WithCompressionFor(keysPath, compress.Codecs.Uncompressed))
	if err != nil {
		return err
	}
	w.serial = true
	defer func() {
		if err != nil {
			w.abort()
		}
	}()
	b := w.b
	area, month, crimeType := b.Field(0).(*array.StringBuilder), b.Field(1).(*array.StringBuilder), b.Field(2).(*array.StringBuilder)
	lists := b.Field(3).(*array.ListBuilder)
	values := lists.ValueBuilder().(*array.Int64Builder)
	inGroup := 0
	lastArea := ""
	var byCat [datasets.CrimeIDCats][]int64 // reused: one pass over a group's keys
	for i, r := range refs {
		g := group(r)
		if err := ctx.Err(); err != nil {
			return err
		}
		if w.inBatch == 0 {
			inGroup = 0 // w.end wrote a full batch
		} else if g.AreaCode != lastArea || inGroup >= crimeIDsRowGroupKeys {
			if err := w.flush(); err != nil {
				return err
			}
			inGroup = 0
		}
		lastArea = g.AreaCode
		for c := range byCat {
			byCat[c] = byCat[c][:0]
		}
		if err := g.Each(func(entries []uint64) error {
			for _, v := range entries {
				k, c := datasets.CrimeIDEntry(v)
				byCat[c] = append(byCat[c], int64(k))
			}
			return nil
		}); err != nil {
			return err
		}
		for c, keys := range byCat {
			if int64(len(keys)) != g.PerCategory[c] {
				return fmt.Errorf("crime IDs of %s %s: %d of category %d read back, want %d", g.AreaCode, g.Month, len(keys), c, g.PerCategory[c])
			}
		}
		m := w.month(g.Month)
		for c, keys := range byCat {
			n := len(keys)
			if n == 0 {
				continue
			}
			if err := w.begin(); err != nil {
				return err
			}
			if inGroup == 0 {
				// The row group's keys at once, mostly: little regrowth.
				var keys int64
				for _, r := range refs[i:] {
					if g := group(r); g.AreaCode != lastArea || keys >= crimeIDsRowGroupKeys {
						break
					} else {
						keys += g.Len()
					}
				}
				values.Reserve(int(keys))
			}
			left -= int64(n)
			area.Append(g.AreaCode)
			month.Append(m)
			crimeType.Append(categories[c].Name)
			lists.Append(true)
			values.AppendValues(keys, nil)
			inGroup += n
			if err := w.end(); err != nil {
				return err
			}
		}
	}
	return w.finish()
}

// OutcomesSnapshot is the current outcome counts of the dataset.
type OutcomesSnapshot struct {
	// Counts are the outcome counts of the winning input of each coverage
	// key, sorted with datasets.SortOutcomeCounts.
	Counts []datasets.OutcomeCount
	// Coverage lists every key (source datasets.SourcePoliceUKOutcomes, a
	// force and a month), sorted by area and month.
	Coverage []datasets.Coverage
}

// Outcomes returns the current police.uk outcome counts: for each force
// and month, those of the latest input covering it (the rule of Current),
// read from the outcomes files of the winning inputs only. A missing or bad
// file, or one that does not match the catalog, is an error naming it.
func (s *Store) Outcomes(ctx context.Context) (OutcomesSnapshot, error) {
	var snap OutcomesSnapshot
	err := func() error {
		vs, err := s.catalog(ctx)
		if err != nil {
			return err
		}
		keysOf := func(in InputRecord) []datasets.Coverage {
			if !isOutcomes(in.Source) {
				return nil
			}
			return in.Coverage
		}
		history := latestByKey(vs, keysOf)
		winner := make(map[datasets.Coverage]inputRef, len(history))
		for k, h := range history {
			winner[k] = h[len(h)-1]
			snap.Coverage = append(snap.Coverage, k)
		}
		sortCoverage(snap.Coverage)
		for vi, v := range vs {
			files, members := groupByFile(v.Inputs, func(in InputRecord) string {
				if !isOutcomes(in.Source) {
					return ""
				}
				return in.File
			})
			for _, rel := range files {
				idx := members[rel]
				ins, want, anyWon := wonInputs(v, vi, idx, keysOf, winner)
				if !anyWon {
					continue
				}
				rows, owner, err := s.readOutcomes(ctx, rel, v.ID, ins, want)
				if err != nil {
					return err
				}
				for n, o := range rows {
					j := owner[n]
					k := datasets.Coverage{Source: ins[j].Source, AreaCode: o.AreaCode, Start: o.Month, End: o.Month}
					if winner[k] == (inputRef{vi, idx[j]}) {
						snap.Counts = append(snap.Counts, o)
					}
				}
			}
		}
		datasets.SortOutcomeCounts(snap.Counts)
		return nil
	}()
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return OutcomesSnapshot{}, ctxErr
		}
		return OutcomesSnapshot{}, fmt.Errorf("read dataset store %q: %w", s.dir, err)
	}
	return snap, nil
}

// readOutcomes reads the outcomes file rel of the inputs ins of vintage vid
// and returns the rows of the inputs whose index is in want, in file order,
// with each row's input index, checking the file as readFile does.
func (s *Store) readOutcomes(ctx context.Context, rel, vid string, ins []InputRecord, want []bool) (rows []datasets.OutcomeCount, owner []int, err error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", rel, fmt.Sprintf(format, args...))
	}
	rowsOf := func(in InputRecord) int64 { return in.Rows }
	bySHA, total, wanted := tallyInputs(ins, want, rowsOf)
	rdr, fr, sc, err := s.openParquet(rel, vid, total, len(ins))
	if err != nil {
		return nil, nil, err
	}
	defer rdr.Close()
	if err := checkSchema(sc, outcomesSchema); err != nil {
		return nil, nil, fail("%v", err)
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	defer rr.Release()
	rows = make([]datasets.OutcomeCount, 0, wanted)
	owner = make([]int, 0, wanted)
	var names interner
	got := make([]int64, len(ins))
	row := int64(0)
	for rr.Next() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		rec := rr.RecordBatch()
		var strs [8]*array.String
		for i := range rec.NumCols() {
			col := rec.Column(int(i))
			if col.NullN() > 0 {
				return nil, nil, fail("column %s has nulls", outcomesSchema.Field(int(i)).Name)
			}
			if c, ok := col.(*array.String); ok {
				strs[i] = c
			}
		}
		count := rec.Column(5).(*array.Int64)
		for j := range int(rec.NumRows()) {
			row++
			i, ok := bySHA[strs[7].Value(j)]
			if !ok {
				return nil, nil, fail("row %d: %s %q names no input of vintage %s in this file in %s", row, ColInputSHA256, strs[7].Value(j), vid, vintageFile(vid))
			}
			got[i]++
			if strs[0].Value(j) != ins[i].Source || strs[6].Value(j) != vid {
				return nil, nil, fail("row %d: source and vintage %q, %q: want %q, %q as in %s",
					row, strs[0].Value(j), strs[6].Value(j), ins[i].Source, vid, vintageFile(vid))
			}
			if !want[i] {
				continue
			}
			o := datasets.OutcomeCount{AreaCode: names.get(strs[1].Value(j)), CrimeType: names.get(strs[3].Value(j)),
				Outcome: names.get(strs[4].Value(j)), Count: count.Value(j)}
			if o.Month, err = datasets.ParseMonth(strs[2].Value(j)); err != nil {
				return nil, nil, fail("row %d: %s: %v", row, ColMonth, err)
			}
			rows = append(rows, o)
			owner = append(owner, i)
		}
	}
	if err := endOfRows(ctx, rr.Err(), rel, vid, ins, got, rowsOf); err != nil {
		return nil, nil, err
	}
	return rows, owner, nil
}

// NoCrimeType is the category CrimeTypes gives a key no index holds.
const NoCrimeType = 0xFF

// CrimeTypes looks up hashed Crime IDs (policeuk.CrimeKey) in the Crime ID
// indexes of every committed vintage. keys must be sorted without repeats;
// for each it returns the category of the crime as an index in
// datasets.Categories(), that of the latest vintage holding the key, or
// NoCrimeType. It reads every index file once; its memory follows keys, not
// the indexes. A missing or bad index file is an error naming it.
func (s *Store) CrimeTypes(ctx context.Context, keys []uint64) ([]uint8, error) {
	types := make([]uint8, len(keys))
	for i := range types {
		types[i] = NoCrimeType
	}
	if len(keys) == 0 {
		return types, nil
	}
	if !slices.IsSorted(keys) {
		return nil, errors.New("crime types: keys not sorted")
	}
	vs, err := s.catalog(ctx)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
			return nil, ctxErr
		}
		return nil, fmt.Errorf("read dataset store %q: %w", s.dir, err)
	}
	catIdx := map[string]uint8{}
	for i, c := range categories {
		catIdx[c.Name] = uint8(i)
	}
	for _, v := range vs {
		var n int64
		for _, in := range v.Inputs {
			n += in.CrimeIDs
		}
		if n == 0 {
			continue
		}
		if err := s.scanCrimeIDs(ctx, v, func(key uint64, cat string) error {
			i, ok := slices.BinarySearch(keys, key)
			if !ok {
				return nil
			}
			c, ok := catIdx[cat]
			if !ok {
				return fmt.Errorf("crime type %q is not a police.uk category", cat)
			}
			types[i] = c
			return nil
		}); err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(err, ctxErr) {
				return nil, ctxErr
			}
			return nil, fmt.Errorf("read dataset store %q: %w", s.dir, err)
		}
	}
	return types, nil
}

// scanCrimeIDs calls fn for every row of vintage v's Crime ID index,
// checking the file against the catalog: its schema, no nulls, and as many
// keys as its inputs' crime_ids.
func (s *Store) scanCrimeIDs(ctx context.Context, v Vintage, fn func(key uint64, cat string) error) error {
	rel := crimeIDsFile(v.ID)
	var total int64
	for _, in := range v.Inputs {
		total += in.CrimeIDs
	}
	rdr, fr, sc, err := s.openParquetRows(rel)
	if err != nil {
		return err
	}
	defer rdr.Close()
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", rel, fmt.Sprintf(format, args...))
	}
	if err := checkSchema(sc, crimeIDsSchema); err != nil {
		return fail("%v", err)
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return fmt.Errorf("%s: %w", rel, err)
	}
	defer rr.Release()
	row, n := int64(0), int64(0)
	for rr.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec := rr.RecordBatch()
		for i := range rec.NumCols() {
			if rec.Column(int(i)).NullN() > 0 {
				return fail("column %s has nulls", crimeIDsSchema.Field(int(i)).Name)
			}
		}
		cats := rec.Column(2).(*array.String)
		lists := rec.Column(3).(*array.List)
		keys := lists.ListValues().(*array.Int64)
		for j := range int(rec.NumRows()) {
			row++
			start, end := lists.ValueOffsets(j)
			for i := start; i < end; i++ {
				if err := fn(uint64(keys.Value(int(i))), cats.Value(j)); err != nil {
					return fail("row %d: %v", row, err)
				}
			}
			n += end - start
		}
	}
	if err := rr.Err(); err != nil && !errors.Is(err, io.EOF) {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("%s: %w", rel, err)
	}
	if n != total {
		return fail("%d crime keys: want %d as in %s", n, total, vintageFile(v.ID))
	}
	return nil
}

// openParquetRows opens the Parquet file rel with an Arrow reader of
// batches of 64 rows (a Crime ID index's rows hold many keys each), and
// returns it with its schema. The caller closes rdr. Errors name the file.
func (s *Store) openParquetRows(rel string) (rdr *file.Reader, fr *pqarrow.FileReader, sc *arrow.Schema, err error) {
	rdr, err = file.OpenParquetFile(filepath.Join(s.dir, filepath.FromSlash(rel)), false,
		file.WithReadProps(parquet.NewReaderProperties(s.alloc)))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	fr, err = pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: 64}, s.alloc)
	if err == nil {
		sc, err = fr.Schema()
	}
	if err != nil {
		rdr.Close()
		return nil, nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	return rdr, fr, sc, nil
}
