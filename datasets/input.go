package datasets

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Input is one file to ingest, possibly inside a zip archive.
type Input struct {
	// Name is the file as the user knows it: the path as found on disk,
	// e.g. "dir/2018-10/2018-10-wiltshire-street.csv", or an archive path, a
	// "!" and the entry's name, e.g. "x.zip!2018-10/2018-10-wiltshire-street.csv".
	Name string
	// Size is the file's size in bytes (uncompressed, for archive entries).
	Size int64
	// Open opens the file for reading; the caller closes it. It may be
	// called more than once and from several goroutines at once.
	Open func() (io.ReadCloser, error)
}

// SkippedPath is a file or folder that Expand found but did not take as an
// input, with the reason in words.
type SkippedPath struct {
	Path   string // as Input.Name would have been
	Reason string
}

// ExpandOptions limits what Expand reads from zip archives. Zero fields take
// the defaults given on each field.
type ExpandOptions struct {
	// MaxEntrySize is the largest uncompressed size of one archive entry.
	// Default 4 GiB.
	MaxEntrySize int64
	// MaxArchiveSize is the largest total uncompressed size of the entries
	// taken from one archive. Default 64 GiB.
	MaxArchiveSize int64
	// MaxRatio is the largest uncompressed/compressed size ratio of an entry
	// bigger than RatioMinSize (a zip bomb guard). Default 1000.
	MaxRatio int64
	// RatioMinSize is the uncompressed size above which MaxRatio applies.
	// Default 100 MB.
	RatioMinSize int64
}

// Defaults of ExpandOptions.
const (
	DefaultMaxEntrySize   = 4 << 30
	DefaultMaxArchiveSize = 64 << 30
	DefaultMaxRatio       = 1000
	DefaultRatioMinSize   = 100_000_000
)

func (o ExpandOptions) withDefaults() ExpandOptions {
	if o.MaxEntrySize <= 0 {
		o.MaxEntrySize = DefaultMaxEntrySize
	}
	if o.MaxArchiveSize <= 0 {
		o.MaxArchiveSize = DefaultMaxArchiveSize
	}
	if o.MaxRatio <= 0 {
		o.MaxRatio = DefaultMaxRatio
	}
	if o.RatioMinSize <= 0 {
		o.RatioMinSize = DefaultRatioMinSize
	}
	return o
}

// inputExts are the extensions that make a file found in a folder or an
// archive an input.
var inputExts = []string{".csv", ".xlsx", ".ods", ".zip"}

func hasInputExt(name string) bool {
	lower := strings.ToLower(name)
	for _, ext := range inputExts {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}

func isZipName(name string) bool { return strings.HasSuffix(strings.ToLower(name), ".zip") }

// Expand turns command-line paths into the inputs they name, in a
// deterministic order: the paths in the order given, each folder walked
// recursively in lexical order and each archive's entries sorted by name.
//
// A path given explicitly is always an input whatever its extension, except
// that a .zip archive (by name, any case) is replaced by its entries. In a
// folder or an archive only names ending in .csv, .xlsx, .ods (any case) are
// inputs, and .zip archives found in a folder are expanded in turn. Hidden
// files and folders (names starting with ".", and __MACOSX folders in
// archives), other files, archives nested in archives and symbolic links to
// folders are not read: they come back in the skipped list (the second
// result) with a reason, as does a path met a second time. Folder entries of
// archives are passed over silently.
//
// It is an error when a path does not exist, when a symbolic link in a folder
// points outside that folder, when an archive entry has an absolute path or a
// ".." element (zip slip), or when an entry breaks the size limits of opts.
func Expand(paths []string, opts ExpandOptions) ([]Input, []SkippedPath, error) {
	e := expander{opts: opts.withDefaults(), seen: map[string]bool{}}
	for _, p := range paths {
		if err := e.expandPath(p); err != nil {
			return nil, nil, err
		}
	}
	return e.inputs, e.skipped, nil
}

type expander struct {
	opts    ExpandOptions
	inputs  []Input
	skipped []SkippedPath
	seen    map[string]bool
}

func (e *expander) skip(p, reason string) {
	e.skipped = append(e.skipped, SkippedPath{Path: p, Reason: reason})
}

func (e *expander) addFile(p string, size int64) {
	if e.seen[filepath.Clean(p)] {
		e.skip(p, "listed more than once")
		return
	}
	e.seen[filepath.Clean(p)] = true
	e.inputs = append(e.inputs, Input{Name: p, Size: size, Open: func() (io.ReadCloser, error) { return os.Open(p) }})
}

func (e *expander) expandPath(p string) error {
	fi, err := os.Stat(p)
	if err != nil {
		return fmt.Errorf("input %q: %w", p, WithoutPath(err))
	}
	switch {
	case fi.IsDir():
		return e.walk(p)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("input %q: not a regular file or folder (a device, pipe or socket): name a file, a folder or a .zip archive", p)
	case isZipName(p):
		return e.expandZip(p, fi)
	default:
		e.addFile(p, fi.Size())
		return nil
	}
}

func (e *expander) walk(root string) error {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return fmt.Errorf("input %q: %w", root, WithoutPath(err))
	}
	realRoot, err = filepath.Abs(realRoot)
	if err != nil {
		return fmt.Errorf("input %q: %w", root, WithoutPath(err))
	}
	walkRoot := root
	if li, err := os.Lstat(root); err == nil && li.Mode()&fs.ModeSymlink != 0 {
		// WalkDir does not follow a symbolic link at its root; a
		// trailing separator makes the system resolve it.
		walkRoot = root + string(filepath.Separator)
	}
	return filepath.WalkDir(walkRoot, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("input %q: %w", p, WithoutPath(err))
		}
		if p == walkRoot {
			return nil
		}
		if strings.HasPrefix(d.Name(), ".") {
			e.skip(p, "hidden")
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		fi, err := os.Stat(p) // follows symbolic links
		if err != nil {
			return fmt.Errorf("input %q: %w", p, WithoutPath(err))
		}
		if d.Type()&fs.ModeSymlink != 0 {
			target, err := filepath.EvalSymlinks(p)
			if err != nil {
				return fmt.Errorf("input %q: %w", p, WithoutPath(err))
			}
			if target, err = filepath.Abs(target); err != nil {
				return fmt.Errorf("input %q: %w", p, WithoutPath(err))
			}
			rel, err := filepath.Rel(realRoot, target)
			if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
				return fmt.Errorf("input %q: symbolic link to %q points outside the folder %q: refusing to follow it (copy the file into the folder, or name it on the command line)", p, target, root)
			}
			if fi.IsDir() {
				e.skip(p, "symbolic link to a folder (not followed)")
				return nil
			}
		}
		switch {
		case !fi.Mode().IsRegular():
			e.skip(p, "not a regular file")
		case !hasInputExt(d.Name()):
			e.skip(p, "not a .csv, .xlsx, .ods or .zip file")
		case isZipName(d.Name()):
			return e.expandZip(p, fi)
		default:
			e.addFile(p, fi.Size())
		}
		return nil
	})
}

// unsafeEntryName reports whether a zip entry name could escape the folder
// it is extracted into.
func unsafeEntryName(name string) bool {
	if name == "" || strings.HasPrefix(name, "/") || strings.HasPrefix(name, `\`) || strings.ContainsRune(name, 0) {
		return true
	}
	if len(name) >= 2 && name[1] == ':' { // a Windows drive letter
		return true
	}
	for _, elem := range strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' }) {
		if elem == ".." {
			return true
		}
	}
	return false
}

func (e *expander) expandZip(p string, fi os.FileInfo) error {
	if e.seen[filepath.Clean(p)] {
		e.skip(p, "listed more than once")
		return nil
	}
	e.seen[filepath.Clean(p)] = true
	// The entries are bound to arc, which opens the file while any of
	// them is being read.
	arc := &sharedArchive{path: p, size: fi.Size(), modTime: fi.ModTime()}
	if err := arc.acquire(); err != nil {
		return fmt.Errorf("input %q: %w", p, WithoutPath(err))
	}
	defer arc.release()
	zr, err := zip.NewReader(arc, fi.Size())
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return fmt.Errorf("input %q: read zip archive: %w", p, err)
	}
	files := append([]*zip.File(nil), zr.File...)
	sort.SliceStable(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	var total uint64
	entries := map[string]bool{}
	for _, zf := range files {
		name := zf.Name
		full := p + "!" + name
		if unsafeEntryName(name) {
			return fmt.Errorf("input %q: entry %q has an absolute path or a \"..\" element: refusing the archive (zip slip)", p, name)
		}
		if zf.FileInfo().IsDir() || strings.HasSuffix(name, "/") {
			continue
		}
		if hiddenEntry(name) {
			e.skip(full, "hidden")
			continue
		}
		if !zf.Mode().IsRegular() {
			e.skip(full, "not a regular file")
			continue
		}
		if !hasInputExt(name) {
			e.skip(full, "not a .csv, .xlsx, .ods or .zip file")
			continue
		}
		if isZipName(name) {
			e.skip(full, "zip archive inside a zip archive (not read)")
			continue
		}
		if entries[name] {
			e.skip(full, "repeated entry name in the archive")
			continue
		}
		entries[name] = true
		size := zf.UncompressedSize64
		if size > uint64(e.opts.MaxEntrySize) {
			return fmt.Errorf("input %q: entry %q is %d bytes uncompressed, over the limit of %d for an archive entry: unpack the archive and ingest its folder", p, name, size, e.opts.MaxEntrySize)
		}
		if size > uint64(e.opts.RatioMinSize) && (zf.CompressedSize64 == 0 || size/zf.CompressedSize64 > uint64(e.opts.MaxRatio)) {
			return fmt.Errorf("input %q: entry %q expands from %d to %d bytes, a ratio over %d: refusing a likely zip bomb",
				p, name, zf.CompressedSize64, size, e.opts.MaxRatio)
		}
		total += size
		if total > uint64(e.opts.MaxArchiveSize) {
			return fmt.Errorf("input %q: entries total over %d bytes uncompressed, the limit for an archive: unpack the archive and ingest its folder", p, e.opts.MaxArchiveSize)
		}
		e.inputs = append(e.inputs, Input{Name: full, Size: int64(size), Open: arc.opener(zf)})
	}
	return nil
}

func hiddenEntry(name string) bool {
	for _, elem := range strings.Split(name, "/") {
		if strings.HasPrefix(elem, ".") || elem == "__MACOSX" {
			return true
		}
	}
	return false
}

// sharedArchive reopens a zip archive on demand and shares the open file
// among the readers of its entries, closing it when the last one is closed.
// The central directory is read once, by Expand.
type sharedArchive struct {
	path    string
	size    int64
	modTime time.Time

	mu   sync.Mutex
	f    *os.File
	refs int
}

// ReadAt reads the open archive; it is only called between acquire and release.
func (a *sharedArchive) ReadAt(b []byte, off int64) (int, error) {
	a.mu.Lock()
	f := a.f
	a.mu.Unlock()
	if f == nil {
		return 0, fmt.Errorf("%q: archive is not open", a.path)
	}
	return f.ReadAt(b, off)
}

func (a *sharedArchive) acquire() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		f, err := os.Open(a.path)
		if err != nil {
			return err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return err
		}
		if fi.Size() != a.size || !fi.ModTime().Equal(a.modTime) {
			f.Close()
			return fmt.Errorf("%q: the archive changed while it was read: let the download or copy finish, then ingest again", a.path)
		}
		a.f = f
	}
	a.refs++
	return nil
}

func (a *sharedArchive) release() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.refs--
	if a.refs > 0 || a.f == nil {
		return nil
	}
	err := a.f.Close()
	a.f = nil
	return err
}

func (a *sharedArchive) opener(zf *zip.File) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) {
		if err := a.acquire(); err != nil {
			return nil, err
		}
		rc, err := zf.Open()
		if err != nil {
			a.release()
			return nil, fmt.Errorf("%q: %w", a.path+"!"+zf.Name, err)
		}
		return &entryReader{ReadCloser: rc, arc: a}, nil
	}
}

type entryReader struct {
	io.ReadCloser
	arc  *sharedArchive
	once sync.Once
}

func (r *entryReader) Close() error {
	err := r.ReadCloser.Close()
	r.once.Do(func() {
		if cerr := r.arc.release(); err == nil {
			err = cerr
		}
	})
	return err
}

// Format is the kind of an input file, found by Sniff.
type Format string

// Formats Sniff recognises.
const (
	FormatPoliceUKStreet     Format = "policeuk-street"     // data.police.uk street-level crime CSV
	FormatPoliceUKOutcomes   Format = "policeuk-outcomes"   // data.police.uk outcomes CSV
	FormatPoliceUKStopSearch Format = "policeuk-stopsearch" // data.police.uk stop and search CSV (recognised, not ingested)
	FormatHomeOfficeCSV      Format = "homeoffice-csv"      // Home Office police recorded crime open data as CSV
	FormatXLSX               Format = "xlsx"                // an Excel workbook
	FormatODS                Format = "ods"                 // an OpenDocument spreadsheet
)

// oleMagic starts an OLE2 compound file (an encrypted .xlsx, an .xls).
var oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// Header prefixes that identify the CSV formats. A data.police.uk street
// file and an outcomes file both start with PoliceUKStreetHeader; an
// outcomes file has an "Outcome type" column and no "Crime type".
const (
	PoliceUKStreetHeader     = "Crime ID,Month,Reported by,Falls within"
	PoliceUKStopSearchHeader = "Type,Date,Part of a policing operation"
	HomeOfficeCSVHeader      = "Financial Year,Financial Quarter,Force Name"
)

// ReasonStopAndSearch is why a data.police.uk stop and search file is not
// ingested, as the ingest summary and the manifest give it.
const ReasonStopAndSearch = "stop and search: not crime; not ingested"

// ReasonNorthernIreland is why a data.police.uk file of the Police Service
// of Northern Ireland is not ingested.
const ReasonNorthernIreland = "Police Service of Northern Ireland: not an England and Wales force; not ingested"

const sniffSize = 4096

// Sniff finds an input's format from its first bytes: a CSV by its header
// line (after an optional UTF-8 byte order mark), a spreadsheet by the zip
// signature plus its name (.xlsx, .ods) or its first entry. An OLE2
// compound file (a password-protected .xlsx, an Excel 97-2003 .xls) is
// FormatXLSX: the workbook opener says what it is and what to do. Which
// kind of workbook an .xlsx is (an ONS release, a Home Office table) is
// found from its content by the ingest (pipeline), which reads it whole.
// Anything else is a *RowError wrapping ErrUnknownFormat that quotes the
// first line, or says it is UTF-16 text or a binary file.
func Sniff(in Input) (Format, error) {
	rc, err := in.Open()
	if err != nil {
		return "", fmt.Errorf("open %q: %w", in.Name, WithoutPath(err))
	}
	defer rc.Close()
	buf := make([]byte, sniffSize)
	n, err := io.ReadFull(rc, buf)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return "", fmt.Errorf("read %q: %w", in.Name, WithoutPath(err))
	}
	return sniffBytes(in.Name, buf[:n])
}

// hasColumn says whether the header line has a column named col (any case,
// spaces around it allowed; quotes around it too).
func hasColumn(line []byte, col string) bool {
	for _, f := range bytes.Split(line, []byte(",")) {
		f = bytes.Trim(bytes.TrimSpace(f), `"`)
		if strings.EqualFold(string(f), col) {
			return true
		}
	}
	return false
}

func sniffBytes(name string, b []byte) (Format, error) {
	lower := strings.ToLower(name)
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		switch {
		case bytes.Contains(b, []byte("mimetypeapplication/vnd.oasis.opendocument.spreadsheet")):
			return FormatODS, nil
		case strings.HasSuffix(lower, ".ods"):
			return FormatODS, nil
		case strings.HasSuffix(lower, ".xlsx"), bytes.Contains(b, []byte("[Content_Types].xml")) && bytes.Contains(b, []byte("xl/")):
			return FormatXLSX, nil
		}
		return "", &RowError{File: name, Err: ErrUnknownFormat,
			Want: "a police.uk street-level CSV, a Home Office CSV, or an .xlsx or .ods spreadsheet (this is a zip archive not named .xlsx or .ods)"}
	}
	if bytes.HasPrefix(b, oleMagic) {
		// An OLE2 compound file: a password-protected .xlsx or an Excel
		// 97-2003 .xls. The workbook opener, which reads the whole file,
		// says which and what to do.
		return FormatXLSX, nil
	}
	if bytes.HasPrefix(b, []byte("\xFF\xFE")) || bytes.HasPrefix(b, []byte("\xFE\xFF")) {
		return "", &RowError{File: name, Err: fmt.Errorf("%w: UTF-16 text (as Excel saves \"Unicode Text\")", ErrUnknownFormat),
			Want: "a CSV file in UTF-8: open it in Excel or LibreOffice and save it as \"CSV UTF-8 (comma delimited)\""}
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	line := b
	if i := bytes.IndexAny(line, "\r\n"); i >= 0 {
		line = line[:i]
	}
	switch {
	case bytes.HasPrefix(line, []byte(PoliceUKStreetHeader)):
		if hasColumn(line, "Outcome type") && !hasColumn(line, "Crime type") {
			return FormatPoliceUKOutcomes, nil
		}
		return FormatPoliceUKStreet, nil
	case bytes.HasPrefix(line, []byte(PoliceUKStopSearchHeader)):
		return FormatPoliceUKStopSearch, nil
	case bytes.HasPrefix(line, []byte(HomeOfficeCSVHeader)):
		return FormatHomeOfficeCSV, nil
	}
	if bytes.IndexByte(line, 0) >= 0 {
		// A binary file: its first bytes would mean nothing in a message.
		return "", &RowError{File: name, Err: fmt.Errorf("%w: a binary file, not text", ErrUnknownFormat),
			Want: "a police.uk street-level CSV, a Home Office CSV, or an .xlsx or .ods spreadsheet"}
	}
	e := &RowError{File: name, Row: 1, Value: string(line), Err: ErrUnknownFormat,
		Want: fmt.Sprintf("a header starting %q (police.uk street-level or outcomes), %q (police.uk stop and search) or %q (Home Office), or an .xlsx or .ods spreadsheet",
			PoliceUKStreetHeader, PoliceUKStopSearchHeader, HomeOfficeCSVHeader)}
	if len(b) == 0 {
		e.Row, e.Want = 0, "a header line, not an empty file"
	}
	return "", e
}
