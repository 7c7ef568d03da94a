package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/apache/arrow-go/v18/parquet"
	"github.com/apache/arrow-go/v18/parquet/compress"
	"github.com/apache/arrow-go/v18/parquet/file"
	"github.com/apache/arrow-go/v18/parquet/pqarrow"

	"github.com/crimetrends/crimetrends/datasets"
)

// Writing and reading the Parquet files of counts; published.go has those
// of published figures, which share the batch writer and the checks here.

// tempPath gives the temporary name of rel (a slash path relative to the
// store): a dot file in the same directory ending in .tmp, which a
// "*.parquet" glob does not match.
func (s *Store) tempPath(rel string) string {
	dir, name := path.Split(rel)
	return filepath.Join(s.dir, filepath.FromSlash(dir), "."+name+tempSuffix)
}

// writeParquet writes the counts of ins, input after input, to the file at
// p and syncs it. Rows go to record batches of at most batchRows rows that
// may span inputs; buffers are sized to the rows written, so a file of a few
// rows allocates little.
func (s *Store) writeParquet(ctx context.Context, p, vid string, ins []prepared) error {
	return writeRows(ctx, s, p, countsSchema, ins, func(in *prepared) []datasets.Count { return in.counts },
		func(w *batchWriter) func(*prepared, *datasets.Count) {
			b := w.b
			var (
				source  = b.Field(0).(*array.StringBuilder)
				area    = b.Field(1).(*array.StringBuilder)
				offence = b.Field(2).(*array.StringBuilder)
				start   = b.Field(3).(*array.StringBuilder)
				end     = b.Field(4).(*array.StringBuilder)
				count   = b.Field(5).(*array.Int64Builder)
				vintage = b.Field(6).(*array.StringBuilder)
				input   = b.Field(7).(*array.StringBuilder)
			)
			return func(in *prepared, c *datasets.Count) {
				source.Append(c.Source)
				area.Append(c.AreaCode)
				offence.Append(c.Offence)
				start.Append(w.month(c.Start))
				end.Append(w.month(c.End))
				count.Append(c.Count)
				vintage.Append(vid)
				input.Append(in.e.SHA256)
			}
		})
}

// writeRows writes a row for each element of rows(in) of every input of
// ins, input after input, to the file at p with schema, and syncs it:
// appender, given the writer, returns what appends one element's values to
// every field of the writer's builder.
func writeRows[T any](ctx context.Context, s *Store, p string, schema *arrow.Schema, ins []prepared,
	rows func(*prepared) []T, appender func(*batchWriter) func(*prepared, *T)) (err error) {
	total := 0
	for i := range ins {
		total += len(rows(&ins[i]))
	}
	w, err := s.newBatchWriter(ctx, p, schema, total)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			w.abort()
		}
	}()
	add := appender(w)
	for i := range ins {
		in := &ins[i]
		rs := rows(in)
		for k := range rs {
			if err := w.begin(); err != nil {
				return err
			}
			add(in, &rs[k])
			if err := w.end(); err != nil {
				return err
			}
		}
	}
	return w.finish()
}

// batchWriter writes rows of one schema to a zstd Parquet file in record
// batches of at most batchRows rows. For each row the caller calls begin,
// appends a value to every field of b, and calls end; then finish, or abort
// on an error.
type batchWriter struct {
	ctx     context.Context
	f       *os.File
	bw      *bufio.Writer
	fw      *pqarrow.FileWriter
	b       *array.RecordBuilder
	inBatch int
	left    int
	months  map[datasets.Month]string
	done    bool
	// serial makes each batch a row group of its own, written to the
	// file at once (pqarrow's serial row group writer), rather than
	// buffered in memory until the row group is full.
	serial bool
}

func (s *Store) newBatchWriter(ctx context.Context, p string, schema *arrow.Schema, total int, extra ...parquet.WriterProperty) (*batchWriter, error) {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	// About 8 compressed bytes a row is plenty; between 16 KiB and 1 MiB.
	bw := bufio.NewWriterSize(f, min(max(total*8, 16<<10), 1<<20))
	props := parquet.NewWriterProperties(append([]parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithMaxRowGroupLength(maxRowGroup),
		parquet.WithAllocator(s.alloc),
	}, extra...)...)
	fw, err := pqarrow.NewFileWriter(schema, bw, props, pqarrow.NewArrowWriterProperties(pqarrow.WithAllocator(s.alloc)))
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return &batchWriter{ctx: ctx, f: f, bw: bw, fw: fw, b: array.NewRecordBuilder(s.alloc, schema), left: total,
		months: map[datasets.Month]string{}}, nil
}

// month formats m as "YYYY-MM", once per month.
func (w *batchWriter) month(m datasets.Month) string {
	s, ok := w.months[m]
	if !ok {
		s = m.String()
		w.months[m] = s
	}
	return s
}

// begin starts a row: at the start of a batch it checks for cancellation
// and reserves the batch's rows.
func (w *batchWriter) begin() error {
	if w.inBatch == 0 {
		if err := w.ctx.Err(); err != nil {
			return err
		}
		w.b.Reserve(min(batchRows, w.left))
	}
	return nil
}

// end ends a row, writing the batch when it is full.
func (w *batchWriter) end() error {
	w.inBatch++
	w.left--
	if w.inBatch == batchRows {
		w.inBatch = 0
		return w.flush()
	}
	return nil
}

// flush writes the rows begun so far as a batch (a row group of its own
// when serial).
func (w *batchWriter) flush() error {
	w.inBatch = 0
	rec := w.b.NewRecordBatch()
	defer rec.Release()
	if w.serial {
		return w.fw.Write(rec)
	}
	return w.fw.WriteBuffered(rec)
}

// finish writes the last batch, closes the Parquet writer and syncs and
// closes the file. After an error the caller still calls abort.
func (w *batchWriter) finish() error {
	if w.inBatch > 0 {
		w.inBatch = 0
		if err := w.flush(); err != nil {
			return err
		}
	}
	w.done = true
	w.b.Release()
	if err := w.fw.Close(); err != nil {
		return err
	}
	if err := w.bw.Flush(); err != nil {
		return err
	}
	if err := w.f.Sync(); err != nil {
		return err
	}
	return w.f.Close()
}

// abort releases what a failed write holds; the caller removes the file.
func (w *batchWriter) abort() {
	if !w.done {
		w.b.Release()
		_ = w.fw.Close()
	}
	_ = w.f.Close()
}

// readFile reads the Parquet file rel, which holds the rows of the inputs
// ins (all of one vintage, vid, and all naming rel), and returns the counts
// of the inputs whose index in ins is in want, in file order, with each
// count's input index. It routes every row to its input by input_sha256 and
// checks the file against the catalog: schema, no nulls, each row's source,
// vintage and input, and each input's row count. Errors name the file.
func (s *Store) readFile(ctx context.Context, rel, vid string, ins []InputRecord, want []bool) (counts []datasets.Count, owner []int, err error) {
	fail := func(format string, args ...any) error {
		return fmt.Errorf("%s: %s", rel, fmt.Sprintf(format, args...))
	}
	bySHA, total, wanted := tallyInputs(ins, want, func(in InputRecord) int64 { return in.Rows })
	rdr, fr, sc, err := s.openParquet(rel, vid, total, len(ins))
	if err != nil {
		return nil, nil, err
	}
	defer rdr.Close()
	if len(sc.Fields()) != len(countsSchema.Fields()) {
		return nil, nil, fail("schema %s: want %s", sc, countsSchema)
	}
	for i, f := range sc.Fields() {
		want := countsSchema.Field(i)
		if f.Name != want.Name || !arrow.TypeEqual(f.Type, want.Type) {
			return nil, nil, fail("column %d is %s %s: want %s %s", i+1, f.Name, f.Type, want.Name, want.Type)
		}
	}
	rr, err := fr.GetRecordReader(ctx, nil, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	defer rr.Release()

	counts = make([]datasets.Count, 0, wanted)
	owner = make([]int, 0, wanted)
	strs := map[string]string{} // interned copies: arrow strings alias buffers we release
	intern := func(v string) string {
		s, ok := strs[v]
		if !ok {
			s = strings.Clone(v)
			strs[v] = s
		}
		return s
	}
	months := map[string]datasets.Month{}
	month := func(v string) (datasets.Month, error) {
		m, ok := months[v]
		if !ok {
			var err error
			if m, err = datasets.ParseMonth(v); err != nil {
				return 0, err
			}
			months[strings.Clone(v)] = m
		}
		return m, nil
	}
	got := make([]int64, len(ins))
	row := int64(0)
	last, lastSHA := -1, "" // the input of the previous row: rows come grouped by input
	for rr.Next() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		rec := rr.RecordBatch()
		var strCols [8]*array.String
		for i := range rec.NumCols() {
			col := rec.Column(int(i))
			if col.NullN() > 0 {
				return nil, nil, fail("column %s has nulls", countsSchema.Field(int(i)).Name)
			}
			if i != 5 {
				strCols[i] = col.(*array.String)
			}
		}
		cnt := rec.Column(5).(*array.Int64)
		for j := range int(rec.NumRows()) {
			row++
			sha := strCols[7].Value(j)
			i := last
			if last < 0 || sha != lastSHA {
				var ok bool
				if i, ok = bySHA[sha]; !ok {
					return nil, nil, fail("row %d: %s %q names no input of vintage %s in this file in %s", row, ColInputSHA256, sha, vid, vintageFile(vid))
				}
				last, lastSHA = i, ins[i].SHA256
			}
			got[i]++
			if strCols[0].Value(j) != ins[i].Source || strCols[6].Value(j) != vid {
				return nil, nil, fail("row %d: source and vintage %q, %q: want %q, %q as in %s",
					row, strCols[0].Value(j), strCols[6].Value(j), ins[i].Source, vid, vintageFile(vid))
			}
			if !want[i] {
				continue
			}
			c := datasets.Count{
				Source:   ins[i].Source,
				AreaCode: intern(strCols[1].Value(j)),
				Offence:  intern(strCols[2].Value(j)),
				Count:    cnt.Value(j),
			}
			if c.Start, err = month(strCols[3].Value(j)); err != nil {
				return nil, nil, fail("row %d: %s: %v", row, ColPeriodStart, err)
			}
			if c.End, err = month(strCols[4].Value(j)); err != nil {
				return nil, nil, fail("row %d: %s: %v", row, ColPeriodEnd, err)
			}
			counts = append(counts, c)
			owner = append(owner, i)
		}
	}
	if err := endOfRows(ctx, rr.Err(), rel, vid, ins, got, func(in InputRecord) int64 { return in.Rows }); err != nil {
		return nil, nil, err
	}
	return counts, owner, nil
}

// endOfRows checks the end of a Parquet file's rows: the reader's error
// (cancellation reported as such), and each input's row count (got)
// against the count its catalog record gives (rowsOf).
func endOfRows(ctx context.Context, err error, rel, vid string, ins []InputRecord, got []int64, rowsOf func(InputRecord) int64) error {
	if err != nil && !errors.Is(err, io.EOF) {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("%s: %w", rel, err)
	}
	for i, in := range ins {
		if want := rowsOf(in); got[i] != want {
			return fmt.Errorf("%s: %d rows of input %q (%s %s): want %d as in %s", rel, got[i], in.Name, ColInputSHA256, in.SHA256, want, vintageFile(vid))
		}
	}
	return nil
}

// openParquet opens the Parquet file rel of vintage vid, which the catalog
// says holds total rows for its n inputs, and returns it with an Arrow
// reader and its schema. The caller closes rdr. Errors name the file.
func (s *Store) openParquet(rel, vid string, total int64, n int) (rdr *file.Reader, fr *pqarrow.FileReader, sc *arrow.Schema, err error) {
	rdr, err = file.OpenParquetFile(filepath.Join(s.dir, filepath.FromSlash(rel)), false,
		file.WithReadProps(parquet.NewReaderProperties(s.alloc)))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	if got := rdr.NumRows(); got != total {
		rdr.Close()
		return nil, nil, nil, fmt.Errorf("%s: %d rows, but %s says %d for its %d inputs", rel, got, vintageFile(vid), total, n)
	}
	batch := int64(min(max(total, 1), int64(batchRows)))
	fr, err = pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: batch}, s.alloc)
	if err == nil {
		sc, err = fr.Schema()
	}
	if err != nil {
		rdr.Close()
		return nil, nil, nil, fmt.Errorf("%s: %w", rel, err)
	}
	return rdr, fr, sc, nil
}

// groupByFile lists the files that fileOf names for inputs (in the order
// they first appear; "" is no file) and, for each, the indexes of its inputs.
func groupByFile(inputs []InputRecord, fileOf func(InputRecord) string) (files []string, members map[string][]int) {
	members = map[string][]int{}
	for i, in := range inputs {
		f := fileOf(in)
		if f == "" {
			continue
		}
		if _, ok := members[f]; !ok {
			files = append(files, f)
		}
		members[f] = append(members[f], i)
	}
	return files, members
}

// tallyInputs indexes the inputs of one file by SHA-256 and adds up their
// rows (as rowsOf counts them): all of them, and those of the wanted ones.
func tallyInputs(ins []InputRecord, want []bool, rowsOf func(InputRecord) int64) (bySHA map[string]int, total, wanted int64) {
	bySHA = make(map[string]int, len(ins))
	for i, in := range ins {
		bySHA[in.SHA256] = i
		total += rowsOf(in)
		if want[i] {
			wanted += rowsOf(in)
		}
	}
	return bySHA, total, wanted
}
