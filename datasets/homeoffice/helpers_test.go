package homeoffice

import (
	"os"
	"path/filepath"
	"testing"
)

// realDir returns ../shared/data/real relative to the repository root, or
// skips the test when it is absent.
func realDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("real data not found (no go.mod above the package): skipping")
		}
		dir = parent
	}
	real := filepath.Join(dir, "..", "shared", "data", "real")
	if _, err := os.Stat(real); err != nil {
		t.Skipf("real data not found at %s: skipping", real)
	}
	return real
}

// realFile returns the path of a file under the real data directory, or
// skips the test when it is absent.
func realFile(t testing.TB, parts ...string) string {
	t.Helper()
	p := filepath.Join(append([]string{realDir(t)}, parts...)...)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("real data not found at %s: skipping", p)
	}
	return p
}

const (
	realCSV    = "prc-pfa-mar2013-onwards-tables201718.csv"
	realNewCSV = "prc-pfa-201718_new.csv"
	realDirHO  = "mopd-crime-sim-toolkit"
)
