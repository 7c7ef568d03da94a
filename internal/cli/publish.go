package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
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
// next run removes).
//
// Every run on one --out holds its lock, metaDir/lock (an operating-system
// lock, store.AcquireLock), from before it reads the previous report until
// its switch is done, so two runs never interleave: the second waits (up
// to --wait) or fails, and a staging folder in runs/ is only ever that of
// the run holding the lock or of a killed one. Under the lock a run
// removes what killed runs left (removeStale).
//
// Where a symbolic link cannot be made (a file system without them,
// Windows without the privilege, no inode left), commit fails before it
// changes anything shown: the previous report stays whole. There is no
// fallback of replacing the files one by one, which a kill or a failure
// half way would leave as a mix of two runs.

// outLockFile is the lock file of a report folder, in metaDir.
const outLockFile = "lock"

// symlink makes symbolic links; a variable so that tests can make it fail.
var symlink = os.Symlink

// lockOut takes the lock of the report folder out (creating out and its
// metaDir if missing), waiting up to wait and calling onWait with the lock
// file's path when it starts to, then removes what killed runs left. The
// caller releases the lock when its run is switched in or abandoned.
func lockOut(ctx context.Context, out string, wait time.Duration, onWait func(string)) (*store.Lock, error) {
	meta := filepath.Join(out, metaDir)
	if err := os.MkdirAll(meta, 0o755); err != nil {
		return nil, fmt.Errorf("create %q: %w", meta, datasets.WithoutPath(err))
	}
	p := filepath.Join(meta, outLockFile)
	var announce func()
	if onWait != nil {
		announce = func() { onWait(p) }
	}
	l, err := store.AcquireLock(ctx, p, wait, announce)
	if err != nil {
		if errors.Is(err, store.ErrLocked) {
			waited := ""
			if wait > 0 {
				waited = fmt.Sprintf(", and still did after %s of waiting", wait)
			}
			return nil, fmt.Errorf("%w: another report is being written to %q (it holds the lock on %q)%s; "+
				"the report there is unchanged: try again once it has finished", store.ErrLocked, out, p, waited)
		}
		return nil, err
	}
	if err := removeStale(out); err != nil {
		l.Release()
		return nil, fmt.Errorf("remove what an earlier run left in %q: %w", out, err)
	}
	return l, nil
}

// removeStale removes what killed runs left in out: staging folders
// (runs/.tmp-*), and temporary links of their switch (metaDir/.current.tmp-N,
// and .<name>.tmp-N in out when it links to metaDir/current/<name>). Only
// the holder of the out lock calls it, so no live run owns them.
func removeStale(out string) error {
	runs := filepath.Join(out, metaDir, runsDir)
	entries, err := os.ReadDir(runs)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var errs []error
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".tmp-") {
			errs = append(errs, os.RemoveAll(filepath.Join(runs, e.Name())))
		}
	}
	meta := filepath.Join(out, metaDir)
	if entries, err := os.ReadDir(meta); err == nil {
		for _, e := range entries {
			if isTempLink(e.Name(), currentRun) && e.Type()&os.ModeSymlink != 0 {
				errs = append(errs, os.Remove(filepath.Join(meta, e.Name())))
			}
		}
	}
	entries, err = os.ReadDir(out)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name, ok := strings.CutPrefix(e.Name(), ".")
		if !ok || e.Type()&os.ModeSymlink == 0 {
			continue
		}
		i := strings.LastIndex(name, ".tmp-")
		if i <= 0 || !isTempLink(e.Name(), name[:i]) {
			continue
		}
		p := filepath.Join(out, e.Name())
		if target, err := os.Readlink(p); err == nil && target == filepath.Join(metaDir, currentRun, name[:i]) {
			errs = append(errs, os.Remove(p))
		}
	}
	return errors.Join(errs...)
}

// isTempLink says whether name is the temporary name of a link to base
// made by a run: ".<base>.tmp-<digits>".
func isTempLink(name, base string) bool {
	rest, ok := strings.CutPrefix(name, "."+base+".tmp-")
	if !ok || rest == "" {
		return false
	}
	for _, r := range rest {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

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
	hexSum := hex.EncodeToString(sum[:])
	s.record(name, hexSum)
	return hexSum, nil
}

// create writes one file of the report as write makes it, never holding it
// whole, and returns its SHA-256 in hex and its size. The file is not part
// of the report until record names it.
func (s *staging) create(name string, write func(io.Writer) error) (sum string, size int64, err error) {
	f, err := os.Create(filepath.Join(s.tmp, name))
	if err != nil {
		return "", 0, err
	}
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(f, h)}
	bw := bufio.NewWriterSize(cw, 256<<10)
	if err = write(bw); err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), cw.n, nil
}

// record makes a file written by create part of the report, in the order
// of the calls: the run's name is the digest of its files in that order.
func (s *staging) record(name, sum string) {
	fmt.Fprintf(s.digest, "%s %s\n", name, sum)
	s.files = append(s.files, name)
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

func (s *staging) abort() {
	if !s.done {
		os.RemoveAll(s.tmp)
	}
}

// commit makes the staged files the report shown in out. It makes every
// symbolic link it needs under a temporary name first, so that a link that
// cannot be made fails the run before anything shown changes; then it
// renames them into place and switches "current" with one rename. The
// caller holds the out lock.
func (s *staging) commit() error {
	if err := syncDir(s.tmp); err != nil {
		return err
	}
	id := hex.EncodeToString(s.digest.Sum(nil))[:16]
	run := filepath.Join(s.runs, id)
	_, err := os.Stat(run)
	existed := err == nil
	if existed {
		os.RemoveAll(s.tmp) // the same report is already on disk
	} else if err := os.Rename(s.tmp, run); err != nil {
		return err
	}
	s.done = true
	out, meta, files := s.out, filepath.Join(s.out, metaDir), s.files
	link := filepath.Join(meta, currentRun)

	// Every link, under a temporary name: nothing shown has changed yet.
	type pending struct{ tmp, final string }
	var made []pending
	undo := func() {
		for _, p := range made {
			os.Remove(p.tmp)
		}
		if cur, err := os.Readlink(link); !existed && (err != nil || cur != filepath.Join(runsDir, id)) {
			os.RemoveAll(run)
		}
	}
	tmpLink := filepath.Join(meta, fmt.Sprintf(".%s.tmp-%d", currentRun, os.Getpid()))
	os.Remove(tmpLink)
	if err := symlink(filepath.Join(runsDir, id), tmpLink); err != nil {
		undo()
		return noLinks(out, err)
	}
	made = append(made, pending{tmpLink, link})
	for _, f := range files {
		path := filepath.Join(out, f)
		target := filepath.Join(metaDir, currentRun, f)
		if got, err := os.Readlink(path); err == nil && got == target {
			continue
		}
		tmp := filepath.Join(out, fmt.Sprintf(".%s.tmp-%d", f, os.Getpid()))
		os.Remove(tmp)
		if err := symlink(target, tmp); err != nil {
			undo()
			return noLinks(out, err)
		}
		made = append(made, pending{tmp, path})
	}
	// The links in out point through "current", so they go in first:
	// until the switch they show the previous run's files.
	for _, p := range made[1:] {
		if err := os.Rename(p.tmp, p.final); err != nil {
			undo()
			return err
		}
	}
	if err := os.Rename(tmpLink, link); err != nil {
		undo()
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

// noLinks is the error of a report folder where a symbolic link cannot be
// made.
func noLinks(out string, err error) error {
	return fmt.Errorf("cannot make a symbolic link in %q (%w): a report is switched in through symbolic links, so --out must be "+
		"on a file system that can hold them (on Windows: Developer Mode, or the right to create symbolic links); "+
		"the previous report there is unchanged", out, datasets.WithoutPath(err))
}

// removeOtherRuns deletes every run folder but keep, and the partial ones
// of killed runs. The caller holds the out lock.
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
