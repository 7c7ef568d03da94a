package cli

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
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
