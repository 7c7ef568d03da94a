package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"os"
	"path/filepath"
	"strings"
)

// Where a report keeps its runs inside --out. Each run's outputs live in
// metaDir/runs/<id>/; metaDir/current is a symbolic link to the run whose
// outputs are shown; and each output in --out is a symbolic link through
// current (out/dashboard.html -> .crimetrends/current/dashboard.html).
// Replacing the one link "current" by rename switches every output at once,
// so a reader of --out sees the whole previous report or the whole new
// one, whatever moment a run is killed at.
const (
	metaDir    = ".crimetrends"
	runsDir    = "runs"
	currentRun = "current"
)

// A report is published through a staging: its files go to disk one by one
// and commit switches them in atomically. A run killed before the switch
// leaves the previous report in place (and a partial run folder that the
// next commit removes).
//
// Where the system cannot make symbolic links (Windows without the
// privilege), commit falls back to replacing the files one by one, each
// by rename: every file is whole, but a kill in the middle of the renames
// can leave files of two runs side by side (the manifest, renamed last,
// then describes the older run).

// staging is a report being written: each file goes to disk as soon as it
// is made, into a hidden folder of runs/, so a report of many pages never
// holds them all in memory. commit names the run by the digest of its
// files and switches it in; abort (after commit, a no-op) removes it.
type staging struct {
	out, runs, tmp string
	files          []string // names; the data is on disk
	digest         hash.Hash
	done           bool
}

func newStaging(out string) (*staging, error) {
	runs := filepath.Join(out, metaDir, runsDir)
	if err := os.MkdirAll(runs, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(runs, ".tmp-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &staging{out: out, runs: runs, tmp: tmp, digest: sha256.New()}, nil
}

// add writes one file of the report and returns its SHA-256 in hex.
func (s *staging) add(name string, data []byte) (string, error) {
	if err := writeFileSync(filepath.Join(s.tmp, name), data); err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	fmt.Fprintf(s.digest, "%s %x\n", name, sum)
	s.files = append(s.files, name)
	return hex.EncodeToString(sum[:]), nil
}

func (s *staging) abort() {
	if !s.done {
		os.RemoveAll(s.tmp)
	}
}

// commit makes the staged files the report shown in out.
func (s *staging) commit() error {
	if err := syncDir(s.tmp); err != nil {
		return err
	}
	id := hex.EncodeToString(s.digest.Sum(nil))[:16]
	run := filepath.Join(s.runs, id)
	if _, err := os.Stat(run); err == nil {
		os.RemoveAll(s.tmp) // the same report is already on disk
	} else if err := os.Rename(s.tmp, run); err != nil {
		return err
	}
	s.done = true
	out, meta, files := s.out, filepath.Join(s.out, metaDir), s.files

	link := filepath.Join(meta, currentRun)
	tmpLink := filepath.Join(meta, fmt.Sprintf(".%s.tmp-%d", currentRun, os.Getpid()))
	os.Remove(tmpLink)
	if err := os.Symlink(filepath.Join(runsDir, id), tmpLink); err != nil {
		return publishByRename(out, run, files)
	}
	// The links in out point through "current", so they can be made first:
	// until the switch they show the previous run's files.
	for _, f := range files {
		if err := ensureLink(out, f); err != nil {
			os.Remove(tmpLink)
			return err
		}
	}
	if err := os.Rename(tmpLink, link); err != nil {
		os.Remove(tmpLink)
		return err
	}
	if err := syncDir(meta); err != nil {
		return err
	}
	if err := removeStaleLinks(out, files); err != nil {
		return err
	}
	return removeOtherRuns(s.runs, id)
}

// ensureLink makes out/name a symbolic link to metaDir/current/name,
// replacing by rename whatever file is there.
func ensureLink(out, name string) error {
	path := filepath.Join(out, name)
	target := filepath.Join(metaDir, currentRun, name)
	if got, err := os.Readlink(path); err == nil && got == target {
		return nil
	}
	tmp := filepath.Join(out, fmt.Sprintf(".%s.tmp-%d", name, os.Getpid()))
	os.Remove(tmp)
	if err := os.Symlink(target, tmp); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// removeOtherRuns deletes every run folder but keep, and the partial ones
// of killed runs.
func removeOtherRuns(runs, keep string) error {
	entries, err := os.ReadDir(runs)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if e.Name() != keep {
			errs = append(errs, os.RemoveAll(filepath.Join(runs, e.Name())))
		}
	}
	return errors.Join(errs...)
}

// publishByRename is the fallback without symbolic links: the files of run
// replace those in out one by one, the manifest last.
func publishByRename(out, run string, files []string) error {
	hasManifest := false
	for _, f := range files {
		if f == "manifest.json" {
			hasManifest = true
			continue
		}
		if err := os.Rename(filepath.Join(run, f), filepath.Join(out, f)); err != nil {
			return err
		}
	}
	if hasManifest {
		if err := os.Rename(filepath.Join(run, "manifest.json"), filepath.Join(out, "manifest.json")); err != nil {
			return err
		}
	}
	return os.RemoveAll(run)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	if err != nil && strings.Contains(err.Error(), "invalid argument") {
		return nil // some file systems cannot sync a folder
	}
	return err
}

// removeStaleLinks deletes the links in out that point through "current"
// at files this run did not write (the page of a force the previous
// report had): after the switch they lead nowhere.
func removeStaleLinks(out string, files []string) error {
	keep := map[string]bool{}
	for _, f := range files {
		keep[f] = true
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return err
	}
	var errs []error
	for _, e := range entries {
		if keep[e.Name()] || e.Type()&os.ModeSymlink == 0 {
			continue
		}
		path := filepath.Join(out, e.Name())
		if target, err := os.Readlink(path); err == nil && target == filepath.Join(metaDir, currentRun, e.Name()) {
			errs = append(errs, os.Remove(path))
		}
	}
	return errors.Join(errs...)
}
