package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// controlNames are file names that would split or forge a line of stderr
// if printed as they are: a newline, a carriage return, a tab, a quote, a
// terminal escape, a Unicode line separator.
var controlNames = []string{
	"a\nb.csv",
	"fake\rcrimetrends: ok.csv",
	"tab\there.csv",
	`quote"d.csv`,
	"esc\x1b[31mred.csv",
	"line\u2028sep.csv",
}

// TestControlCharacterNames ingests a file with a bad row under each name
// of controlNames: stderr must be one line naming the file quoted; and,
// with --log-format json, a folder holding such files (one an input, one
// not) must give stderr lines that are each one JSON record, the final
// error included.
func TestControlCharacterNames(t *testing.T) {
	for _, name := range controlNames {
		t.Run(strconv.Quote(name), func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writeFile(t, filepath.Join(dir, "in", name), []byte(streetHeader+"\n"+
				"c001,Jan 2019,Wiltshire Police,Wiltshire Police,-1.8,51.5,On or near Park Road,E01031000,Swindon 001A,Burglary,Under investigation,\n"))
			path := filepath.Join("in", name)
			r := run(t, dir, "ingest", "--data", "data", path)
			if r.code != 1 {
				t.Fatalf("exit %d, want 1\nstderr: %q", r.code, r.stderr)
			}
			if lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n"); len(lines) != 1 || strings.ContainsAny(r.stderr[:len(r.stderr)-1], "\r\x1b\u2028") {
				t.Errorf("stderr is not one plain line: %q", r.stderr)
			}
			if want := strconv.Quote(path) + ` row 2 column "Month"`; !strings.Contains(r.stderr, want) {
				t.Errorf("stderr does not name the file quoted (%s): %q", want, r.stderr)
			}

			// A folder with an input and a file that is not one, both
			// named so, logged as JSON: every line is one record.
			folder := filepath.Join(dir, "folder")
			writeFile(t, filepath.Join(folder, name), []byte(streetHeader+"\n"+streetRow+"\n"))
			writeFile(t, filepath.Join(folder, name+".txt"), []byte("notes\n"))
			for _, args := range [][]string{
				{"--log-format", "json", "ingest", "--data", "data", folder},       // succeeds, warns about the .txt
				{"--log-format", "json", "ingest", "--data", "data", folder, path}, // fails on the bad row
				{"--log-format", "json", "ingest", "--data", "data", filepath.Join(dir, "nowhere", name)},
			} {
				r := run(t, dir, args...)
				lines := strings.Split(strings.TrimSuffix(r.stderr, "\n"), "\n")
				for i, line := range lines {
					var rec map[string]any
					if err := json.Unmarshal([]byte(line), &rec); err != nil {
						t.Errorf("%q: stderr line %d is not a JSON record (%v): %q\nall of stderr: %q", args, i+1, err, line, r.stderr)
						continue
					}
					if lvl := rec["level"]; r.code != 0 && i == len(lines)-1 && (lvl != "ERROR" || rec["exit_status"] != float64(r.code)) {
						t.Errorf("%q: the last record is not the error with its exit status %d: %q", args, r.code, line)
					}
				}
				if r.code == 0 && !strings.Contains(r.stderr, `"not an input"`) {
					t.Errorf("%q: no record for the file that is not an input: %q", args, r.stderr)
				}
			}
			if err := os.RemoveAll(dir); err != nil {
				t.Log(err)
			}
		})
	}
}
