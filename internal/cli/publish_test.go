package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets/store"
)

// publishHelperEnv, when set ("OUT\nTAG\nWAIT"), makes the test binary
// publish a small report tagged TAG into OUT, as a report run does, and
// exit: 0 published, 3 --out locked, 1 anything else.
const publishHelperEnv = "CRIMETRENDS_PUBLISH_HELPER"

func init() {
	if v := os.Getenv(publishHelperEnv); v != "" {
		args := strings.Split(v, "\n")
		wait, _ := time.ParseDuration(args[2])
		err := publishFake(context.Background(), args[0], args[1], wait)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			if errors.Is(err, store.ErrLocked) {
				os.Exit(3)
			}
			os.Exit(1)
		}
		os.Exit(0)
	}
}

// fakeReport is the report a run tagged tag writes: pages of its own (so
// two runs differ in which files they have, as reports of different
// forces do), shared names with different bytes, and a manifest listing
// every file with its SHA-256.
func fakeReport(tag string) (names []string, files map[string][]byte) {
	files = map[string][]byte{
		"dashboard.html":         []byte("dashboard of " + tag),
		"trends.csv":             []byte("trends of " + tag),
		"force-" + tag + ".html": []byte("the page only " + tag + " has"),
	}
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	type output struct{ File, SHA256 string }
	var m struct{ Outputs []output }
	for _, name := range names {
		sum := sha256.Sum256(files[name])
		m.Outputs = append(m.Outputs, output{name, hex.EncodeToString(sum[:])})
	}
	mb, _ := json.Marshal(m)
	files["manifest.json"] = mb
	return append(names, "manifest.json"), files
}

// publishFake publishes fakeReport(tag) into out as report does: the out
// lock, then the staging, then the switch.
func publishFake(ctx context.Context, out, tag string, wait time.Duration) error {
	l, err := lockOut(ctx, out, wait, nil)
	if err != nil {
		return err
	}
	defer l.Release()
	st, err := newStaging(out)
	if err != nil {
		return err
	}
	defer st.abort()
	names, files := fakeReport(tag)
	for _, name := range names {
		if _, err := st.add(name, files[name]); err != nil {
			return err
		}
	}
	return st.commit()
}

// shownReport reads what out shows (following links) and checks that it
// is one whole report: the files its manifest lists, with their bytes, and
// no other output and no dangling link; only the current run in runs/, no
// staging folder or temporary link. It returns the report's tag.
func shownReport(t *testing.T, out string) string {
	t.Helper()
	var m struct {
		Outputs []struct{ File, SHA256 string }
	}
	mb, err := os.ReadFile(filepath.Join(out, "manifest.json"))
	if err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	if err := json.Unmarshal(mb, &m); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	want := map[string]string{"manifest.json": ""}
	for _, o := range m.Outputs {
		want[o.File] = o.SHA256
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		t.Fatal(err)
	}
	var tag string
	for _, e := range entries {
		if e.Name() == metaDir {
			continue
		}
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("%s: %s is not in the report shown", out, e.Name())
			continue
		}
		data, err := os.ReadFile(filepath.Join(out, e.Name()))
		if err != nil {
			t.Errorf("%s: %v (a dangling link?)", e.Name(), err)
			continue
		}
		if sum := sha256.Sum256(data); want[e.Name()] != "" && hex.EncodeToString(sum[:]) != want[e.Name()] {
			t.Errorf("%s: not the bytes its manifest lists: a mix of two runs", e.Name())
		}
		if rest, ok := strings.CutPrefix(string(data), "dashboard of "); ok {
			tag = rest
		}
		delete(want, e.Name())
	}
	if len(want) > 0 {
		t.Errorf("%s: files of the manifest missing: %v", out, want)
	}
	runs, err := os.ReadDir(filepath.Join(out, metaDir, runsDir))
	if err != nil || len(runs) != 1 {
		t.Errorf("%s: runs/ holds %d entries (%v), want the current run only", out, len(runs), err)
	}
	metas, _ := os.ReadDir(filepath.Join(out, metaDir))
	for _, e := range metas {
		if n := e.Name(); n != runsDir && n != currentRun && n != outLockFile {
			t.Errorf("%s: %s/%s left behind", out, metaDir, n)
		}
	}
	return tag
}

// TestConcurrentReports publishes two reports into one --out at once,
// many times. Allowed to wait, both succeed, one after the other, and the
// one that switched last is shown, whole; not allowed to, each succeeds or
// fails saying --out is locked, at least one succeeds, and the folder
// shows one whole report of a run that succeeded.
func TestConcurrentReports(t *testing.T) {
	rounds := 100
	if testing.Short() {
		rounds = 10
	}
	for _, wait := range []time.Duration{0, time.Hour} {
		t.Run(fmt.Sprintf("wait %v", wait), func(t *testing.T) {
			for i := range rounds {
				out := t.TempDir()
				if err := publishFake(context.Background(), out, "old", 0); err != nil {
					t.Fatal(err)
				}
				var wg sync.WaitGroup
				var errs [2]error
				var mu sync.Mutex
				var order []string // switched in, in this order (recorded under the out lock)
				for j := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						tag := fmt.Sprintf("run%d", j)
						l, err := lockOut(context.Background(), out, wait, nil)
						if err != nil {
							errs[j] = err
							return
						}
						defer l.Release()
						st, err := newStaging(out)
						if err != nil {
							errs[j] = err
							return
						}
						defer st.abort()
						names, files := fakeReport(tag)
						for _, name := range names {
							if _, err := st.add(name, files[name]); err != nil {
								errs[j] = err
								return
							}
						}
						if errs[j] = st.commit(); errs[j] == nil {
							mu.Lock()
							order = append(order, tag)
							mu.Unlock()
						}
					}()
				}
				wg.Wait()
				for j, err := range errs {
					if err != nil && !(wait == 0 && errors.Is(err, store.ErrLocked) && strings.Contains(err.Error(), "another report is being written to")) {
						t.Fatalf("round %d: run %d: %v", i, j, err)
					}
				}
				if len(order) == 0 || wait > 0 && len(order) != 2 {
					t.Fatalf("round %d: %d runs succeeded", i, len(order))
				}
				if got := shownReport(t, out); got != order[len(order)-1] {
					t.Fatalf("round %d: shows %q, want %q, which switched last", i, got, order[len(order)-1])
				}
			}
		})
	}
}

// TestConcurrentReportProcesses does the same with processes.
func TestConcurrentReportProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 30 processes: skipping in -short mode")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		wait := "1h"
		if i%2 == 1 {
			wait = "0s"
		}
		out := t.TempDir()
		if err := publishFake(context.Background(), out, "old", 0); err != nil {
			t.Fatal(err)
		}
		var cmds []*exec.Cmd
		var outs []*strings.Builder
		for j := range 3 {
			cmd := exec.Command(self)
			cmd.Env = append(os.Environ(), publishHelperEnv+"="+strings.Join([]string{out, fmt.Sprintf("p%d", j), wait}, "\n"))
			var b strings.Builder
			cmd.Stdout, cmd.Stderr = &b, &b
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			cmds, outs = append(cmds, cmd), append(outs, &b)
		}
		won := map[string]bool{}
		for j, cmd := range cmds {
			err := cmd.Wait()
			switch code := cmd.ProcessState.ExitCode(); {
			case err == nil:
				won[fmt.Sprintf("p%d", j)] = true
			case code == 3 && wait == "0s" && strings.Contains(outs[j].String(), "another report is being written to"):
			default:
				t.Fatalf("round %d: process %d: exit %d: %s", i, j, code, outs[j])
			}
		}
		if len(won) == 0 || wait == "1h" && len(won) != 3 {
			t.Fatalf("round %d: %d processes succeeded", i, len(won))
		}
		if got := shownReport(t, out); !won[got] {
			t.Fatalf("round %d: shows %q, which did not succeed (%v did)", i, got, won)
		}
	}
}

// TestNoSymlinks makes each symbolic link of a switch fail in turn (as on
// a file system without them, or with no inode left): the run fails saying
// so, and the previous report stays shown, whole, with nothing of the
// failed run left; without a previous report, nothing is shown.
func TestNoSymlinks(t *testing.T) {
	for _, first := range []bool{false, true} {
		for k := 1; ; k++ {
			out := t.TempDir()
			if !first {
				if err := publishFake(context.Background(), out, "old", 0); err != nil {
					t.Fatal(err)
				}
			}
			n := 0
			symlink = func(old, new string) error {
				if n++; n == k {
					return &os.LinkError{Op: "symlink", Old: old, New: new, Err: syscall.ENOSPC}
				}
				return os.Symlink(old, new)
			}
			err := publishFake(context.Background(), out, "new", 0)
			symlink = os.Symlink
			if n < k {
				if k == 1 || first && k < 6 || !first && k < 3 {
					t.Errorf("first report %v: the switch made only %d links", first, n)
				}
				break
			}
			if err == nil || !strings.Contains(err.Error(), "cannot make a symbolic link in "+strconv.Quote(out)) ||
				!strings.Contains(err.Error(), "the previous report there is unchanged") {
				t.Fatalf("first report %v, link %d fails: %v, want an error saying the links cannot be made", first, k, err)
			}
			if first {
				entries, _ := os.ReadDir(out)
				runs, _ := os.ReadDir(filepath.Join(out, metaDir, runsDir))
				if len(entries) != 1 || len(runs) != 0 {
					t.Errorf("link %d fails on a first report: %d entries in --out, %d in runs/; want only %s, and no run", k, len(entries), len(runs), metaDir)
				}
			} else if got := shownReport(t, out); got != "old" {
				t.Errorf("link %d fails: the folder shows %q, want the old report", k, got)
			}
		}
	}
}

// TestStaleStaging leaves what killed runs leave in --out (a staging
// folder, temporary links) beside files of the user's with similar names:
// the next run removes the first and keeps the second.
func TestStaleStaging(t *testing.T) {
	out := t.TempDir()
	if err := publishFake(context.Background(), out, "old", 0); err != nil {
		t.Fatal(err)
	}
	stale := []string{
		filepath.Join(out, metaDir, runsDir, ".tmp-123"),
	}
	if err := os.MkdirAll(filepath.Join(stale[0], "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, l := range []struct{ target, name string }{
		{filepath.Join(runsDir, "abc"), filepath.Join(out, metaDir, ".current.tmp-77")},
		{filepath.Join(metaDir, currentRun, "dashboard.html"), filepath.Join(out, ".dashboard.html.tmp-77")},
	} {
		if err := os.Symlink(l.target, l.name); err != nil {
			t.Fatal(err)
		}
		stale = append(stale, l.name)
	}
	mine := map[string]string{".notes.tmp-1": "a user's file", ".x.tmp-2": "another"}
	for name, body := range mine {
		if err := os.WriteFile(filepath.Join(out, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("elsewhere", filepath.Join(out, ".y.tmp-3")); err != nil { // a link of the user's
		t.Fatal(err)
	}
	if err := publishFake(context.Background(), out, "new", 0); err != nil {
		t.Fatal(err)
	}
	for _, p := range stale {
		if _, err := os.Lstat(p); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s is still there", p)
		}
	}
	for name, body := range mine {
		if data, err := os.ReadFile(filepath.Join(out, name)); err != nil || string(data) != body {
			t.Errorf("%s: %q, %v; want it kept", name, data, err)
		}
	}
	if target, err := os.Readlink(filepath.Join(out, ".y.tmp-3")); err != nil || target != "elsewhere" {
		t.Errorf(".y.tmp-3: %q, %v; want it kept", target, err)
	}
	// (shownReport would count the user's files as outputs.)
	runs, _ := os.ReadDir(filepath.Join(out, metaDir, runsDir))
	if len(runs) != 1 {
		t.Errorf("runs/ holds %d entries, want 1", len(runs))
	}
}
