package homeoffice

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/crimetrends/crimetrends/internal/testutil"
)

// realDir returns ../shared/data/real relative to the repository root, or
// skips the test when it is absent.
func realDir(t testing.TB) string {
	t.Helper()
	return testutil.RealDataDir(t, true)
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
