package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/demo"
)

// Crash tests: how many kills per command, and the seed of their timing
// (the delays are logged, so a failure can be replayed).
const (
	kills     = 20
	killSeed  = 20240601
	demoScale = 0.002
)

// demoInputs generates small synthetic inputs (every force and BTP, the
// given number of months from April 2021) in dir/in and returns it.
func demoInputs(t *testing.T, dir string, months int) string {
	t.Helper()
	dir = filepath.Join(dir, "in")
	if _, err := demo.Generate(context.Background(), dir, demo.Options{Months: months, Scale: demoScale}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// datasetState is what a dataset holds as the store reads it, as a digest,
// plus its catalog's bytes.
type datasetState struct {
	snapshot string // digest of store.Current
	catalog  string
	vintages int
}

func readState(t *testing.T, data string) datasetState {
	t.Helper()
	st, err := store.Open(data, store.Options{})
	if err != nil {
		t.Fatalf("store.Open after a kill: %v", err)
	}
	snap, err := st.Current(context.Background())
	if err != nil {
		t.Fatalf("store.Current after a kill: %v", err)
	}
	sum := sha256.Sum256(fmt.Appendf(nil, "%v", snap))
	catalog, err := os.ReadFile(filepath.Join(data, store.CatalogFile))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return datasetState{snapshot: hex.EncodeToString(sum[:]), catalog: string(catalog), vintages: len(snap.Vintages)}
}

// killAfter starts cmd, kills it with SIGKILL after d, and reports whether
// the kill landed (false: it had already exited by itself).
func killAfter(t *testing.T, cmd *exec.Cmd, d time.Duration) (killed bool, exit int) {
	t.Helper()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(d)
	cmd.Process.Signal(syscall.SIGKILL) // fails harmlessly when it has exited
	cmd.Wait()
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
		return true, -1
	}
	return false, cmd.ProcessState.ExitCode()
}

// calibrate runs cmd to its end and returns how long it took.
func calibrate(t *testing.T, cmd *exec.Cmd) time.Duration {
	t.Helper()
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(cmd.Args, " "), err, out)
	}
	return time.Since(start)
}

// TestKillIngest kills `crimetrends ingest` with SIGKILL at seeded random
// times while it adds the police.uk extracts (132 files) to a
// dataset holding the Home Office table. After every kill the dataset must
// open and read as exactly the state before the ingest or the state after
// it, and rerunning the ingest must succeed and leave the dataset byte for
// byte as an uninterrupted run does.
func TestKillIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a process 20 times: skipping in -short mode")
	}
	t.Parallel()
	work := t.TempDir()
	in := demoInputs(t, work, 3) // 132 police.uk files
	before := filepath.Join(work, "before")
	mustRun(t, work, "ingest", "--quiet", "--data", before, filepath.Join(in, demo.HomeOfficeDir))
	stBefore := readState(t, before)

	args := []string{"ingest", "--quiet", "--data", "", filepath.Join(in, demo.PoliceUKDir)}
	withData := func(d string) []string { a := append([]string(nil), args...); a[3] = d; return a }

	after := filepath.Join(work, "after")
	copyTree(t, before, after)
	took := calibrate(t, command(t, work, withData(after)...))
	stAfter := readState(t, after)
	digestAfter := treeDigest(t, after)
	if stAfter.snapshot == stBefore.snapshot || stAfter.vintages != 2 {
		t.Fatalf("the ingest changed nothing (%d vintages): the test would prove nothing", stAfter.vintages)
	}
	t.Logf("uninterrupted ingest: %v; killing %d times within it", took, kills)

	rng := rand.New(rand.NewPCG(killSeed, 1))
	var landed, sawBefore, sawAfter int
	for i := range kills {
		data := filepath.Join(work, fmt.Sprintf("kill-%02d", i))
		copyTree(t, before, data)
		d := time.Duration(rng.Int64N(int64(took) * 9 / 10))
		killed, exit := killAfter(t, command(t, work, withData(data)...), d)
		if killed {
			landed++
		} else if exit != 0 {
			t.Fatalf("kill %d: not killed after %v but exit %d", i, d, exit)
		}
		st := readState(t, data)
		switch {
		case st == stBefore:
			sawBefore++
		case st == stAfter:
			sawAfter++
		default:
			t.Fatalf("kill %d after %v: the dataset is neither the state before the ingest nor after it (%d vintages; catalog.json:\n%.400s)",
				i, d, st.vintages, st.catalog)
		}
		if !killed {
			os.RemoveAll(data)
			continue // it ended by itself: nothing to recover from
		}
		r := run(t, work, withData(data)...)
		if r.code != 0 {
			t.Fatalf("kill %d after %v: rerun: exit %d: %s", i, d, r.code, r.stderr)
		}
		if got := treeDigest(t, data); got != digestAfter {
			t.Errorf("kill %d after %v: after the rerun the dataset differs from an uninterrupted ingest's:\n%s\nwant:\n%s", i, d, got, digestAfter)
		}
		os.RemoveAll(data)
	}
	t.Logf("%d kills landed (%d left the state before, %d the state after), %d runs ended first", landed, sawBefore, sawAfter-(kills-landed), kills-landed)
	if landed == 0 {
		t.Errorf("no kill landed while the ingest ran: the test proved nothing")
	}
}

// outputFiles reads the top-level files of a report folder (not the
// staging folders) by name. A link that leads nowhere is left out: the
// page of a force that only the other run has (its link is made before the
// switch and removed after it).
func outputFiles(t *testing.T, dir string) (files map[string]string, staging []string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files = map[string]string{}
	for _, e := range entries {
		if e.Name() == ".crimetrends" {
			continue // the runs behind the outputs, which are links into it
		}
		if e.IsDir() {
			staging = append(staging, e.Name())
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if errors.Is(err, fs.ErrNotExist) && e.Type()&os.ModeSymlink != 0 {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = string(b)
	}
	return files, staging
}

// reportSetup makes a dataset from the synthetic inputs and a report folder
// holding the outputs of an earlier report ("old"), and returns the
// command line of a different report ("new") and the outputs it writes
// when not interrupted, with how long it took.
type reportSetup struct {
	work, template string
	args           func(out string) []string
	old, new       map[string]string
	took           time.Duration
}

func newReportSetup(t *testing.T) reportSetup {
	t.Helper()
	needAssets(t)
	reportOnce.Do(func() {
		dir, err := os.MkdirTemp("", "crimetrends-e2e-report-")
		if err != nil {
			t.Fatal(err)
		}
		sharedDirs = append(sharedDirs, dir)
		sharedReport = makeReportSetup(t, dir)
	})
	if sharedReport.work == "" {
		t.Fatal("the report setup failed (see the first test that used it)")
	}
	return sharedReport
}

// The report setup is made once and shared by the report crash tests.
var (
	reportOnce   sync.Once
	sharedReport reportSetup
)

func makeReportSetup(t *testing.T, work string) reportSetup {
	t.Helper()
	// The Home Office table alone: reading the few hundred police.uk files
	// would triple the time of every report and test nothing more.
	in := demoInputs(t, work, 15) // 12-month windows ending 2022-03 .. 2022-06
	s := reportSetup{work: work}
	data := filepath.Join(s.work, "data")
	mustRun(t, s.work, "ingest", "--quiet", "--data", data, filepath.Join(in, demo.HomeOfficeDir))
	s.template = filepath.Join(s.work, "old")
	mustRun(t, s.work, "report", "--quiet", "--data", data, "--out", s.template, "--period", "2022-03", "--force", "Wiltshire")
	s.old, _ = outputFiles(t, s.template)
	s.args = func(out string) []string {
		return []string{"report", "--quiet", "--data", data, "--out", out, "--period", "2022-06", "--force", "Sussex"}
	}
	fresh := filepath.Join(s.work, "new")
	copyTree(t, s.template, fresh)
	s.took = calibrate(t, command(t, s.work, s.args(fresh)...))
	s.new, _ = outputFiles(t, fresh)
	for _, name := range []string{"dashboard.html", "overview.html", "workbook.xlsx", "trends.csv", "comparisons.csv", "reconciliation.csv", "counts.csv", "revisions.csv", "manifest.json"} {
		if s.old[name] == "" || s.new[name] == "" {
			t.Fatalf("the reports do not both write %s: %v and %v", name, keys(s.old), keys(s.new))
		}
	}
	if s.old["force-wiltshire.html"] == "" || s.new["force-sussex.html"] == "" || s.new["force-wiltshire.html"] != "" {
		t.Fatalf("the old report should have a Wiltshire page and the new one a Sussex page only: %v and %v", keys(s.old), keys(s.new))
	}
	var same []string
	for name, b := range s.new {
		if s.old[name] == b {
			same = append(same, name)
		}
	}
	sort.Strings(same)
	if len(same) > 0 {
		t.Logf("the two reports write the same %v: a mix of those cannot be seen", same)
	}
	return s
}

// checkOutputs checks a report folder after a kill: every output is there
// and byte for byte the old run's or the new run's; it returns which files
// are new, and whether the manifest present matches the outputs present.
func (s reportSetup) checkOutputs(t *testing.T, out, what string) (newer []string, consistent bool, staging []string) {
	t.Helper()
	files, staging := outputFiles(t, out)
	if got := keys(files); !slices.Equal(got, keys(s.old)) && !slices.Equal(got, keys(s.new)) {
		t.Errorf("%s: the report folder holds %v, neither the old report's files %v nor the new one's %v", what, got, keys(s.old), keys(s.new))
	}
	for name, b := range files {
		switch {
		case b == s.new[name] && b != s.old[name]:
			newer = append(newer, name)
		case b == s.old[name]:
		default:
			t.Errorf("%s: %s (%d bytes) is neither the old report's nor the new one's: a partial file", what, name, len(b))
		}
	}
	sort.Strings(newer)
	consistent = true
	m := readManifest(t, filepath.Join(out, "manifest.json"))
	for _, o := range m.Outputs {
		if sha256Hex([]byte(files[o.File])) != o.SHA256 {
			consistent = false
		}
	}
	return newer, consistent, staging
}

func keys(m map[string]string) []string {
	var k []string
	for n := range m {
		k = append(k, n)
	}
	sort.Strings(k)
	return k
}

// TestKillReport kills `crimetrends report` with SIGKILL at seeded random
// times while it replaces an earlier report's outputs. After every kill each
// output must be a complete file of the old or the new report; the manifest
// must describe the files present (a mix of the two runs is reported); and
// rerunning the report must succeed and write the new report whole.
func TestKillReport(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a process 20 times: skipping in -short mode")
	}
	t.Parallel()
	s := newReportSetup(t)
	t.Logf("uninterrupted report: %v; killing %d times within it", s.took, kills)
	rng := rand.New(rand.NewPCG(killSeed, 2))
	var landed, mixed, litter int
	for i := range kills {
		out := filepath.Join(s.work, fmt.Sprintf("kill-%02d", i))
		copyTree(t, s.template, out)
		d := time.Duration(rng.Int64N(int64(s.took) * 9 / 10))
		killed, exit := killAfter(t, command(t, s.work, s.args(out)...), d)
		if killed {
			landed++
		} else if exit != 0 {
			t.Fatalf("kill %d: not killed after %v but exit %d", i, d, exit)
		}
		what := fmt.Sprintf("kill %d after %v", i, d)
		newer, consistent, staging := s.checkOutputs(t, out, what)
		if !consistent {
			mixed++
			t.Errorf("%s: outputs of two runs mixed: %v are the new report's, manifest.json does not describe them", what, newer)
		}
		if len(staging) > 0 {
			litter++
		}
		if !killed {
			os.RemoveAll(out)
			continue
		}
		r := run(t, s.work, s.args(out)...)
		if r.code != 0 {
			t.Fatalf("%s: rerun: exit %d: %s", what, r.code, r.stderr)
		}
		files, _ := outputFiles(t, out)
		for name, b := range s.new {
			if files[name] != b {
				t.Errorf("%s: after the rerun %s is not the new report's", what, name)
			}
		}
		if len(files) != len(s.new) {
			t.Errorf("%s: after the rerun the folder holds %v, want the new report's %v", what, keys(files), keys(s.new))
		}
		os.RemoveAll(out)
	}
	t.Logf("%d kills landed, %d runs ended first; %d left outputs of two runs mixed; %d left a staging folder in --out",
		landed, kills-landed, mixed, litter)
	if landed == 0 {
		t.Errorf("no kill landed while the report ran: the test proved nothing")
	}
}

// TestKillReportDuringSwitch aims a SIGKILL at the switch of a report:
// the run makes every symbolic link under a temporary name
// (.crimetrends/.current.tmp-PID first, then .<name>.tmp-PID in --out),
// renames the links of its new pages into place, and then renames
// .current.tmp-PID over .crimetrends/current, which switches every output
// at once. The test watches for .current.tmp-PID and kills as soon as it
// appears. Wherever the kill lands, --out must show one report whole (the
// old one while the link to it stands, with no page of the new one
// readable; the new one after), and a rerun must remove the killed run's
// temporary links and staging and write the new report whole. (This
// replaces a test of the file-by-file fallback, in which a kill between
// two renames left two runs' files mixed: there is no such fallback now.)
func TestKillReportDuringSwitch(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a process: skipping in -short mode")
	}
	t.Parallel()
	s := newReportSetup(t)
	const attempts = 10
	midSwitch := 0
	for i := range attempts {
		out := filepath.Join(s.work, fmt.Sprintf("switch-%02d", i))
		copyTree(t, s.template, out)
		cmd := command(t, s.work, s.args(out)...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		curTmp := filepath.Join(out, ".crimetrends", fmt.Sprintf(".current.tmp-%d", cmd.Process.Pid))
		deadline := time.Now().Add(10*s.took + 10*time.Second)
	watch:
		for time.Now().Before(deadline) {
			select {
			case <-exited:
				break watch
			default:
			}
			if _, err := os.Lstat(curTmp); err == nil {
				break
			}
		}
		cmd.Process.Signal(syscall.SIGKILL) // fails harmlessly when it has exited
		<-exited
		what := fmt.Sprintf("attempt %d", i)
		_, err := os.Lstat(curTmp)
		before := err == nil // killed before the switch: the old report is shown
		if before {
			midSwitch++
		}
		newer, consistent, staging := s.checkOutputs(t, out, what)
		t.Logf("%s: killed %s the switch; new files shown: %d; staging folders: %v", what, map[bool]string{true: "before", false: "at or after"}[before], len(newer), staging)
		if !consistent {
			t.Errorf("%s: outputs of two runs mixed: %v are the new report's, manifest.json does not describe them", what, newer)
		}
		if files, _ := outputFiles(t, out); before && !slices.Equal(keys(files), keys(s.old)) || before && len(newer) > 0 {
			t.Errorf("%s: killed before the switch, --out shows %v (new: %v), want the old report %v", what, keys(files), newer, keys(s.old))
		}
		mustRun(t, s.work, s.args(out)...)
		files, staging := outputFiles(t, out)
		// A rerun once the switch is done replaces the new report by
		// itself: only the manifest's previous run differs.
		want := maps.Clone(s.new)
		if !before {
			want["manifest.json"] = files["manifest.json"]
		}
		if !maps.Equal(files, want) {
			var differ []string
			for name := range s.new {
				if files[name] != want[name] {
					differ = append(differ, name)
				}
			}
			t.Errorf("%s: after a rerun --out holds %v (differing: %v), want the new report %v byte for byte", what, keys(files), differ, keys(s.new))
		}
		if len(staging) > 0 {
			t.Errorf("%s: after a rerun folders %v are in --out", what, staging)
		}
		for _, dir := range []string{out, filepath.Join(out, ".crimetrends"), filepath.Join(out, ".crimetrends", "runs")} {
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp-") {
					t.Errorf("%s: after a rerun %s is left in %s", what, e.Name(), dir)
				}
			}
		}
		os.RemoveAll(out)
	}
	t.Logf("%d of %d kills landed before the switch was done", midSwitch, attempts)
	if midSwitch == 0 {
		t.Skipf("no kill of %d landed before the switch was done: the side of the old report went untested", attempts)
	}
}
