package testutil

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update rewrites golden files instead of comparing with them.
var Update = flag.Bool("update", false, "rewrite golden files")

// RepoRoot is the folder holding go.mod, found by walking up from the
// working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}

// RealDataDir is ../shared/data/real beside the repository. When it is not
// there (a user's machine) and required is true, the test is skipped with a
// message saying so; with required false the path is returned all the same
// and the caller checks it.
func RealDataDir(t testing.TB, required bool) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "..", "shared", "data", "real")
	if _, err := os.Stat(dir); err != nil && required {
		t.Skipf("real sample data not found at %s: skipping (CI always has it)", dir)
	}
	return dir
}

// Real returns a path under the real sample data, skipping the test when the
// samples are not there.
func Real(t testing.TB, parts ...string) string {
	t.Helper()
	return filepath.Join(append([]string{RealDataDir(t, true)}, parts...)...)
}
