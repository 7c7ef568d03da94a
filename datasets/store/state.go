package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

// What a dataset directory holds besides the data, and how Open and Add
// judge the files they find (see "Readers, writers and leftovers" in the
// package documentation).

const (
	// PendingFile is the name, in the store directory, of the note a
	// writer leaves while it puts a vintage's files in place and commits
	// it: the vintage, the index as it was, the line that commits it and
	// every file it renamed in with its SHA-256. It is what lets a later
	// writer prove that files the index does not list are its own
	// leftovers, and a reader tell them from a stale index.
	PendingFile = ".pending.json"
	pendingTemp = "." + PendingFile + tempSuffix
)

// ErrStaleIndex is wrapped by the error Open, Add and Verify's callers get
// when the dataset holds files of vintages that catalog.json does not list
// and no unfinished writer can be shown to have left them: catalog.json is
// missing, empty, or older than the files (restored from a backup).
// Nothing is changed; Verify says what is there and Repair rebuilds the
// index from the vintage records.
var ErrStaleIndex = errors.New("catalog.json does not list every vintage in the dataset")

// dataFile is a file of the store's own naming for a vintage, as listed.
type dataFile struct {
	rel string // slash path relative to the store directory
	seq int    // the Seq of the vintage its name gives
}

// dataDirs are the folders of a dataset that hold vintages' files.
var dataDirs = []string{VintagesDir, CountsDir, PublishedDir, OutcomesDir, CrimeIDsDir}

// dirScan is what the data folders hold.
type dirScan struct {
	finals []dataFile // "vNNNNNN-<source>.parquet" in counts/, published/ and outcomes/, "vNNNNNN.parquet" in crimeids/, "vNNNNNN.json" in catalog/
	temps  []string   // those names as a writer's temporary files: ".<name>.tmp"
	others []string   // anything else (slash paths; folders end in "/")
}

// vintageOfName parses a file name of the store's own making in the data
// folder d and returns its vintage's Seq.
func vintageOfName(d, name string) (int, bool) {
	switch d {
	case CountsDir, PublishedDir, OutcomesDir:
		stem, ok := strings.CutSuffix(name, ".parquet")
		if !ok || len(stem) < 9 || stem[7] != '-' || !validSource(stem[8:]) {
			return 0, false
		}
		return parseVintageID(stem[:7])
	case CrimeIDsDir:
		stem, ok := strings.CutSuffix(name, ".parquet")
		if !ok {
			return 0, false
		}
		return parseVintageID(stem)
	case VintagesDir:
		stem, ok := strings.CutSuffix(name, ".json")
		if !ok {
			return 0, false
		}
		return parseVintageID(stem)
	}
	return 0, false
}

// isTempName says whether name, in the data folder d, is the temporary
// name a writer gives one of its files: "." + the file's name + ".tmp".
func isTempName(d, name string) bool {
	final, ok := strings.CutPrefix(name, ".")
	if !ok {
		return false
	}
	final, ok = strings.CutSuffix(final, tempSuffix)
	if !ok {
		return false
	}
	_, ok = vintageOfName(d, final)
	return ok
}

// scanDirs lists the data folders of dir; a missing folder is empty (a
// dataset written before outcomes has no outcomes/ or crimeids/).
func scanDirs(dir string) (dirScan, error) {
	var sc dirScan
	for _, d := range dataDirs {
		entries, err := os.ReadDir(filepath.Join(dir, d))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return dirScan{}, fmt.Errorf("list %s: %w", d, datasets.WithoutPath(err))
		}
		for _, de := range entries {
			name, rel := de.Name(), d+"/"+de.Name()
			if !de.Type().IsRegular() {
				if de.IsDir() {
					rel += "/"
				}
				sc.others = append(sc.others, rel)
				continue
			}
			if seq, ok := vintageOfName(d, name); ok {
				sc.finals = append(sc.finals, dataFile{rel: rel, seq: seq})
			} else if isTempName(d, name) {
				sc.temps = append(sc.temps, rel)
			} else {
				sc.others = append(sc.others, rel)
			}
		}
	}
	return sc, nil
}

// after returns the files of vintages later than the first n.
func after(files []dataFile, n int) []dataFile {
	var out []dataFile
	for _, f := range files {
		if f.seq > n {
			out = append(out, f)
		}
	}
	return out
}

// indexStamp is what a writer records of catalog.json before it puts a
// vintage's files in place. Appending a line changes it, and so does any
// copy or restore over the file (on Linux the inode change time, which no
// tool can set, is part of it).
type indexStamp struct {
	Exists   bool   `json:"exists"`
	Size     int64  `json:"size"`
	ModTime  string `json:"mtime"`
	Identity string `json:"identity,omitempty"`
}

func stampIndex(dir string) (indexStamp, error) {
	fi, err := os.Stat(filepath.Join(dir, CatalogFile))
	if errors.Is(err, fs.ErrNotExist) {
		return indexStamp{}, nil
	}
	if err != nil {
		return indexStamp{}, err
	}
	return indexStamp{Exists: true, Size: fi.Size(), ModTime: fi.ModTime().UTC().Format(time.RFC3339Nano), Identity: fileIdentity(fi)}, nil
}

// fileJSON records one file of a vintage: its slash path, SHA-256 and size.
type fileJSON struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes"`
}

// pendingJSON is the content of PendingFile.
type pendingJSON struct {
	Format  int        `json:"format"`
	Vintage string     `json:"vintage"`
	Index   indexStamp `json:"index"`
	Line    string     `json:"line"`
	Files   []fileJSON `json:"files"`
}

// readNote reads PendingFile: nil and no error when there is none.
func readNote(dir string) (*pendingJSON, error) {
	data, err := os.ReadFile(filepath.Join(dir, PendingFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", PendingFile, datasets.WithoutPath(err))
	}
	var n pendingJSON
	if err := decodeStrict(data, &n); err != nil {
		return nil, fmt.Errorf("%s: %w", PendingFile, err)
	}
	if n.Format != catalogFormat {
		return nil, fmt.Errorf("%s: format %d: want %d", PendingFile, n.Format, catalogFormat)
	}
	if _, ok := parseVintageID(n.Vintage); !ok {
		return nil, fmt.Errorf("%s: vintage %q", PendingFile, n.Vintage)
	}
	return &n, nil
}

// writeNote writes the note under a temporary name, syncs it, renames it
// into place and syncs the directory, so that it is on disk before any file
// it names is.
func writeNote(dir string, n pendingJSON) error {
	data, err := json.MarshalIndent(n, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, pendingTemp)
	if err := writeSynced(tmp, append(data, '\n')); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, filepath.Join(dir, PendingFile)); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	syncDir(dir)
	return nil
}

// noteProves says whether the note n shows that its files are a writer's
// and were never committed: it is for the vintage after the last one the
// index lists, and catalog.json is as the writer found it, or differs only
// by a torn start of the very line the writer meant to append. ix is the
// index as just read from dir.
func noteProves(dir string, ix *index, n *pendingJSON) bool {
	if n.Vintage != vintageID(len(ix.vintages)+1) {
		return false
	}
	cur, err := stampIndex(dir)
	if err != nil {
		return false
	}
	if cur == n.Index {
		return true
	}
	// The writer's own append, cut short: the file is the one stamped, as
	// long as it was, plus a prefix of the writer's line.
	if !cur.Exists || !n.Index.Exists || ix.end != n.Index.Size || ix.size <= ix.end || cur.Size != ix.size ||
		sameInode(cur.Identity) != sameInode(n.Index.Identity) {
		return false
	}
	f, err := os.Open(filepath.Join(dir, CatalogFile))
	if err != nil {
		return false
	}
	defer f.Close()
	tail := make([]byte, ix.size-ix.end)
	if _, err := f.ReadAt(tail, ix.end); err != nil && !errors.Is(err, io.EOF) {
		return false
	}
	return len(tail) < len(n.Line) && strings.HasPrefix(n.Line, string(tail))
}

// sameInode is the device and inode part of a file identity.
func sameInode(id string) string {
	if i := strings.LastIndexByte(id, ':'); i >= 0 {
		return id[:i]
	}
	return id
}

// checkListed is Open's check of the files against the index it read:
// files of vintages later than the index lists are an error (a missing,
// empty or stale index) unless a writer's note shows them to be the
// vintage it is writing, or was writing when it was killed, or the index,
// read again, now lists them (a writer committed meanwhile). It changes
// nothing on disk. The caller holds s.mu.
func (s *Store) checkListed() error {
	sc, err := scanDirs(s.dir)
	if err != nil {
		return err
	}
	unlisted := after(sc.finals, len(s.idx.vintages))
	if len(unlisted) == 0 {
		return nil
	}
	if n, err := readNote(s.dir); err == nil && n != nil && noteProves(s.dir, &s.idx, n) {
		unlisted = notNoted(unlisted, n)
	}
	if len(unlisted) == 0 {
		return nil
	}
	if err := s.refresh(); err != nil {
		return err
	}
	var still []dataFile
	for _, f := range after(unlisted, len(s.idx.vintages)) {
		if _, err := os.Lstat(filepath.Join(s.dir, filepath.FromSlash(f.rel))); err == nil {
			still = append(still, f)
		}
	}
	if len(still) > 0 {
		return staleError(s.dir, &s.idx, still)
	}
	return nil
}

// notNoted returns the files of files that the note n does not name.
func notNoted(files []dataFile, n *pendingJSON) []dataFile {
	noted := map[string]bool{}
	for _, f := range n.Files {
		noted[f.Path] = true
	}
	var out []dataFile
	for _, f := range files {
		if !noted[f.rel] {
			out = append(out, f)
		}
	}
	return out
}

// cleanLeftovers removes what a killed writer provably left, and nothing
// else (see leftovers), once it has checked that the index then lists
// every vintage whose files are there: if files of later vintages would
// remain, it returns an error wrapping ErrStaleIndex and removes nothing.
// It removes the Crime ID spill files a killed ingest left (removeSpills).
// Last it cuts a torn last line off the index, or writes the newline a
// whole last record lacks. The caller holds the lock and s.mu and has
// refreshed the index.
func (s *Store) cleanLeftovers() error {
	remove, unlisted, err := s.leftovers()
	if err != nil {
		return err
	}
	if len(unlisted) > 0 {
		return staleError(s.dir, &s.idx, unlisted)
	}
	if err := removeAll(s.dir, remove); err != nil {
		return err
	}
	removeSpills(s.dir)
	if err := s.dropSpentNote(); err != nil {
		return err
	}
	return s.repairIndex()
}

// leftovers returns what a killed writer provably left, to remove: the
// files a writer's note names, when the note proves them uncommitted
// (noteProves) and each still has the size and SHA-256 the note gives, and
// the temporary files of the store's own naming (".<name>.tmp" where
// <name> is a vintage file's name, ".catalog.json.tmp", ".pending.json.tmp"),
// which no other writer can be writing, as the caller holds the lock. It
// also returns the files of vintages the index does not list that would
// remain. The caller holds the lock and s.mu and has refreshed the index.
func (s *Store) leftovers() (remove []string, unlisted []dataFile, err error) {
	proven := map[string]bool{}
	if n, err := readNote(s.dir); err == nil && n != nil && noteProves(s.dir, &s.idx, n) {
		for _, f := range n.Files {
			same, err := sameFile(s.dir, f)
			if err != nil {
				return nil, nil, fmt.Errorf("check leftover %s: %w", f.Path, datasets.WithoutPath(err))
			}
			if same {
				proven[f.Path] = true
				remove = append(remove, f.Path)
			}
		}
	}
	sc, err := scanDirs(s.dir)
	if err != nil {
		return nil, nil, err
	}
	for _, f := range after(sc.finals, len(s.idx.vintages)) {
		if !proven[f.rel] {
			unlisted = append(unlisted, f)
		}
	}
	remove = append(append(remove, sc.temps...), catalogTemp, pendingTemp)
	return remove, unlisted, nil
}

// removeAll removes the files rels (slash paths) of dir; missing ones are
// no error.
func removeAll(dir string, rels []string) error {
	for _, rel := range rels {
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove leftover %s: %w", rel, datasets.WithoutPath(err))
		}
	}
	return nil
}

// dropSpentNote removes the writer's note when it accounts for nothing any
// more: its vintage is committed (the writer was stopped between its
// commit and removing the note), none of the files it names is left, or
// it cannot be read as a note at all and no vintage file is unlisted. The
// caller holds the lock and has checked that the index lists every
// vintage file.
func (s *Store) dropSpentNote() error {
	n, err := readNote(s.dir)
	if n == nil && err == nil {
		return nil
	}
	drop := err != nil && !errors.Is(err, fs.ErrPermission)
	if n != nil {
		seq, _ := parseVintageID(n.Vintage)
		drop = seq <= len(s.idx.vintages)
		if !drop {
			drop = true
			for _, f := range n.Files {
				if _, err := os.Lstat(filepath.Join(s.dir, filepath.FromSlash(f.Path))); !errors.Is(err, fs.ErrNotExist) {
					drop = false
				}
			}
		}
	}
	if !drop {
		return nil
	}
	if err := os.Remove(filepath.Join(s.dir, PendingFile)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove %s: %w", PendingFile, datasets.WithoutPath(err))
	}
	return nil
}

// sameFile says whether the file f names is there with f's size and
// SHA-256.
func sameFile(dir string, f fileJSON) (bool, error) {
	sum, size, err := hashFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return sum == f.SHA256 && size == f.Bytes, nil
}

// hashFile returns the hex SHA-256 and the size of the file at p.
func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// staleIndexError is the error for files of vintages the index does not
// list. It wraps ErrStaleIndex.
type staleIndexError struct{ msg string }

func (e *staleIndexError) Error() string { return e.msg }
func (e *staleIndexError) Unwrap() error { return ErrStaleIndex }

// staleError says which files of which vintages the index ix of dir does
// not list, what that means and what to do.
func staleError(dir string, ix *index, files []dataFile) error {
	sort.Slice(files, func(i, j int) bool {
		if files[i].seq != files[j].seq {
			return files[i].seq < files[j].seq
		}
		return files[i].rel < files[j].rel
	})
	lo, hi := files[0].seq, files[len(files)-1].seq
	span := "vintage " + vintageID(lo)
	if hi > lo {
		span = "vintages " + vintageID(lo) + ".." + vintageID(hi)
	}
	var what string
	n := len(ix.vintages)
	switch {
	case ix.fi == nil:
		what = fmt.Sprintf("%s is missing, but the dataset holds files of %s", CatalogFile, span)
	case n == 0 && ix.size == 0:
		what = fmt.Sprintf("%s is empty, but the dataset holds files of %s", CatalogFile, span)
	case n == 0:
		what = fmt.Sprintf("%s lists no vintage, but the dataset holds files of %s", CatalogFile, span)
	default:
		listed := "vintage v000001"
		if n > 1 {
			listed = "vintages v000001.." + vintageID(n)
		}
		what = fmt.Sprintf("%s lists %s, but the dataset holds files of %s that it does not list: "+
			"%s is older than the files (restored from a backup?)", CatalogFile, listed, span, CatalogFile)
	}
	var names []string
	for i, f := range files {
		if i == 3 {
			break
		}
		names = append(names, f.rel)
	}
	list := strings.Join(names, ", ")
	if len(files) > 3 {
		list += fmt.Sprintf(" and %d more", len(files)-3)
	}
	q := ShellQuote(dir)
	return &staleIndexError{msg: fmt.Sprintf("%s (%s); nothing was changed. Run \"crimetrends verify --data %s\" to check the dataset, "+
		"then \"crimetrends repair --data %s\" to rebuild %s from the vintage records in %s/",
		what, list, q, q, CatalogFile, VintagesDir)}
}

// ShellQuote quotes s for a POSIX shell when it needs quoting, for a
// command line a message tells the user to run ("crimetrends verify
// --data 'My data'").
func ShellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:@+,=", r)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
