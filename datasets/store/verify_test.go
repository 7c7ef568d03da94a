package store

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// findings gives "path: what" for each finding, what cut at its first
// colon or parenthesis so that tests match a stable head.
func findings(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Path+": "+f.What)
	}
	return out
}

// killAdd adds es to the store in dir and stops it at stage as a kill
// would.
func killAdd(t *testing.T, s *Store, stage string, es ...*datasets.Extract) {
	t.Helper()
	setHook(t, func(st string) bool { return st == stage })
	if _, err := s.Add(context.Background(), es); !errors.Is(err, errKilled) {
		t.Fatalf("Add: %v, want it killed at %q", err, stage)
	}
	addHook = noHook
}

// stripFiles rewrites a vintage record without its "files", as an earlier
// crimetrends wrote it.
func stripFiles(t *testing.T, p string) {
	t.Helper()
	data, err := os.ReadFile(p)
	must(t, err)
	var vj vintageJSON
	must(t, json.Unmarshal(data, &vj))
	vj.Files = nil
	out, err := json.MarshalIndent(vj, "", "  ")
	must(t, err)
	must(t, os.WriteFile(p, append(out, '\n'), 0o644))
}

func TestVerify(t *testing.T) {
	tests := []struct {
		name     string
		spoil    func(t *testing.T, dir string)
		problems []string // regular expressions, in order
		notes    []string
	}{
		{"whole", func(*testing.T, string) {}, nil, nil},
		{"torn last line", func(t *testing.T, dir string) {
			appendFile(t, filepath.Join(dir, CatalogFile), `{"format":3,"id":"v000004"`)
		}, []string{`^catalog.json: the last line is torn: 26 bytes`}, nil},
		{"last line without its newline", func(t *testing.T, dir string) {
			p := filepath.Join(dir, CatalogFile)
			data, err := os.ReadFile(p)
			must(t, err)
			must(t, os.WriteFile(p, data[:len(data)-1], 0o644))
		}, nil, []string{`^catalog.json: the last line has no newline`}},
		{"missing parquet", func(t *testing.T, dir string) { must(t, os.Remove(filepath.Join(dir, fileOf("v000002", pu)))) },
			[]string{`^counts/v000002-policeuk.parquet: missing \(named by catalog/v000002.json\)$`}, nil},
		{"changed parquet", func(t *testing.T, dir string) { appendFile(t, filepath.Join(dir, pubFileOf("v000002", onsSrc)), "x") },
			[]string{`^published/v000002-ons-pfa.parquet: SHA-256 [0-9a-f]{64}, \d+ bytes: catalog/v000002.json records [0-9a-f]{64}, \d+ bytes: the file was changed or replaced$`}, nil},
		{"another vintage's parquet in its place, without hashes", func(t *testing.T, dir string) {
			stripFiles(t, filepath.Join(dir, "catalog/v000003.json"))
			data, err := os.ReadFile(filepath.Join(dir, fileOf("v000001", pu)))
			must(t, err)
			must(t, os.WriteFile(filepath.Join(dir, fileOf("v000003", pu)), data, 0o644))
		}, []string{`^counts/v000003-policeuk.parquet: row 1: input_sha256 "[0-9a-f]{64}" names no input of vintage v000003`},
			[]string{`^catalog/v000003.json: no SHA-256 of the vintage's files recorded \(written by an earlier crimetrends\)`}},
		{"missing outcomes and Crime IDs", func(t *testing.T, dir string) {
			must(t, os.Remove(filepath.Join(dir, "outcomes/v000003-policeuk-outcomes.parquet")))
			must(t, os.Remove(filepath.Join(dir, "crimeids/v000003.parquet")))
		}, []string{
			`^outcomes/v000003-policeuk-outcomes.parquet: missing \(named by catalog/v000003.json\)$`,
			`^crimeids/v000003.parquet: missing \(named by catalog/v000003.json\)$`,
		}, nil},
		{"changed Crime IDs", func(t *testing.T, dir string) { appendFile(t, filepath.Join(dir, "crimeids/v000003.parquet"), "x") },
			[]string{`^crimeids/v000003.parquet: SHA-256 [0-9a-f]{64}, \d+ bytes: catalog/v000003.json records [0-9a-f]{64}, \d+ bytes: the file was changed or replaced$`}, nil},
		{"outcomes and Crime IDs of another vintage, without hashes", func(t *testing.T, dir string) {
			stripFiles(t, filepath.Join(dir, "catalog/v000003.json"))
			// Vintage 4's files put in place of vintage 3's.
			other := t.TempDir()
			s := openStore(t, other)
			mustAdd(t, s, monthExtract("x.csv", 1, 1))
			mustAdd(t, s, monthExtract("y.csv", 2, 1))
			mustAdd(t, s, streetWithIDs(t, "z.csv", month(2018, 12), 16, 32),
				outcomesExtract("g.csv", outcome(wiltshire, month(2018, 12), "Burglary", "Suspect charged", 5)))
			for _, f := range []string{"outcomes/v000003-policeuk-outcomes.parquet", "crimeids/v000003.parquet"} {
				data, err := os.ReadFile(filepath.Join(other, f))
				must(t, err)
				must(t, os.WriteFile(filepath.Join(dir, f), data, 0o644))
			}
		}, []string{`^outcomes/v000003-policeuk-outcomes.parquet: row 1: input_sha256 "[0-9a-f]{64}" names no input of vintage v000003`,
			`^crimeids/v000003.parquet: 2 crime keys: want 3 as in catalog/v000003.json$`},
			[]string{`^catalog/v000003.json: no SHA-256 of the vintage's files recorded`}},
		{"extra outcomes and Crime ID files", func(t *testing.T, dir string) {
			for _, name := range []string{"outcomes/v000002-policeuk-outcomes.parquet", "crimeids/v000001.parquet", "crimeids/mine.parquet"} {
				must(t, os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644))
			}
		}, []string{
			`^outcomes/v000002-policeuk-outcomes.parquet: no vintage record of catalog.json lists it$`,
			`^crimeids/v000001.parquet: no vintage record of catalog.json lists it$`,
			`^crimeids/mine.parquet: not a file of the dataset: no vintage record lists it$`,
		}, nil},
		{"a release note of no release of its input", func(t *testing.T, dir string) {
			p := filepath.Join(dir, "catalog/v000002.json")
			data, err := os.ReadFile(p)
			must(t, err)
			must(t, os.WriteFile(p, []byte(strings.Replace(string(data), `"release": "ons-pfa-2019-03",`, `"release": "ons-pfa-2019-06",`, 1)), 0o644))
		}, []string{`^catalog/v000002.json: input "c.xlsx": release note "Table P1: a note on every figure." of "ons-pfa-2019-06": want one of the extract's releases`}, nil},
		{"bad vintage record", func(t *testing.T, dir string) {
			must(t, os.WriteFile(filepath.Join(dir, "catalog/v000001.json"), []byte("{"), 0o644))
		}, []string{`^catalog/v000001.json: unexpected EOF$`}, nil},
		{"extra files", func(t *testing.T, dir string) {
			for _, name := range []string{"counts/mine.parquet", "counts/v000001-homeoffice.parquet", "catalog/v000009.json"} {
				must(t, os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644))
			}
			must(t, os.Mkdir(filepath.Join(dir, "published/old"), 0o755))
		}, []string{
			`^catalog/v000009.json: a file of vintage v000009, which catalog.json does not list: catalog.json is missing, empty or older than the files`,
			`^counts/v000001-homeoffice.parquet: no vintage record of catalog.json lists it$`,
			`^counts/mine.parquet: not a file of the dataset: no vintage record lists it$`,
			`^published/old/: a folder: not part of the dataset$`,
		}, nil},
		{"stale index", func(t *testing.T, dir string) {
			p := filepath.Join(dir, CatalogFile)
			data, err := os.ReadFile(p)
			must(t, err)
			lines := strings.SplitAfter(string(data), "\n")
			must(t, os.WriteFile(p, []byte(lines[0]+lines[1]), 0o644))
		}, []string{
			`^catalog/v000003.json: a file of vintage v000003, which catalog.json does not list`,
			`^counts/v000003-policeuk.parquet: a file of vintage v000003, which catalog.json does not list`,
			`^outcomes/v000003-policeuk-outcomes.parquet: a file of vintage v000003, which catalog.json does not list`,
			`^crimeids/v000003.parquet: a file of vintage v000003, which catalog.json does not list`,
		}, nil},
		{"missing index", func(t *testing.T, dir string) { must(t, os.Remove(filepath.Join(dir, CatalogFile))) },
			[]string{`^catalog.json: missing: nothing lists the vintages whose files are there; run crimetrends repair`,
				`^catalog/v000001.json: a file of vintage v000001`, `^catalog/v000002.json: a file`, `^catalog/v000003.json: a file`,
				`^counts/v000001-policeuk.parquet: a file`, `^counts/v000002-policeuk.parquet: a file`,
				`^counts/v000003-policeuk.parquet: a file`, `^published/v000002-ons-pfa.parquet: a file`,
				`^outcomes/v000003-policeuk-outcomes.parquet: a file`, `^crimeids/v000003.parquet: a file`}, nil},
		{"unreadable index", func(t *testing.T, dir string) {
			must(t, os.WriteFile(filepath.Join(dir, CatalogFile), []byte("{\n"), 0o644))
		}, []string{`^catalog.json: line 1: unexpected EOF; nothing can be checked against it: run crimetrends repair`}, nil},
		{"a killed ingest's leftovers", func(t *testing.T, dir string) {
			killAdd(t, openStore(t, dir), "renamed "+fileOf("v000004", pu), monthExtract("e.csv", 9, 4))
			must(t, os.WriteFile(filepath.Join(dir, "counts/.v000004-homeoffice.parquet.tmp"), []byte("x"), 0o644))
		}, nil, []string{
			`^counts/v000004-policeuk.parquet: left by an ingest that did not finish, or is running now: not part of the dataset \(the next ingest removes it\)$`,
			`^catalog/.v000004.json.tmp: a temporary file of an ingest that did not finish`,
			`^counts/.v000004-homeoffice.parquet.tmp: a temporary file`,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			threeVintages(t, dir)
			tc.spoil(t, dir)
			before := stateOf(t, dir)
			rep, err := Verify(context.Background(), dir, Options{})
			must(t, err)
			sameState(t, "after Verify", stateOf(t, dir), before)
			match := func(what string, got []Finding, want []string) {
				g := findings(got)
				if len(g) != len(want) {
					t.Errorf("%s:\n got %q\nwant %q", what, g, want)
					return
				}
				for i, re := range want {
					if !regexp.MustCompile(re).MatchString(g[i]) {
						t.Errorf("%s %d: %q does not match %q", what, i+1, g[i], re)
					}
				}
			}
			match("problems", rep.Problems, tc.problems)
			match("notes", rep.Notes, tc.notes)
			if rep.Whole() != (len(tc.problems) == 0) {
				t.Errorf("Whole() = %v with problems %q", rep.Whole(), findings(rep.Problems))
			}
			if tc.name == "whole" && (rep.Vintages != 3 || rep.Inputs != 5 || rep.Files != 6) {
				t.Errorf("whole: %d vintages, %d inputs, %d files; want 3, 5, 6", rep.Vintages, rep.Inputs, rep.Files)
			}
		})
	}
	if _, err := Verify(context.Background(), filepath.Join(t.TempDir(), "none"), Options{}); err == nil {
		t.Errorf("Verify of a folder that does not exist: no error")
	}
}

func TestRepair(t *testing.T) {
	type want struct {
		err      string // empty: success
		rebuilt  bool
		saved    bool
		deleted  []string
		extra    []string
		vintages int
	}
	tests := []struct {
		name        string
		spoil       func(t *testing.T, dir string, ix [3][]byte)
		deleteExtra bool
		want        want
	}{
		{"whole", func(*testing.T, string, [3][]byte) {}, false, want{vintages: 3}},
		{"missing", func(t *testing.T, dir string, _ [3][]byte) { must(t, os.Remove(filepath.Join(dir, CatalogFile))) },
			false, want{rebuilt: true, vintages: 3}},
		{"torn", func(t *testing.T, dir string, _ [3][]byte) {
			appendFile(t, filepath.Join(dir, CatalogFile), `{"format":3,"id":"v0`)
		}, false, want{rebuilt: true, vintages: 3}},
		{"unreadable line", func(t *testing.T, dir string, ix [3][]byte) {
			must(t, os.WriteFile(filepath.Join(dir, CatalogFile), append([]byte("garbage\n"), ix[2]...), 0o644))
		}, false, want{rebuilt: true, saved: true, vintages: 3}},
		{"extra kept", func(t *testing.T, dir string, _ [3][]byte) {
			must(t, os.WriteFile(filepath.Join(dir, "counts/mine.parquet"), []byte("x"), 0o644))
			must(t, os.WriteFile(filepath.Join(dir, "counts/.v000007-policeuk.parquet.tmp"), []byte("x"), 0o644))
		}, false, want{vintages: 3, extra: []string{"counts/mine.parquet"}}},
		{"extra deleted", func(t *testing.T, dir string, _ [3][]byte) {
			must(t, os.WriteFile(filepath.Join(dir, "counts/mine.parquet"), []byte("x"), 0o644))
			must(t, os.WriteFile(filepath.Join(dir, "published/v000001-policeuk.parquet"), []byte("x"), 0o644))
			must(t, os.Mkdir(filepath.Join(dir, "counts/sub"), 0o755))
		}, true, want{vintages: 3, deleted: []string{"counts/mine.parquet", "published/v000001-policeuk.parquet"}, extra: []string{"counts/sub/"}}},
		{"extra outcomes and Crime IDs deleted", func(t *testing.T, dir string, _ [3][]byte) {
			must(t, os.WriteFile(filepath.Join(dir, "crimeids/v000002.parquet"), []byte("x"), 0o644))
			must(t, os.WriteFile(filepath.Join(dir, "outcomes/v000001-policeuk-outcomes.parquet"), []byte("x"), 0o644))
		}, true, want{vintages: 3, deleted: []string{"crimeids/v000002.parquet", "outcomes/v000001-policeuk-outcomes.parquet"}}},
		{"missing Crime IDs", func(t *testing.T, dir string, _ [3][]byte) {
			must(t, os.Remove(filepath.Join(dir, CatalogFile)))
			must(t, os.Remove(filepath.Join(dir, "crimeids/v000003.parquet")))
		}, false, want{err: "crimeids/v000003.parquet: missing (named by catalog/v000003.json)"}},
		{"a killed ingest's leftovers, index as it found it", func(t *testing.T, dir string, _ [3][]byte) {
			killAdd(t, openStore(t, dir), "renamed catalog/v000004.json", monthExtract("e.csv", 9, 4))
		}, false, want{vintages: 3}},
		{"a killed ingest's record, index gone", func(t *testing.T, dir string, _ [3][]byte) {
			killAdd(t, openStore(t, dir), "renamed catalog/v000004.json", monthExtract("e.csv", 9, 4))
			must(t, os.Remove(filepath.Join(dir, CatalogFile)))
		}, false, want{rebuilt: true, vintages: 4}},
		{"missing parquet", func(t *testing.T, dir string, _ [3][]byte) {
			must(t, os.Remove(filepath.Join(dir, CatalogFile)))
			must(t, os.Remove(filepath.Join(dir, fileOf("v000002", pu))))
		}, false, want{err: "the files of the vintage records do not check out, so catalog.json cannot be rebuilt from them (nothing was changed): " +
			"counts/v000002-policeuk.parquet: missing (named by catalog/v000002.json); restore those files from a backup"}},
		{"gap", func(t *testing.T, dir string, _ [3][]byte) {
			must(t, os.Remove(filepath.Join(dir, "catalog/v000002.json")))
		}, false, want{err: "catalog/v000002.json is missing (records run to v000003): an index cannot be rebuilt past a gap"}},
		{"index lists more than the records", func(t *testing.T, dir string, _ [3][]byte) {
			must(t, os.Remove(filepath.Join(dir, "catalog/v000003.json")))
		}, false, want{err: "catalog.json lists 3 vintages, but catalog holds records of 2: catalog/v000003.json is missing; restore it from a backup (nothing was changed)"}},
		{"no records", func(t *testing.T, dir string, _ [3][]byte) {
			for _, n := range []string{"1", "2", "3"} {
				must(t, os.Remove(filepath.Join(dir, "catalog/v00000"+n+".json")))
			}
			must(t, os.Remove(filepath.Join(dir, CatalogFile)))
		}, false, want{err: "holds no vintage record (v000001.json ...): there is nothing to rebuild catalog.json from"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ix := threeVintages(t, dir)
			whole := mustCurrent(t, openStore(t, dir))
			wholeIndex := ix[2]
			tc.spoil(t, dir, ix)
			before := stateOf(t, dir)
			res, err := Repair(context.Background(), dir, RepairOptions{DeleteExtra: tc.deleteExtra})
			if tc.want.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want.err) {
					t.Errorf("Repair: %v, want an error saying %q", err, tc.want.err)
				}
				sameState(t, "after a failed Repair", stateOf(t, dir), before)
				return
			}
			must(t, err)
			if res.Rebuilt != tc.want.rebuilt || (res.SavedAs != "") != tc.want.saved || res.Vintages != tc.want.vintages ||
				!reflect.DeepEqual(res.Deleted, tc.want.deleted) || !reflect.DeepEqual(res.Extra, tc.want.extra) {
				t.Errorf("Repair = %+v, want %+v", res, tc.want)
			}
			if res.SavedAs != "" {
				if data, err := os.ReadFile(res.SavedAs); err != nil || !strings.HasPrefix(string(data), "garbage\n") {
					t.Errorf("saved index %s: %q, %v", res.SavedAs, data, err)
				}
			}
			rep, err := Verify(context.Background(), dir, Options{})
			must(t, err)
			var problemPaths []string // what Repair kept is all Verify still finds
			for _, f := range rep.Problems {
				problemPaths = append(problemPaths, f.Path)
			}
			if !reflect.DeepEqual(problemPaths, tc.want.extra) || len(rep.Notes) != 0 {
				t.Errorf("Verify after Repair: problems %q, notes %q; want problems with %q only", findings(rep.Problems), findings(rep.Notes), tc.want.extra)
			}
			if tc.want.vintages == 3 {
				if got, err := os.ReadFile(filepath.Join(dir, CatalogFile)); err != nil || string(got) != string(wholeIndex) {
					t.Errorf("index after Repair:\n%s\nwant:\n%s", got, wholeIndex)
				}
				if snap := mustCurrent(t, openStore(t, dir)); !reflect.DeepEqual(snap, whole) {
					t.Errorf("after Repair the dataset differs from the whole one")
				}
			}
		})
	}
}
