package datasets

import (
	"archive/zip"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// writeFile writes data to dir/name, making folders as needed.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

type zipEntry struct {
	name, data string
	store      bool // no compression
}

// writeZip writes a zip archive with entries in the order given.
func writeZip(t *testing.T, path string, entries ...zipEntry) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.store {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readInput(t *testing.T, in Input) string {
	t.Helper()
	rc, err := in.Open()
	if err != nil {
		t.Fatalf("open %s: %v", in.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatalf("read %s: %v", in.Name, err)
	}
	return string(b)
}

func TestExpandFolder(t *testing.T) {
	dir := t.TempDir()
	root := filepath.Join(dir, "data")
	j := func(parts ...string) string { return filepath.Join(append([]string{root}, parts...)...) }
	writeFile(t, root, "2018-10/2018-10-wiltshire-street.csv", "w10")
	writeFile(t, root, "2018-10/2018-10-sussex-street.CSV", "s10")
	writeFile(t, root, "notes.txt", "n")
	writeFile(t, root, ".hidden/x.csv", "h")
	writeFile(t, root, ".DS_Store", "d")
	writeFile(t, root, "book.xlsx", "x")
	writeFile(t, root, "sheet.ODS", "o")
	writeZip(t, j("more.zip"),
		zipEntry{name: "2018-11/2018-11-wiltshire-street.csv", data: "w11"},
		zipEntry{name: "2018-11/"},
		zipEntry{name: "README.txt", data: "r"},
		zipEntry{name: "__MACOSX/2018-11/._x.csv", data: "m"},
		zipEntry{name: "2018-11/2018-11-sussex-street.csv", data: "s11", store: true},
		zipEntry{name: "inner.zip", data: "z"},
	)
	if err := os.Symlink(j("2018-10", "2018-10-wiltshire-street.csv"), j("link.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(j("2018-10"), j("linkdir")); err != nil {
		t.Fatal(err)
	}
	explicit := writeFile(t, dir, "extra.txt", "e")

	inputs, skipped, err := Expand([]string{root, explicit, root + string(filepath.Separator) + "book.xlsx"}, ExpandOptions{})
	if err != nil {
		t.Fatal(err)
	}
	zipName := j("more.zip")
	wantNames := []string{
		j("2018-10", "2018-10-sussex-street.CSV"),
		j("2018-10", "2018-10-wiltshire-street.csv"),
		j("book.xlsx"),
		j("link.csv"),
		zipName + "!2018-11/2018-11-sussex-street.csv",
		zipName + "!2018-11/2018-11-wiltshire-street.csv",
		j("sheet.ODS"),
		explicit,
	}
	wantData := []string{"s10", "w10", "x", "w10", "s11", "w11", "o", "e"}
	var gotNames, gotData []string
	for _, in := range inputs {
		gotNames = append(gotNames, in.Name)
		gotData = append(gotData, readInput(t, in))
		if in.Size != int64(len(gotData[len(gotData)-1])) {
			t.Errorf("%s: Size %d, read %d bytes", in.Name, in.Size, len(gotData[len(gotData)-1]))
		}
	}
	if !reflect.DeepEqual(gotNames, wantNames) {
		t.Errorf("inputs:\n got %q\nwant %q", gotNames, wantNames)
	}
	if !reflect.DeepEqual(gotData, wantData) {
		t.Errorf("contents: got %q, want %q", gotData, wantData)
	}
	wantSkipped := []SkippedPath{
		{j(".DS_Store"), "hidden"},
		{j(".hidden"), "hidden"},
		{j("linkdir"), "symbolic link to a folder (not followed)"},
		{zipName + "!README.txt", "not a .csv, .xlsx, .ods or .zip file"},
		{zipName + "!__MACOSX/2018-11/._x.csv", "hidden"},
		{zipName + "!inner.zip", "zip archive inside a zip archive (not read)"},
		{j("notes.txt"), "not a .csv, .xlsx, .ods or .zip file"},
		{j("book.xlsx"), "listed more than once"},
	}
	if !reflect.DeepEqual(skipped, wantSkipped) {
		t.Errorf("skipped:\n got %q\nwant %q", skipped, wantSkipped)
	}

	// A symbolic link to the folder, given as the path, is walked.
	rootLink := filepath.Join(dir, "rootlink")
	if err := os.Symlink(root, rootLink); err != nil {
		t.Fatal(err)
	}
	viaLink, _, err := Expand([]string{rootLink}, ExpandOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(viaLink) != len(wantNames)-1 || !strings.HasPrefix(viaLink[0].Name, rootLink+string(filepath.Separator)) {
		var names []string
		for _, in := range viaLink {
			names = append(names, in.Name)
		}
		t.Errorf("through a link to the folder: got %q, want the %d inputs of the folder under %s", names, len(wantNames)-1, rootLink)
	}

	// The same call gives the same answer.
	again, _, err := Expand([]string{root, explicit, root + string(filepath.Separator) + "book.xlsx"}, ExpandOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		if again[i].Name != inputs[i].Name {
			t.Errorf("second Expand: input %d is %s, first gave %s", i, again[i].Name, inputs[i].Name)
		}
	}
}

func TestExpandZipConcurrentOpen(t *testing.T) {
	dir := t.TempDir()
	var entries []zipEntry
	for i := range 20 {
		entries = append(entries, zipEntry{name: string(rune('a'+i)) + ".csv", data: strings.Repeat(string(rune('a'+i)), 10000+i)})
	}
	p := writeZip(t, filepath.Join(dir, "x.ZIP"), entries...)
	inputs, skipped, err := Expand([]string{p}, ExpandOptions{})
	if err != nil || len(skipped) != 0 || len(inputs) != 20 {
		t.Fatalf("Expand: %d inputs, skipped %v, err %v; want 20, none, nil", len(inputs), skipped, err)
	}
	var wg sync.WaitGroup
	for i, in := range inputs {
		wg.Go(func() {
			rc, err := in.Open()
			if err != nil {
				t.Error(err)
				return
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Error(err)
				return
			}
			if want := entries[i].data; string(b) != want {
				t.Errorf("%s: read %d bytes, want %d", in.Name, len(b), len(want))
			}
		})
	}
	wg.Wait()
	// Every reader is closed, so the archive must be too.
	rc, err := inputs[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	rc.Close()
	rc.Close() // a second Close must not release twice
	if _, err := readAllInput(inputs[1]); err != nil {
		t.Fatalf("open after double close: %v", err)
	}
}

func readAllInput(in Input) ([]byte, error) {
	rc, err := in.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func TestExpandErrors(t *testing.T) {
	dir := t.TempDir()
	outside := writeFile(t, dir, "outside/secret.csv", "s")
	linkRoot := filepath.Join(dir, "linked")
	writeFile(t, linkRoot, "ok.csv", "o")
	if err := os.Symlink(outside, filepath.Join(linkRoot, "escape.csv")); err != nil {
		t.Fatal(err)
	}
	dirLinkRoot := filepath.Join(dir, "dirlinked")
	writeFile(t, dirLinkRoot, "ok.csv", "o")
	if err := os.Symlink(filepath.Dir(outside), filepath.Join(dirLinkRoot, "escape")); err != nil {
		t.Fatal(err)
	}
	slip := writeZip(t, filepath.Join(dir, "slip.zip"), zipEntry{name: "ok.csv", data: "o"}, zipEntry{name: "../../evil.csv", data: "e"})
	slipMid := writeZip(t, filepath.Join(dir, "slipmid.zip"), zipEntry{name: "a/../../evil.csv", data: "e"})
	abs := writeZip(t, filepath.Join(dir, "abs.zip"), zipEntry{name: "/etc/evil.csv", data: "e"})
	winAbs := writeZip(t, filepath.Join(dir, "winabs.zip"), zipEntry{name: `C:\evil.csv`, data: "e"})
	bomb := writeZip(t, filepath.Join(dir, "bomb.zip"), zipEntry{name: "zeros.csv", data: strings.Repeat("0", 200_000)})
	big := writeZip(t, filepath.Join(dir, "big.zip"), zipEntry{name: "a.csv", data: strings.Repeat("a", 1000), store: true},
		zipEntry{name: "b.csv", data: strings.Repeat("b", 1000), store: true})
	notZip := writeFile(t, dir, "fake.zip", "not a zip")

	tests := []struct {
		name    string
		paths   []string
		opts    ExpandOptions
		contain []string
	}{
		{name: "missing path", paths: []string{filepath.Join(dir, "nope")}, contain: []string{"nope", "no such file"}},
		{name: "symlink out of the folder", paths: []string{linkRoot}, contain: []string{"escape.csv", "outside the folder"}},
		{name: "folder symlink out of the folder", paths: []string{dirLinkRoot}, contain: []string{"escape", "outside the folder"}},
		{name: "zip slip", paths: []string{slip}, contain: []string{"slip.zip", `"../../evil.csv"`, "zip slip"}},
		{name: "zip slip in the middle", paths: []string{slipMid}, contain: []string{`"a/../../evil.csv"`, "zip slip"}},
		{name: "absolute entry", paths: []string{abs}, contain: []string{`"/etc/evil.csv"`, "absolute"}},
		{name: "windows absolute entry", paths: []string{winAbs}, contain: []string{`C:\\evil.csv`, "absolute"}},
		{name: "zip bomb", paths: []string{bomb}, opts: ExpandOptions{RatioMinSize: 100_000, MaxRatio: 100},
			contain: []string{"zeros.csv", "zip bomb"}},
		{name: "entry too big", paths: []string{big}, opts: ExpandOptions{MaxEntrySize: 999},
			contain: []string{`"a.csv"`, "1000 bytes", "limit of 999"}},
		{name: "archive too big", paths: []string{big}, opts: ExpandOptions{MaxArchiveSize: 1999},
			contain: []string{"big.zip", "the limit for an archive"}},
		{name: "not a zip", paths: []string{notZip}, contain: []string{"fake.zip", "zip"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inputs, _, err := Expand(tt.paths, tt.opts)
			if err == nil {
				t.Fatalf("Expand succeeded with %d inputs; want an error", len(inputs))
			}
			for _, c := range tt.contain {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("error %q does not contain %q", err, c)
				}
			}
		})
	}

	// The limits pass when the archive is within them.
	if _, _, err := Expand([]string{big}, ExpandOptions{MaxEntrySize: 1000, MaxArchiveSize: 2000}); err != nil {
		t.Errorf("archive within limits: %v", err)
	}
	if _, _, err := Expand([]string{bomb}, ExpandOptions{}); err != nil {
		t.Errorf("200 KB of zeros under the default limits: %v", err)
	}
}

func TestExpandArchiveChanged(t *testing.T) {
	dir := t.TempDir()
	p := writeZip(t, filepath.Join(dir, "x.zip"), zipEntry{name: "a.csv", data: "a"})
	inputs, _, err := Expand([]string{p}, ExpandOptions{})
	if err != nil {
		t.Fatal(err)
	}
	writeZip(t, p, zipEntry{name: "a.csv", data: "a longer entry"}, zipEntry{name: "b.csv", data: "b"})
	if _, err := inputs[0].Open(); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("open after the archive changed: got %v, want an error saying it changed", err)
	}
}

func TestSniff(t *testing.T) {
	dir := t.TempDir()
	var xlsx, ods bytes.Buffer
	zw := zip.NewWriter(&xlsx)
	w, _ := zw.Create("[Content_Types].xml")
	io.WriteString(w, "<Types/>")
	zw.Create("xl/workbook.xml")
	zw.Close()
	zw = zip.NewWriter(&ods)
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	io.WriteString(w, "application/vnd.oasis.opendocument.spreadsheet")
	zw.Close()

	tests := []struct {
		name, data string
		want       Format
		wantErr    bool
		contain    string
	}{
		{name: "street.csv", data: "Crime ID,Month,Reported by,Falls within,Longitude\n,2018-10", want: FormatPoliceUKStreet},
		{name: "bom.csv", data: "\xEF\xBB\xBFCrime ID,Month,Reported by,Falls within\r\n", want: FormatPoliceUKStreet},
		{name: "ho.csv", data: "Financial Year,Financial Quarter,Force Name,Offence Description\n", want: FormatHomeOfficeCSV},
		{name: "outcomes.csv", data: "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type\n", want: FormatPoliceUKOutcomes},
		{name: "outcomes-quoted.csv", data: "\xEF\xBB\xBFCrime ID,Month,Reported by,Falls within,\"outcome type\"\r\n", want: FormatPoliceUKOutcomes},
		{name: "street-with-outcome.csv", data: "Crime ID,Month,Reported by,Falls within,Crime type,Outcome type\n", want: FormatPoliceUKStreet},
		{name: "stop-and-search.csv", data: "Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender\n", want: FormatPoliceUKStopSearch},
		{name: "book.xlsx", data: "PK\x03\x04rest", want: FormatXLSX},
		{name: "book.bin", data: xlsx.String(), want: FormatXLSX},
		{name: "sheet.ods", data: "PK\x03\x04rest", want: FormatODS},
		{name: "sheet.bin", data: ods.String(), want: FormatODS},
		{name: "archive.bin", data: "PK\x03\x04rest", wantErr: true, contain: "zip archive"},
		{name: "other.csv", data: "Force,Month,Count\n1,2,3\n", wantErr: true, contain: `"Force,Month,Count"`},
		{name: "empty.csv", data: "", wantErr: true, contain: "empty"},
		// An OLE2 compound file (encrypted .xlsx, .xls): the workbook
		// opener says which.
		{name: "locked.xlsx", data: "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", want: FormatXLSX},
		{name: "old.xls", data: "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", want: FormatXLSX},
		{name: "unicode.csv", data: "\xFF\xFEC\x00r\x00", wantErr: true,
			contain: `unrecognised input format: UTF-16 text (as Excel saves "Unicode Text"): want a CSV file in UTF-8: open it in Excel or LibreOffice and save it as "CSV UTF-8 (comma delimited)"`},
		{name: "binary.csv", data: "\x00\x01\x02\xff\xfe junk\nmore", wantErr: true,
			contain: `.csv": unrecognised input format: a binary file, not text: want a police.uk street-level CSV`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := writeFile(t, dir, tt.name, tt.data)
			inputs, _, err := Expand([]string{p}, ExpandOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := Sniff(inputs[0])
			if tt.wantErr {
				var re *RowError
				if !errors.Is(err, ErrUnknownFormat) || !errors.As(err, &re) || re.File != p {
					t.Fatalf("Sniff = %q, %v; want a *RowError for %s wrapping ErrUnknownFormat", got, err, p)
				}
				if !strings.Contains(err.Error(), tt.contain) {
					t.Errorf("error %q does not contain %q", err, tt.contain)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Sniff = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
