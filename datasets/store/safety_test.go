package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

// The data-loss cases of issue 11: a reader must never write, and a
// writer must remove only what it can prove it left.

// fileState is what a file looks like from outside: a reader that changed
// nothing leaves every one as it was.
type fileState struct {
	mode  fs.FileMode
	size  int64
	mtime time.Time
	sum   string
}

// stateOf lists every file and folder under dir with its state.
func stateOf(t *testing.T, dir string) map[string]fileState {
	t.Helper()
	out := map[string]fileState{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		st := fileState{mode: fi.Mode(), size: fi.Size(), mtime: fi.ModTime()}
		if fi.Mode().IsRegular() {
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			st.sum = sha(string(data))
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = st
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameState(t *testing.T, what string, got, want map[string]fileState) {
	t.Helper()
	for name, w := range want {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: %s is gone", what, name)
		} else if g != w {
			t.Errorf("%s: %s changed: %+v, was %+v", what, name, g, w)
		}
	}
	for name := range got {
		if _, ok := want[name]; !ok {
			t.Errorf("%s: %s appeared", what, name)
		}
	}
}

// threeVintages makes a dataset of three vintages (police.uk months, an
// ONS release with a release note in the second, police.uk Crime IDs and
// outcomes in the third, so that it has a file in each of the four data
// folders and every optional field of a vintage record) and returns the
// index after each Add.
//
// The dataset is built once and copied into dir (under the race detector
// an Add takes about a third of a second, and some thirty tests start
// from this dataset).
func threeVintages(t *testing.T, dir string) (indexes [3][]byte) {
	t.Helper()
	c := &threeVintagesCache
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dir == "" {
		tmp, err := os.MkdirTemp("", "crimetrends-store-test-")
		must(t, err)
		c.ix = buildThreeVintages(t, tmp)
		c.dir = tmp
	}
	copyTree(t, c.dir, dir)
	return c.ix
}

// threeVintagesCache holds the dataset threeVintages copies; TestMain
// removes it.
var threeVintagesCache struct {
	mu  sync.Mutex
	dir string
	ix  [3][]byte
}

// buildThreeVintages writes threeVintages' dataset into dir.
func buildThreeVintages(t *testing.T, dir string) (indexes [3][]byte) {
	t.Helper()
	s := openStore(t, dir)
	ons := onsExtract("c.xlsx", tricky("ons-pfa-2019-03")...)
	ons.ReleaseNotes = []datasets.ReleaseNote{{Release: "ons-pfa-2019-03", Text: "Table P1: a note on every figure."}}
	for i, es := range [][]*datasets.Extract{
		{monthExtract("a.csv", 10, 1)},
		{monthExtract("b.csv", 11, 2), ons},
		{streetWithIDs(t, "d.csv", month(2018, 12), 16, 32, 48),
			outcomesExtract("f.csv", outcome(wiltshire, month(2018, 12), "Burglary", "Suspect charged", 2))},
	} {
		mustAdd(t, s, es...)
		data, err := os.ReadFile(filepath.Join(dir, CatalogFile))
		must(t, err)
		indexes[i] = data
	}
	return indexes
}

// monthExtract is a police.uk extract of Wiltshire burglaries in month m
// of 2018.
func monthExtract(name string, m int, n int64) *datasets.Extract {
	mo := month(2018, m)
	return extract(name, pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", mo, mo, n)}, cov(pu, wiltshire, mo, mo))
}

// TestIndexMissingEmptyStale takes a dataset's index away, empties it, or
// puts an older copy back (restored from a backup), and checks that Open,
// Add and Verify then change no file and say what is wrong and what to do,
// and that Repair then rebuilds the index, giving back every figure.
func TestIndexMissingEmptyStale(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(t *testing.T, p string, indexes [3][]byte)
		want  string
	}{
		{"missing", func(t *testing.T, p string, _ [3][]byte) { must(t, os.Remove(p)) },
			"catalog.json is missing, but the dataset holds files of vintages v000001..v000003 (catalog/v000001.json, " +
				"counts/v000001-policeuk.parquet, catalog/v000002.json and 6 more); nothing was changed. " +
				`Run "crimetrends verify --data %[1]s" to check the dataset, then "crimetrends repair --data %[1]s" ` +
				"to rebuild catalog.json from the vintage records in catalog/"},
		{"empty", func(t *testing.T, p string, _ [3][]byte) { must(t, os.WriteFile(p, nil, 0o644)) },
			"catalog.json is empty, but the dataset holds files of vintages v000001..v000003"},
		{"stale", func(t *testing.T, p string, ix [3][]byte) { must(t, os.WriteFile(p, ix[0], 0o644)) },
			"catalog.json lists vintage v000001, but the dataset holds files of vintages v000002..v000003 that it does not list: " +
				"catalog.json is older than the files (restored from a backup?) (catalog/v000002.json, counts/v000002-policeuk.parquet, " +
				"published/v000002-ons-pfa.parquet and 4 more); nothing was changed"},
		{"stale by one", func(t *testing.T, p string, ix [3][]byte) { must(t, os.WriteFile(p, ix[1], 0o644)) },
			"catalog.json lists vintages v000001..v000002, but the dataset holds files of vintage v000003 that it does not list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			indexes := threeVintages(t, dir)
			whole := mustCurrent(t, openStore(t, dir))
			wholeOutcomes := mustOutcomes(t, openStore(t, dir))
			if len(whole.ReleaseNotes) != 1 || len(wholeOutcomes.Counts) != 1 {
				t.Fatalf("the dataset: %d release notes, %d outcome counts; want 1 and 1", len(whole.ReleaseNotes), len(wholeOutcomes.Counts))
			}
			writer := openStore(t, dir) // opened before the index went wrong
			tc.spoil(t, filepath.Join(dir, CatalogFile), indexes)
			before := stateOf(t, dir)
			want := strings.ReplaceAll(tc.want, "%[1]s", dir)

			_, err := Open(dir, Options{})
			if !errors.Is(err, ErrStaleIndex) || !strings.Contains(err.Error(), want) {
				t.Errorf("Open:\n got %v\nwant an error saying %q", err, want)
			}
			if _, err := writer.Add(context.Background(), []*datasets.Extract{monthExtract("e.csv", 9, 4)}); !errors.Is(err, ErrStaleIndex) {
				t.Errorf("Add: %v, want ErrStaleIndex", err)
			}
			rep, err := Verify(context.Background(), dir, Options{})
			must(t, err)
			if rep.Whole() {
				t.Errorf("Verify says whole")
			}
			sameState(t, "after Open, Add and Verify", stateOf(t, dir), before)

			res, err := Repair(context.Background(), dir, RepairOptions{})
			must(t, err)
			if res.Vintages != 3 || !res.Rebuilt || res.SavedAs != "" || res.Deleted != nil || res.Extra != nil {
				t.Errorf("Repair = %+v, want 3 vintages rebuilt, nothing saved, deleted or extra", res)
			}
			got, err := os.ReadFile(filepath.Join(dir, CatalogFile))
			must(t, err)
			if string(got) != string(indexes[2]) {
				t.Errorf("rebuilt index:\n%s\nwant the one Add wrote:\n%s", got, indexes[2])
			}
			if snap := mustCurrent(t, openStore(t, dir)); !reflect.DeepEqual(snap, whole) {
				t.Errorf("after Repair: %d counts, %d vintages; want the dataset as it was", len(snap.Counts), len(snap.Vintages))
			}
			if got := mustOutcomes(t, openStore(t, dir)); !reflect.DeepEqual(got, wholeOutcomes) {
				t.Errorf("after Repair: outcomes %+v, want %+v", got, wholeOutcomes)
			}
		})
	}
}

// TestFolderOfOtherFiles points the store at folders that merely hold
// counts/, published/ and catalog/: no file in them is ever removed.
func TestFolderOfOtherFiles(t *testing.T) {
	files := map[string]string{
		"counts/2019.parquet": "a user's own", "published/x.parquet": "another", "catalog/list.json": "{}",
		"counts/.hidden.parquet.tmp": "not of our naming", "notes.txt": "mine",
	}
	ours := map[string]string{"counts/v000001-policeuk.parquet": "of our naming", "catalog/v000001.json": "{}"}
	write := func(t *testing.T, dir string, fs map[string]string) {
		for name, body := range fs {
			must(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
			must(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
		}
	}

	t.Run("names of our own", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, files)
		write(t, dir, ours)
		before := stateOf(t, dir)
		if _, err := Open(dir, Options{}); !errors.Is(err, ErrStaleIndex) || !strings.Contains(err.Error(), "catalog.json is missing") {
			t.Errorf("Open: %v, want catalog.json is missing", err)
		}
		if _, err := Repair(context.Background(), dir, RepairOptions{}); err == nil {
			t.Errorf("Repair of a folder whose catalog/v000001.json is not a vintage record: no error")
		}
		delete(before, ".") // Repair is a writer: it takes the lock, creating the lock file
		got := stateOf(t, dir)
		delete(got, ".")
		delete(got, LockFile)
		sameState(t, "after Open and Repair", got, before)
	})
	t.Run("other names", func(t *testing.T) {
		dir := t.TempDir()
		write(t, dir, files)
		before := listing(t, dir)
		s := openStore(t, dir)
		if got := s.Vintages(); got != nil {
			t.Errorf("Vintages = %v, want none", got)
		}
		mustAdd(t, s, monthExtract("a.csv", 10, 1))
		after := listing(t, dir)
		for name, sum := range before {
			if after[name] != sum {
				t.Errorf("after Add: %s is gone or changed", name)
			}
		}
		diffCounts(t, "Current", mustCurrent(t, openStore(t, dir)).Counts, monthExtract("a.csv", 10, 1).Counts)
	})
}

// TestReadOnlyDataset reads a dataset whose files and folders nobody may
// write (and, when the tests run as root, as another user, for whom the
// modes hold): Open, Current and Verify work and change nothing.
func TestReadOnlyDataset(t *testing.T) {
	root, err := os.MkdirTemp("", "crimetrends-readonly-")
	must(t, err)
	t.Cleanup(func() {
		_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				_ = os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(root)
	})
	must(t, os.Chmod(root, 0o755))
	dir := filepath.Join(root, "data")
	threeVintages(t, dir)
	// A killed ingest's leftovers too: a reader must leave them as well.
	s := openStore(t, dir)
	setHook(t, func(st string) bool { return st == "noted" })
	if _, err := s.Add(context.Background(), []*datasets.Extract{monthExtract("e.csv", 9, 4)}); !errors.Is(err, errKilled) {
		t.Fatalf("Add: %v, want it killed", err)
	}
	addHook = noHook
	want := len(mustCurrent(t, openStore(t, dir)).Counts)
	must(t, filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.Chmod(p, 0o555)
		}
		return os.Chmod(p, 0o444)
	}))
	before := stateOf(t, dir)

	snap := mustCurrent(t, openStore(t, dir))
	if len(snap.Counts) != want {
		t.Errorf("Current: %d counts, want %d", len(snap.Counts), want)
	}
	rep, err := Verify(context.Background(), dir, Options{})
	must(t, err)
	if !rep.Whole() || rep.Vintages != 3 {
		t.Errorf("Verify: %+v, want whole with 3 vintages", rep)
	}
	sameState(t, "after reading", stateOf(t, dir), before)

	if os.Geteuid() != 0 {
		return
	}
	// As root the modes do not bind: read as nobody, for whom they do.
	// The test binary's own folder is root's alone: run a copy.
	self, err := os.Executable()
	must(t, err)
	bin, err := os.ReadFile(self)
	must(t, err)
	copied := filepath.Join(root, "store.test")
	must(t, os.WriteFile(copied, bin, 0o755))
	cmd := helperCmd(t, "read", dir)
	cmd.Path, cmd.Args[0] = copied, copied
	asNobody(cmd)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("reading as another user: %v\n%s", err, out)
	}
	if got := strings.TrimSpace(string(out)); got != strconv.Itoa(want) {
		t.Errorf("reading as another user: %q counts, want %d", got, want)
	}
	sameState(t, "after reading as another user", stateOf(t, dir), before)
}

// TestReadDuringAdd reads the dataset at every step of an Add, as a
// report running beside an ingest does: each read gives the state before
// the Add until its line is in the index, then the state after, never
// fails, and changes nothing.
func TestReadDuringAdd(t *testing.T) {
	for _, first := range []bool{true, false} {
		t.Run(fmt.Sprintf("first vintage %v", first), func(t *testing.T) {
			dir := t.TempDir()
			s := openStore(t, dir)
			if !first {
				mustAdd(t, s, monthExtract("a.csv", 10, 1))
			}
			before := mustCurrent(t, openStore(t, dir))
			var seen []string
			setHook(t, func(stage string) bool {
				st := stateOf(t, dir)
				r, err := Open(dir, Options{})
				if err != nil {
					t.Errorf("at %q: Open: %v", stage, err)
					return false
				}
				snap, err := r.Current(context.Background())
				if err != nil {
					t.Errorf("at %q: Current: %v", stage, err)
					return false
				}
				rep, err := Verify(context.Background(), dir, Options{})
				if err != nil || !rep.Whole() {
					t.Errorf("at %q: Verify: %v %+v", stage, err, rep.Problems)
				}
				switch n := len(snap.Vintages); {
				case stage == "committed" && n == len(before.Vintages)+1:
				case stage != "committed" && reflect.DeepEqual(snap, before):
				default:
					t.Errorf("at %q: %d vintages", stage, n)
				}
				sameState(t, "reading at "+stage, stateOf(t, dir), st)
				seen = append(seen, stage)
				return false
			})
			mustAdd(t, s, monthExtract("b.csv", 11, 2), onsExtract("c.xlsx", tricky("ons-pfa-2019-03")...))
			if len(seen) != 6 {
				t.Errorf("read at %q, want 6 steps", seen)
			}
		})
	}
}

// TestConcurrentWriters adds to one dataset from two Stores at once, many
// times: allowed to wait, both Adds succeed one after the other; not
// allowed to, each succeeds or fails with ErrLocked, and at least one
// succeeds. Either way the dataset is whole and holds exactly the inputs
// of the Adds that succeeded.
func TestConcurrentWriters(t *testing.T) {
	t.Parallel() // no hook: it runs beside the other parallel tests
	rounds := 40
	if testing.Short() {
		rounds = 10
	}
	base := t.TempDir()
	mustAdd(t, openStore(t, base), monthExtract("base.csv", 1, 1))
	for _, wait := range []time.Duration{0, time.Hour} {
		t.Run(fmt.Sprintf("wait %v", wait), func(t *testing.T) {
			for i := range rounds {
				dir := t.TempDir()
				copyTree(t, base, dir)
				var ss [2]*Store
				for j := range ss {
					var err error
					ss[j], err = Open(dir, Options{Clock: func() time.Time { return fixedTime }, LockWait: wait})
					must(t, err)
				}
				var wg sync.WaitGroup
				var errs [2]error
				for j := range ss {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, errs[j] = ss[j].Add(context.Background(), []*datasets.Extract{monthExtract(fmt.Sprintf("w%d.csv", j), 2+j, int64(10+j))})
					}()
				}
				wg.Wait()
				var want []datasets.Count
				want = append(want, monthExtract("base.csv", 1, 1).Counts...)
				won := 0
				for j, err := range errs {
					switch {
					case err == nil:
						won++
						want = append(want, monthExtract("", 2+j, int64(10+j)).Counts...)
					case wait == 0 && errors.Is(err, ErrLocked):
					default:
						t.Fatalf("round %d: Add %d: %v", i, j, err)
					}
				}
				if won == 0 || wait > 0 && won != 2 {
					t.Fatalf("round %d: %d Adds succeeded", i, won)
				}
				checkWhole(t, dir, 1+won, want)
			}
		})
	}
}

// checkWhole checks that the dataset in dir verifies whole with n
// vintages and these counts.
func checkWhole(t *testing.T, dir string, n int, want []datasets.Count) {
	t.Helper()
	rep, err := Verify(context.Background(), dir, Options{})
	must(t, err)
	if !rep.Whole() || rep.Vintages != n || len(rep.Notes) != 0 {
		t.Fatalf("Verify: %d vintages, problems %v, notes %v; want %d, none, none", rep.Vintages, rep.Problems, rep.Notes, n)
	}
	datasets.SortCounts(want)
	diffCounts(t, "Current", mustCurrent(t, openStore(t, dir)).Counts, want)
}

// TestConcurrentWriterProcesses does what TestConcurrentWriters does with
// three processes at a time.
func TestConcurrentWriterProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 30 processes: skipping in -short mode")
	}
	t.Parallel() // no hook: it runs beside the other parallel tests
	const rounds = 10
	base := t.TempDir()
	mustAdd(t, openStore(t, base), monthExtract("base.csv", 1, 1))
	for i := range rounds {
		wait := "1h"
		if i%2 == 1 {
			wait = "0s"
		}
		dir := t.TempDir()
		copyTree(t, base, dir)
		var cmds []*exec.Cmd
		var outs []*strings.Builder
		for j := range 3 {
			cmd := helperCmd(t, "add", dir, fmt.Sprintf("p%d.csv", j), strconv.Itoa(2+j), wait)
			var out strings.Builder
			cmd.Stdout, cmd.Stderr = &out, &out
			must(t, cmd.Start())
			cmds, outs = append(cmds, cmd), append(outs, &out)
		}
		want := monthExtract("base.csv", 1, 1).Counts
		won := 0
		for j, cmd := range cmds {
			err := cmd.Wait()
			switch code := cmd.ProcessState.ExitCode(); {
			case err == nil:
				won++
				want = append(want, monthExtract("", 2+j, int64(2+j)).Counts...)
			case code == 3 && wait == "0s":
			default:
				t.Fatalf("round %d: process %d: exit %d: %s", i, j, code, outs[j])
			}
		}
		if won == 0 || wait == "1h" && won != 3 {
			t.Fatalf("round %d (wait %s): %d processes succeeded", i, wait, won)
		}
		checkWhole(t, dir, 1+won, want)
	}
}

// TestLockReleasedByKill has another process take the dataset's lock and
// kills it with SIGKILL: the lock goes with it, whatever its pid becomes.
func TestLockReleasedByKill(t *testing.T) {
	dir := t.TempDir()
	s := openStore(t, dir)
	mustAdd(t, s, monthExtract("a.csv", 10, 1))
	cmd := helperCmd(t, "hold", dir)
	stdin, err := cmd.StdinPipe()
	must(t, err)
	defer stdin.Close()
	stdout, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	if line, err := bufio.NewReader(stdout).ReadString('\n'); err != nil || line != "locked\n" {
		t.Fatalf("helper said %q, %v", line, err)
	}
	if _, err := s.Add(context.Background(), []*datasets.Extract{monthExtract("b.csv", 11, 2)}); !errors.Is(err, ErrLocked) {
		t.Fatalf("Add while another process holds the lock: %v, want ErrLocked", err)
	}
	must(t, cmd.Process.Kill())
	_ = cmd.Wait()
	if res := mustAdd(t, s, monthExtract("b.csv", 11, 2)); res.Vintage == nil {
		t.Errorf("Add after the holder was killed wrote no vintage")
	}
}

// copyTree copies the files and folders under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
}

func mustOutcomes(t testing.TB, s *Store) OutcomesSnapshot {
	t.Helper()
	snap, err := s.Outcomes(context.Background())
	if err != nil {
		t.Fatalf("Outcomes: %v", err)
	}
	return snap
}
