package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// The temporary files an ingest keeps its street files' Crime IDs in
// while it reads its inputs (datasets.CrimeIDSpill), in the dataset's
// folder: ".crimeids-<digits>.tmp".
const (
	spillPrefix = ".crimeids-"
	spillSuffix = ".tmp"
)

// NewCrimeIDSpill creates a temporary file for the Crime IDs of the street
// files an ingest reads, in the dataset's folder (created if missing, and
// removed again by Close if it is still empty then), where the dataset's
// disk space is. Where the system allows it (Linux, macOS), the file has
// no name from the moment it is created: it lives while the ingest holds
// it open and goes with the ingest however that ends, a kill included.
// Elsewhere (Windows) Close removes it, and a writer (Add, Repair) removes
// any that a killed ingest left: files of the dataset's folder named
// ".crimeids-<digits>.tmp", which are never part of the dataset (Verify
// notes them). The caller closes it once the vintage is added.
func (s *Store) NewCrimeIDSpill() (*datasets.CrimeIDSpill, error) {
	_, statErr := os.Stat(s.dir)
	created := errors.Is(statErr, fs.ErrNotExist)
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return nil, fmt.Errorf("dataset store %q: create the folder: %w", s.dir, datasets.WithoutPath(err))
	}
	var onClose func()
	if created {
		onClose = func() { _ = os.Remove(s.dir) } // removes an empty folder only
	}
	sp, err := datasets.CreateCrimeIDSpill(s.dir, spillPrefix+"*"+spillSuffix, onClose)
	if err != nil {
		if onClose != nil {
			onClose()
		}
		return nil, fmt.Errorf("dataset store %q: %w", s.dir, err)
	}
	return sp, nil
}

// isSpillName says whether name, in the dataset's folder, is that of a
// Crime ID spill file.
func isSpillName(name string) bool {
	mid, ok := strings.CutPrefix(name, spillPrefix)
	if !ok {
		return false
	}
	mid, ok = strings.CutSuffix(mid, spillSuffix)
	if !ok || mid == "" {
		return false
	}
	for _, r := range mid {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// spillFiles lists the Crime ID spill files in dir's top folder, sorted.
func spillFiles(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list the dataset's folder: %w", datasets.WithoutPath(err))
	}
	var out []string
	for _, e := range entries {
		if e.Type().IsRegular() && isSpillName(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out, nil
}

// removeSpills removes the Crime ID spill files a killed ingest left in
// dir, as far as it can: one that another ingest still has open may not be
// removable (on Windows) and is left for a later writer; on other systems
// removing the name of a file in use changes nothing for its user. The
// caller holds the lock.
func removeSpills(dir string) {
	names, _ := spillFiles(dir)
	for _, n := range names {
		_ = os.Remove(filepath.Join(dir, n))
	}
}
