package cli

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets/store"
)

const hoCSV = `Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences
2017/18,1,Wiltshire,Harassment,Violence against the person,Stalking and harassment,8L,3
2017/18,2,Wiltshire,Harassment,Violence against the person,Stalking and harassment,8L,2
2017/18,3,Wiltshire,Harassment,Violence against the person,Stalking and harassment,8L,4
2017/18,4,Wiltshire,Harassment,Violence against the person,Stalking and harassment,8L,3
`

// smallDataset ingests one Home Office table into dir/data and returns
// the report command line writing into out.
func smallDataset(t *testing.T, dir string) (data string, report func(out string, extra ...string) []string) {
	t.Helper()
	in := filepath.Join(dir, "ho.csv")
	if err := os.WriteFile(in, []byte(hoCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	data = filepath.Join(dir, "data")
	var out bytes.Buffer
	if err := Run(context.Background(), []string{"ingest", "--quiet", "--data", data, in}, &out, &out); err != nil {
		t.Fatalf("ingest: %v\n%s", err, out.String())
	}
	return data, func(out string, extra ...string) []string {
		return append([]string{"report", "--quiet", "--data", data, "--out", out, "--period", "2018-03",
			"--window", "financial-year", "--force", "Wiltshire", "--generated-at", "2026-01-01T00:00:00Z"}, extra...)
	}
}

type entryState struct {
	mode  fs.FileMode
	size  int64
	mtime time.Time
	data  string
}

func treeState(t *testing.T, dir string) map[string]entryState {
	t.Helper()
	out := map[string]entryState{}
	if err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st := entryState{mode: fi.Mode(), size: fi.Size(), mtime: fi.ModTime()}
		if fi.Mode().IsRegular() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			st.data = string(b)
		}
		out[p] = st
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReportReadOnlyDataset reports from a dataset nobody may write: the
// report is written, and no file or folder of the dataset is created,
// changed or removed (as root the modes do not bind, so the test compares
// every entry's state).
func TestReportReadOnlyDataset(t *testing.T) {
	dir := t.TempDir()
	data, report := smallDataset(t, dir)
	t.Cleanup(func() {
		_ = filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				_ = os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	if err := filepath.WalkDir(data, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o555)
		}
		return os.Chmod(p, 0o444)
	}); err != nil {
		t.Fatal(err)
	}
	before := treeState(t, data)
	var out bytes.Buffer
	if err := Run(context.Background(), report(filepath.Join(dir, "out")), &out, &out); err != nil {
		t.Fatalf("report from a read-only dataset: %v\n%s", err, out.String())
	}
	if err := Run(context.Background(), []string{"verify", "--data", data}, &out, &out); err != nil {
		t.Fatalf("verify of a read-only dataset: %v\n%s", err, out.String())
	}
	after := treeState(t, data)
	for p, st := range before {
		if after[p] != st {
			t.Errorf("%s changed or gone", p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s appeared", p)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "dashboard.html")); err != nil {
		t.Errorf("no report written: %v", err)
	}
}

// signalWriter collects what is written to it and closes seen the first
// time it holds want.
type signalWriter struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	want string
	seen chan struct{}
	once sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n, err := w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.want) {
		w.once.Do(func() { close(w.seen) })
	}
	return n, err
}

func (w *signalWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestReportWaitsForOut holds the lock of --out as another report would:
// with --wait 0 a report fails at once saying so, leaving the report there
// as it was; allowed to wait, it says so on stderr and goes on when the
// lock is released.
func TestReportWaitsForOut(t *testing.T) {
	dir := t.TempDir()
	_, report := smallDataset(t, dir)
	out := filepath.Join(dir, "out")
	var buf bytes.Buffer
	if err := Run(context.Background(), report(out), &buf, &buf); err != nil {
		t.Fatalf("first report: %v\n%s", err, buf.String())
	}
	first := treeState(t, out)
	held, err := store.AcquireLock(context.Background(), filepath.Join(out, metaDir, outLockFile), 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	err = Run(context.Background(), report(out, "--wait", "0", "--force", "Dorset"), &buf, &buf)
	if !errors.Is(err, store.ErrLocked) || ExitCode(err) != 1 ||
		!strings.Contains(err.Error(), "another report is being written to "+strconv.Quote(out)) || !strings.Contains(err.Error(), "the report there is unchanged") {
		t.Fatalf("report beside another: %v, want it to fail saying --out is locked", err)
	}
	if got := treeState(t, out); len(got) != len(first) {
		t.Errorf("the failed report changed --out: %d entries, had %d", len(got), len(first))
	}

	stderr := &signalWriter{want: "another report is being written to --out: waiting up to 1h0m0s", seen: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), report(out, "--wait", "1h", "--force", "Dorset"), &bytes.Buffer{}, stderr)
	}()
	select {
	case <-stderr.seen:
	case err := <-done:
		t.Fatalf("report ended (%v) before saying it waits; stderr:\n%s", err, stderr)
	case <-time.After(time.Minute):
		held.Release()
		t.Fatalf("report said nothing of waiting within a minute; stderr:\n%s", stderr)
	}
	held.Release()
	if err := <-done; err != nil {
		t.Fatalf("report after waiting: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "force-dorset.html")); err != nil {
		t.Errorf("the report that waited is not shown: %v", err)
	}
}

// TestIngestWaitsForDataset holds the dataset's lock as another ingest
// would: with --wait 0 an ingest fails at once saying so; allowed to wait,
// it says so on stderr and goes on when the lock is released.
func TestIngestWaitsForDataset(t *testing.T) {
	dir := t.TempDir()
	data, _ := smallDataset(t, dir)
	in := filepath.Join(dir, "ho2.csv")
	if err := os.WriteFile(in, []byte(strings.ReplaceAll(hoCSV, "2017/18", "2018/19")), 0o644); err != nil {
		t.Fatal(err)
	}
	lockPath := filepath.Join(data, store.LockFile)
	held, err := store.AcquireLock(context.Background(), lockPath, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	err = Run(context.Background(), []string{"ingest", "--wait", "0", "--data", data, in}, &buf, &buf)
	if !errors.Is(err, store.ErrLocked) || ExitCode(err) != 1 ||
		!strings.Contains(err.Error(), "another run is writing this dataset (it holds the lock on "+strconv.Quote(lockPath)+"); try again once it has finished") {
		t.Fatalf("ingest beside another: %v, want it to fail saying the dataset is locked", err)
	}
	stderr := &signalWriter{want: "another run is writing the dataset: waiting up to 1h0m0s", seen: make(chan struct{})}
	done := make(chan error, 1)
	go func() {
		done <- Run(context.Background(), []string{"ingest", "--wait", "1h", "--data", data, in}, &bytes.Buffer{}, stderr)
	}()
	select {
	case <-stderr.seen:
	case err := <-done:
		t.Fatalf("ingest ended (%v) before saying it waits; stderr:\n%s", err, stderr)
	case <-time.After(time.Minute):
		held.Release()
		t.Fatalf("ingest said nothing of waiting within a minute; stderr:\n%s", stderr)
	}
	held.Release()
	if err := <-done; err != nil {
		t.Fatalf("ingest after waiting: %v\n%s", err, stderr)
	}
}
