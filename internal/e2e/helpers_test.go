package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/crimetrends/crimetrends/internal/testutil"
)

// sourceDateEpoch fixes the clock of every run (vintage dates), so that two
// runs of the same command write the same bytes.
const sourceDateEpoch = "1717200000"

var (
	buildOnce sync.Once
	buildDir  string // removed by TestMain
	binPath   string
	buildErr  error

	sharedDirs []string // folders shared by tests, removed by TestMain
)

// rssHelperEnv, when set, makes the test binary a helper that runs its
// arguments as a command and writes the command's peak resident set size
// (bytes) to the file the variable names. Go starts processes with vfork,
// so a child's ru_maxrss counts the parent's memory up to the exec: this
// helper is a small parent whose own peak does not hide the child's.
const rssHelperEnv = "CRIMETRENDS_E2E_RSS_FILE"

func TestMain(m *testing.M) {
	if out := os.Getenv(rssHelperEnv); out != "" {
		os.Exit(rssHelper(out, os.Args[1:]))
	}
	code := m.Run()
	for _, dir := range append(sharedDirs, buildDir) {
		if dir != "" {
			os.RemoveAll(dir)
		}
	}
	os.Exit(code)
}

func rssHelper(out string, args []string) int {
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	cmd.Env = os.Environ()
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		fmt.Fprintln(os.Stderr, "rss helper:", err)
		return 125
	}
	var rss int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = int64(ru.Maxrss) * 1024 // kilobytes on Linux
	}
	if err := os.WriteFile(out, []byte(fmt.Sprint(rss)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "rss helper:", err)
		return 125
	}
	return cmd.ProcessState.ExitCode()
}

// binary builds ./cmd/crimetrends once per test run and returns its path.
func binary(t testing.TB) string {
	t.Helper()
	root := testutil.RepoRoot(t)
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "crimetrends-e2e-")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "crimetrends")
		goCmd, err := exec.LookPath("go")
		if err != nil {
			buildErr = fmt.Errorf("go command not found: %w", err)
			return
		}
		cmd := exec.Command(goCmd, "build", "-o", binPath, "./cmd/crimetrends")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/crimetrends: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// needAssets skips a test that writes a dashboard when the echarts script
// has not been fetched (make assets): the binary cannot write one then.
func needAssets(t testing.TB) {
	t.Helper()
	p := filepath.Join(testutil.RepoRoot(t), "reports", "assets", "echarts.min.js")
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s is missing (run make assets): skipping a test that writes a dashboard", p)
	}
}

// result is the outcome of one run of the binary.
type result struct {
	stdout, stderr string
	code           int   // exit status; -1 when killed by a signal
	maxRSS         int64 // runMeasured only: peak resident set size in bytes (Linux), 0 when unknown
}

// command prepares the binary to run in dir with args and a fixed clock.
func command(t testing.TB, dir string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SOURCE_DATE_EPOCH="+sourceDateEpoch)
	return cmd
}

// run runs the binary in dir and returns its outcome; failing to start it
// at all is fatal.
func run(t testing.TB, dir string, args ...string) result {
	t.Helper()
	return runCmd(t, command(t, dir, args...))
}

// runMeasured is run that also measures the peak memory of the binary,
// through the helper mode of the test binary (see rssHelperEnv).
func runMeasured(t testing.TB, dir string, args ...string) result {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	rssFile := filepath.Join(t.TempDir(), "rss")
	cmd := command(t, dir, args...)
	cmd.Args = append([]string{self, cmd.Path}, args...)
	cmd.Path = self
	cmd.Env = append(cmd.Env, rssHelperEnv+"="+rssFile)
	r := runCmd(t, cmd)
	b, err := os.ReadFile(rssFile)
	if err != nil {
		t.Fatalf("peak memory not measured: %v\nstderr: %s", err, r.stderr)
	}
	if _, err := fmt.Sscan(string(b), &r.maxRSS); err != nil {
		t.Fatalf("peak memory file %q: %v", b, err)
	}
	return r
}

func runCmd(t testing.TB, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%s: %v", strings.Join(cmd.Args, " "), err)
	}
	return result{stdout: stdout.String(), stderr: stderr.String(), code: cmd.ProcessState.ExitCode()}
}

// mustRun runs the binary and fails the test unless it exits 0.
func mustRun(t testing.TB, dir string, args ...string) result {
	t.Helper()
	r := run(t, dir, args...)
	if r.code != 0 {
		t.Fatalf("crimetrends %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), r.code, r.stdout, r.stderr)
	}
	return r
}

// copyFile copies src to dst, creating dst's folder.
func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dst, b)
}

// writeFile writes b to p, creating p's folder.
func writeFile(t testing.TB, p string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyTree copies the regular files and folders under src to dst.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.Walk(src, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if fi.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if fi.Mode()&os.ModeSymlink != 0 { // report outputs are links into .crimetrends
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		}
		if !fi.Mode().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		in, err := os.Open(p)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(target)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
	if err != nil {
		t.Fatalf("copy %s to %s: %v", src, dst, err)
	}
}

// treeDigest lists every file under dir (relative path, size and content
// hash) as text, so two states of a folder compare with ==.
func treeDigest(t testing.TB, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if fi.IsDir() {
			fmt.Fprintf(&b, "%s/\n", rel)
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %d %s\n", rel, len(data), sha256Hex(data))
		return nil
	})
	if err != nil {
		t.Fatalf("digest %s: %v", dir, err)
	}
	return b.String()
}

// manifest is the part of manifest.json the tests read.
type manifest struct {
	Inputs []struct {
		Name   string `json:"name"`
		SHA256 string `json:"sha256"`
		Rows   struct {
			Read     int64            `json:"read"`
			Used     int64            `json:"used"`
			Skipped  int64            `json:"skipped"`
			Reasons  map[string]int64 `json:"skipped_reasons"`
			Rejected int64            `json:"rejected"`
		} `json:"rows"`
		Balanced bool `json:"balanced"`
	} `json:"inputs"`
	Outputs []struct {
		File   string `json:"file"`
		Bytes  int64  `json:"bytes"`
		SHA256 string `json:"sha256"`
	} `json:"outputs"`
}

func readManifest(t testing.TB, p string) manifest {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%s: %v", p, err)
	}
	return m
}

func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
