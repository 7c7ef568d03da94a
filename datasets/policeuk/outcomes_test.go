package policeuk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

const codeCity = "E23000034"

func outRow(id, m, force, outcome string) string {
	return id + "," + m + "," + force + "," + force + ",-0.09,51.5,On or near Beech Street,E01000002,City of London 001B," + outcome + "\n"
}

func cityOut(id, m, outcome string) string { return outRow(id, m, "City of London Police", outcome) }

// catIndex is the index of a category in datasets.Categories().
func catIndex(t testing.TB, name string) uint8 {
	t.Helper()
	for i, c := range datasets.Categories() {
		if c.Name == name {
			return uint8(i)
		}
	}
	t.Fatalf("no category %q", name)
	return 0
}

func TestReadOutcomesGood(t *testing.T) {
	hdr := OutcomesHeader + "\n"
	oct := month(t, "2018-10")
	cov := []datasets.Coverage{{Source: datasets.SourcePoliceUKOutcomes, AreaCode: codeCity, Start: oct, End: oct}}
	oc := func(crimeType, outcome string, n int64) datasets.OutcomeCount {
		return datasets.OutcomeCount{AreaCode: codeCity, Month: oct, CrimeType: crimeType, Outcome: outcome, Count: n}
	}
	// Crime "a" is a burglary, "b" a robbery; "c" is in no street file.
	types := map[uint64]uint8{CrimeKey([]byte("a")): catIndex(t, catBurg), CrimeKey([]byte("b")): catIndex(t, "Robbery")}
	tests := []struct {
		name    string
		in      string
		want    []datasets.OutcomeCount
		stats   datasets.Stats
		untyped int64
	}{
		{name: "header only", in: hdr},
		{
			name: "typed, untyped, several outcomes of one crime, an exact duplicate",
			in: hdr + cityOut("a", "2018-10", "Suspect charged") + cityOut("a", "2018-10", "Offender sent to prison") +
				cityOut("b", "2018-10", "Suspect charged") + cityOut("c", "2018-10", "Suspect charged") +
				cityOut("a", "2018-10", "Suspect charged") + cityOut("", "2018-10", "Local resolution"),
			want: []datasets.OutcomeCount{
				oc("", "Local resolution", 1), oc("", "Suspect charged", 1),
				oc(catBurg, "Offender sent to prison", 1), oc(catBurg, "Suspect charged", 1),
				oc("Robbery", "Suspect charged", 1),
			},
			stats:   datasets.Stats{Read: 6, Used: 5, Skipped: map[string]int64{ReasonExactDuplicate: 1}},
			untyped: 2,
		},
		{
			name: "quotes, CRLF, BOM, outcome in other case, a blank line between rows",
			in: "\xEF\xBB\xBF" + strings.ReplaceAll(hdr+strings.Replace(cityOut("a", "2018-10", "suspect CHARGED"), "On or near Beech Street", `"On or near ""Beech"", Street"`, 1)+
				"\n"+cityOut("b", "2018-10", "Unable to prosecute suspect"), "\n", "\r\n"),
			want:  []datasets.OutcomeCount{oc(catBurg, "Suspect charged", 1), oc("Robbery", "Unable to prosecute suspect", 1)},
			stats: datasets.Stats{Read: 3, Used: 2, Skipped: map[string]int64{ReasonBlankLine: 1}},
		},
		{
			name: "the same row in another month is no duplicate",
			in:   hdr + cityOut("c", "2018-10", "Suspect charged") + strings.Replace(cityOut("c", "2018-10", "Suspect charged"), "2018-10", "2018-11", 1),
			want: []datasets.OutcomeCount{oc("", "Suspect charged", 1),
				{AreaCode: codeCity, Month: month(t, "2018-11"), Outcome: "Suspect charged", Count: 1}},
			stats:   datasets.Stats{Read: 2, Used: 2},
			untyped: 2,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, bs := range []int{BlockSize, 7} {
				o, err := readOutcomes(context.Background(), "x.csv", strings.NewReader(tt.in), ReadOptions{}, bs)
				if err != nil {
					t.Fatal(err)
				}
				untyped := o.Type(func(k uint64) (uint8, bool) { c, ok := types[k]; return c, ok })
				if untyped != tt.untyped {
					t.Errorf("block %d: untyped %d, want %d", bs, untyped, tt.untyped)
				}
				if !reflect.DeepEqual(o.Extract.Outcomes, tt.want) {
					t.Errorf("block %d: outcomes\n%+v\nwant\n%+v", bs, o.Extract.Outcomes, tt.want)
				}
				if !reflect.DeepEqual(o.Extract.Stats, tt.stats) {
					t.Errorf("block %d: stats %+v, want %+v", bs, o.Extract.Stats, tt.stats)
				}
				if len(tt.want) > 0 && tt.name != "the same row in another month is no duplicate" && !reflect.DeepEqual(o.Extract.Coverage, cov) {
					t.Errorf("coverage %+v, want %+v", o.Extract.Coverage, cov)
				}
				if o.Extract.Source != datasets.SourcePoliceUKOutcomes || len(o.Extract.SHA256) != 64 {
					t.Errorf("source %q sha %q", o.Extract.Source, o.Extract.SHA256)
				}
			}
		})
	}
}

func TestReadOutcomesBad(t *testing.T) {
	hdr := OutcomesHeader + "\n"
	exp := Expect{AreaCode: codeCity, Month: month(t, "2018-10"), HasMonth: true, From: `the file name "2018-10-city-of-london-outcomes.csv"`}
	tests := []struct {
		name   string
		in     string
		expect Expect
		row    int
		column string
		err    error
	}{
		{name: "empty", in: "", err: datasets.ErrBadHeader},
		{name: "street header", in: Header + "\n", row: 1, column: ColOutcomeType, err: datasets.ErrNoSuchColumn},
		{name: "blank outcome", in: hdr + cityOut("a", "2018-10", "Suspect charged") + cityOut("b", "2018-10", "  "), row: 3, column: ColOutcomeType, err: datasets.ErrBadOutcome},
		{name: "malformed outcome", in: hdr + cityOut("a", "2018-10", "Let off") + cityOut("b", "2018-10", "42"), row: 3, column: ColOutcomeType, err: datasets.ErrBadOutcome},
		{name: "outcome with a tab", in: hdr + cityOut("b", "2018-10", "\"Let\toff\""), row: 2, column: ColOutcomeType, err: datasets.ErrBadOutcome},
		{name: "bad month", in: hdr + cityOut("a", "2018-13", "Suspect charged"), row: 2, column: ColMonth, err: datasets.ErrBadMonth},
		{name: "unknown force", in: hdr + outRow("a", "2018-10", "Police Service of Northern Ireland", "Suspect charged"), row: 2, column: ColReportedBy, err: datasets.ErrUnknownForce},
		{name: "a field short", in: hdr + "a,2018-10,City of London Police,Suspect charged\n", row: 2, err: datasets.ErrBadRow},
		{name: "another month than the name", in: hdr + cityOut("a", "2018-10", "Suspect charged") + cityOut("b", "2018-11", "Suspect charged"),
			expect: exp, row: 3, column: ColMonth, err: datasets.ErrNotAsNamed},
		{name: "another force than the name", in: hdr + cityOut("a", "2018-10", "Suspect charged") + outRow("b", "2018-10", "Wiltshire Police", "Suspect charged"),
			expect: exp, row: 3, column: ColReportedBy, err: datasets.ErrNotAsNamed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, bs := range []int{BlockSize, 5} {
				_, err := readOutcomes(context.Background(), "x.csv", strings.NewReader(tt.in), ReadOptions{Expect: tt.expect}, bs)
				var re *datasets.RowError
				if !errors.As(err, &re) || !errors.Is(err, tt.err) {
					t.Fatalf("block %d: error %v, want a RowError wrapping %v", bs, err, tt.err)
				}
				if re.File != "x.csv" || re.Row != tt.row || re.Column != tt.column {
					t.Errorf("block %d: %v: file %q row %d column %q, want x.csv row %d column %q", bs, err, re.File, re.Row, re.Column, tt.row, tt.column)
				}
			}
		})
	}
}

// TestReadOutcomesUnknownTypes: outcome types crimetrends does not know
// (data.police.uk adds some now and then) are counted under their type as
// written, spaces around it trimmed, each spelling its own; a file with
// more such types than an outcomes file can hold is an error at the row
// of the first too many.
func TestReadOutcomesUnknownTypes(t *testing.T) {
	in := OutcomesHeader + "\n" + cityOut("a", "2018-10", "Suspect charged") + cityOut("b", "2018-10", " Let off ") +
		cityOut("c", "2018-10", "Let off") + cityOut("d", "2018-10", "let off") + cityOut("e", "2018-10", "SUSPECT CHARGED")
	o, err := ReadOutcomes(context.Background(), "x.csv", strings.NewReader(in), ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o.Type(func(uint64) (uint8, bool) { return 0, false })
	oct := month(t, "2018-10")
	want := []datasets.OutcomeCount{
		{AreaCode: codeCity, Month: oct, Outcome: "Let off", Count: 2},
		{AreaCode: codeCity, Month: oct, Outcome: "Suspect charged", Count: 2},
		{AreaCode: codeCity, Month: oct, Outcome: "let off", Count: 1},
	}
	if !reflect.DeepEqual(o.Extract.Outcomes, want) {
		t.Errorf("outcomes %+v\nwant %+v", o.Extract.Outcomes, want)
	}

	var b strings.Builder
	b.WriteString(OutcomesHeader + "\n")
	for i := range MaxUnknownOutcomeTypes + 1 {
		b.WriteString(cityOut(fmt.Sprint(i), "2018-10", fmt.Sprintf("New type %d", i)))
	}
	_, err = ReadOutcomes(context.Background(), "x.csv", strings.NewReader(b.String()), ReadOptions{})
	var re *datasets.RowError
	if !errors.As(err, &re) || !errors.Is(err, datasets.ErrBadOutcome) || re.Row != MaxUnknownOutcomeTypes+2 || !strings.Contains(err.Error(), "more than 100 outcome types") {
		t.Errorf("error %v, want one at row %d", err, MaxUnknownOutcomeTypes+2)
	}
}

func TestReadOutcomesNotAsNamedMessage(t *testing.T) {
	exp, err := ExpectFromName(filepath.Join("dl", "2018-10", "2018-10-city-of-london-outcomes.csv"))
	if err != nil {
		t.Fatal(err)
	}
	in := OutcomesHeader + "\n" + outRow("a", "2018-10", "Wiltshire Police", "Suspect charged")
	_, err = ReadOutcomes(context.Background(), "f.csv", strings.NewReader(in), ReadOptions{Expect: exp})
	want := `"f.csv" row 2 column "Reported by": row does not match its file's name "Wiltshire Police": want City of London Police, ` +
		`as the file name "2018-10-city-of-london-outcomes.csv" and its folder "2018-10/" says`
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v\nwant it to start %s", err, want)
	}
}

// TestOutcomesRealJoin joins the real City of London outcomes files to the
// real street files of the same force, with the figures counted by hand
// (awk over the CSVs, which have no quoted fields):
//
//	tail -n+2 2018-10-city-of-london-outcomes.csv | sort -u | wc -l          # 570 of 585 rows
//	... | awk -F, 'NR==FNR{if(FNR>1&&$1!="")id[$1]=1;next} ($1 in id)' \
//	    2018-10-city-of-london-street.csv - | wc -l                           # 246 typed
func TestOutcomesRealJoin(t *testing.T) {
	dir := realDir(t)
	street := func(months ...string) map[uint64]uint8 {
		idx := map[uint64]uint8{}
		for _, m := range months {
			p := filepath.Join(dir, "police-uk-street-geoinfo", m+"-city-of-london-street.csv")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Skip(err)
			}
			ext, err := ReadWith(context.Background(), p, bytes.NewReader(data), ReadOptions{CrimeIDs: true})
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range ext.CrimeIDs {
				entries, err := g.Entries()
				if err != nil {
					t.Fatal(err)
				}
				for _, v := range entries {
					k, c := datasets.CrimeIDEntry(v)
					idx[k] = c
				}
			}
		}
		return idx
	}
	all := []string{"2018-10", "2018-11", "2018-12", "2019-01", "2019-02"}
	tests := []struct {
		month   string
		streets []string
		read    int64
		dups    int64
		typed   int64
	}{
		// The outcomes of a month against the street file of the same month.
		{"2018-10", []string{"2018-10"}, 585, 15, 246},
		{"2018-11", []string{"2018-11"}, 693, 6, 231},
		{"2018-12", []string{"2018-12"}, 391, 6, 181},
		{"2019-01", []string{"2019-01"}, 692, 8, 203},
		{"2019-02", []string{"2019-02"}, 601, 8, 211},
		// Against every street file: outcomes of crimes of earlier months
		// are typed too, and three of 2018-10 and 2018-11 belong to crimes
		// the street files only list in 2019-01 (recorded late).
		{"2018-10", all, 585, 15, 247},
		{"2018-11", all, 693, 6, 439},
		{"2018-12", all, 391, 6, 329},
		{"2019-01", all, 692, 8, 581},
		{"2019-02", all, 601, 8, 516},
	}
	for _, tt := range tests {
		t.Run(tt.month+" against "+strings.Join(tt.streets, ","), func(t *testing.T) {
			idx := street(tt.streets...)
			name := filepath.Join(dir, "police-uk-archive", tt.month, tt.month+"-city-of-london-outcomes.csv")
			exp, err := ExpectFromName(name)
			if err != nil {
				t.Fatal(err)
			}
			data, err := os.ReadFile(name)
			if err != nil {
				t.Skip(err)
			}
			o, err := ReadOutcomes(context.Background(), name, bytes.NewReader(data), ReadOptions{Expect: exp})
			if err != nil {
				t.Fatal(err)
			}
			st := o.Extract.Stats
			if st.Read != tt.read || st.Skipped[ReasonExactDuplicate] != tt.dups || st.Used != tt.read-tt.dups || !st.Balanced() {
				t.Errorf("stats %+v: want read %d, %d exact duplicates", st, tt.read, tt.dups)
			}
			untyped := o.Type(func(k uint64) (uint8, bool) { c, ok := idx[k]; return c, ok })
			if got := st.Used - untyped; got != tt.typed {
				t.Errorf("typed %d, want %d (untyped %d)", got, tt.typed, untyped)
			}
			var sum int64
			for _, c := range o.Extract.Outcomes {
				sum += c.Count
			}
			if sum != st.Used {
				t.Errorf("outcome counts sum to %d, want %d used rows", sum, st.Used)
			}
		})
	}
	// Hand-counted cells of 2018-10 against its own street file.
	idx := street("2018-10")
	name := filepath.Join(dir, "police-uk-archive", "2018-10", "2018-10-city-of-london-outcomes.csv")
	f, err := os.Open(name)
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	o, err := ReadOutcomes(context.Background(), name, f, ReadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	o.Type(func(k uint64) (uint8, bool) { c, ok := idx[k]; return c, ok })
	cells := map[[2]string]int64{}
	for _, c := range o.Extract.Outcomes {
		cells[[2]string{c.CrimeType, c.Outcome}] = c.Count
	}
	for _, w := range []struct {
		crimeType, outcome string
		n                  int64
	}{
		{"Shoplifting", "Suspect charged", 15},
		{catVSO, "Suspect charged", 3},
		{catVSO, "Unable to prosecute suspect", 13},
		{catVSO, "Local resolution", 6},
		{"", "Suspect charged", 55},
	} {
		if got := cells[[2]string{w.crimeType, w.outcome}]; got != w.n {
			t.Errorf("%q %q: %d, want %d", w.crimeType, w.outcome, got, w.n)
		}
	}
}

// TestCrimeKeyFixed pins the key of a Crime ID: it is kept on disk, so it
// must never change.
func TestCrimeKeyFixed(t *testing.T) {
	id := []byte("6140de7fb84d87615c7835e6a5f9bfaebcf62714a1b8ae0e05139b356661aa48")
	if got, want := CrimeKey(id), uint64(0x7f1d54a4aeff4b10); got != want {
		t.Fatalf("CrimeKey(%s) = %#x, want %#x: the key of every Crime ID in the stored indexes would change", id, got, want)
	}
	if got := CrimeKey([]byte("x")); got&catMask != 0 {
		t.Fatalf("CrimeKey(x) = %#x: its low bits must be zero", got)
	}
}

// TestStreetCrimeIDs checks the Crime IDs a street read collects: every
// distinct non-empty ID once, in file order, with its category, whatever
// the blocks.
func TestStreetCrimeIDs(t *testing.T) {
	in := Header + "\n" + wilts("a1", "2018-10", catVSO) + wilts("", "2018-10", catASB) + wilts("a2", "2018-10", catBurg) +
		wilts("a1", "2018-10", catVSO) + wilts("a1", "2018-11", catBurg)
	for _, cfg := range []config{{workers: 1, blockSize: BlockSize}, {workers: 3, blockSize: 16}} {
		cfg.window, cfg.crimeIDs = DedupWindow, true
		ext, err := read(context.Background(), "x.csv", strings.NewReader(in), cfg)
		if err != nil {
			t.Fatal(err)
		}
		oct, nov := month(t, "2018-10"), month(t, "2018-11")
		k1, k2 := CrimeKey([]byte("a1")), CrimeKey([]byte("a2"))
		var ids []uint64
		for _, e := range []struct {
			k uint64
			c string
		}{{k1, catVSO}, {k2, catBurg}} {
			ids = append(ids, e.k|uint64(catIndex(t, e.c)))
		}
		want := []datasets.CrimeIDs{datasets.NewCrimeIDs(codeWiltshire, oct, ids),
			datasets.NewCrimeIDs(codeWiltshire, nov, []uint64{k1 | uint64(catIndex(t, catBurg))})}
		if got, w := crimeIDsText(t, ext.CrimeIDs), crimeIDsText(t, want); got != w {
			t.Errorf("%+v: crime IDs %s, want %s", cfg, got, w)
		}
	}
}

// TestStreetNotAsNamed checks that a street row of another force or month
// than its file's name is an error naming the file, row and column, on
// every path of the reader.
func TestStreetNotAsNamed(t *testing.T) {
	exp, err := ExpectFromName(filepath.Join("x", "2018-10", "2018-10-wiltshire-street.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString(Header + "\n")
	for i := range 40 {
		b.WriteString(wilts("w"+string(rune('a'+i%26))+string(rune('a'+i/26)), "2018-10", catVSO))
	}
	good := b.String()
	tests := []struct {
		name   string
		in     string
		row    int
		column string
	}{
		{"Sussex row", good + row("s1", "2018-10", "Sussex Police", catVSO), 42, ColReportedBy},
		{"November row", good + wilts("n1", "2018-11", catVSO), 42, ColMonth},
		{"November row first", Header + "\n" + wilts("n1", "2018-11", catVSO) + good[len(Header)+1:], 2, ColMonth},
	}
	for _, tt := range tests {
		for _, cfg := range []config{{workers: 1, blockSize: BlockSize}, {workers: 3, blockSize: 64}, {workers: 1, blockSize: BlockSize, plain: true}} {
			cfg.window, cfg.expect = DedupWindow, exp
			_, err := read(context.Background(), "f.csv", strings.NewReader(tt.in), cfg)
			var re *datasets.RowError
			if !errors.As(err, &re) || !errors.Is(err, datasets.ErrNotAsNamed) || re.Row != tt.row || re.Column != tt.column {
				t.Errorf("%s %+v: error %v, want row %d column %q not as named", tt.name, cfg, err, tt.row, tt.column)
			}
		}
		// Without the name's expectation the rows are read.
		if _, err := Read(context.Background(), "f.csv", strings.NewReader(tt.in)); err != nil {
			t.Errorf("%s without a name: %v", tt.name, err)
		}
	}
	if _, err := ExpectFromName(filepath.Join("x", "2018-11", "2018-10-wiltshire-street.csv")); !errors.Is(err, datasets.ErrNotAsNamed) {
		t.Errorf("file of 2018-10 in folder 2018-11: %v, want not as named", err)
	}
	e, err := ExpectFromName("a.zip!2018-10/2018-10-btp-street.csv")
	if err != nil || e.AreaCode != datasets.CodeBTP || !e.HasMonth {
		t.Errorf("btp in a zip: %+v, %v", e, err)
	}
	if e, err := ExpectFromName("2018-10-northern-ireland-street.csv"); err != nil || e.AreaCode != "" || !e.HasMonth {
		t.Errorf("northern-ireland: %+v, %v: want the month only", e, err)
	}
	if e, err := ExpectFromName("national.csv"); err != nil || e != (Expect{}) {
		t.Errorf("another name: %+v, %v: want nothing", e, err)
	}
}

// FuzzReadOutcomes checks that no input panics the outcomes reader, that a
// success balances its accounting and types every used row, that small
// blocks give the same result, and that a failure is a *datasets.RowError.
func FuzzReadOutcomes(f *testing.F) {
	f.Add([]byte(""))
	f.Add([]byte(OutcomesHeader))
	f.Add([]byte(OutcomesHeader + "\n" + cityOut("a", "2018-10", "Suspect charged") + cityOut("a", "2018-10", "Suspect charged") + "\n" + cityOut("", "2018-10", "Local resolution")))
	f.Add([]byte("Outcome type,Month,Crime ID,Reported by\r\n\"Suspect charged\",2018-10,x,\"City of London Police\"\r\n"))
	if dir := realDirOrEmpty(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "police-uk-archive", "*", "*-outcomes.csv"))
		for _, file := range files {
			f.Add(firstLines(f, file, 40))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := ReadOutcomes(context.Background(), "fuzz.csv", bytes.NewReader(data), ReadOptions{})
		small, serr := readOutcomes(context.Background(), "fuzz.csv", bytes.NewReader(data), ReadOptions{}, 16)
		if (err == nil) != (serr == nil) || err != nil && err.Error() != serr.Error() {
			t.Fatalf("one block: %v; small blocks: %v", err, serr)
		}
		if err != nil {
			var re *datasets.RowError
			if !errors.As(err, &re) {
				t.Fatalf("error %v is not a RowError", err)
			}
			return
		}
		st := o.Extract.Stats
		if !st.Balanced() || st.Rejected != 0 {
			t.Fatalf("stats do not balance: %+v", st)
		}
		// Type every other key as a burglary.
		lookup := func(k uint64) (uint8, bool) { return 3, k>>4&1 == 0 }
		untyped := o.Type(lookup)
		small.Type(lookup)
		if !reflect.DeepEqual(o.Extract, small.Extract) {
			t.Fatalf("small blocks give %+v, one block %+v", small.Extract, o.Extract)
		}
		var sum, unknown int64
		for i, c := range o.Extract.Outcomes {
			sum += c.Count
			if c.CrimeType == datasets.CrimeTypeUnknown {
				unknown += c.Count
			}
			if _, _, err := datasets.CheckOutcomeType(c.Outcome); err != nil || c.Count <= 0 || i > 0 && datasets.CompareOutcomeCounts(o.Extract.Outcomes[i-1], c) >= 0 {
				t.Fatalf("bad or unsorted outcome count %+v", c)
			}
		}
		if sum != st.Used || unknown != untyped {
			t.Fatalf("outcomes sum to %d (%d unknown), want %d used (%d untyped)", sum, unknown, st.Used, untyped)
		}
	})
}

// crimeIDsText writes Crime IDs out, to compare them: each force and month
// with its counts by category and its entries in order.
func crimeIDsText(t testing.TB, gs []datasets.CrimeIDs) string {
	t.Helper()
	var b strings.Builder
	for _, g := range gs {
		entries, err := g.Entries()
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s %v %x\n", g.AreaCode, g.Month, g.PerCategory, entries)
	}
	return b.String()
}

// TestCrimeIDsSpilled checks that Crime IDs kept in a spill file are those
// kept in memory, in the same order, whatever the size of the keeper's
// buffer and the order of the rows: grouped by force and month as the
// downloads are, or shuffled so that a buffer holds many of them.
func TestCrimeIDsSpilled(t *testing.T) {
	data, _, _ := genInput(t, 6000)
	lines := strings.SplitAfter(string(data), "\n")
	// Shuffled: every row of genInput's output that is one line (the
	// quoted ones span lines), in an order that mixes forces and months.
	var shuffled strings.Builder
	shuffled.WriteString(lines[0])
	var plain []string
	for _, l := range lines[1:] {
		if strings.Count(l, `"`) == 0 && strings.Count(l, ",") == 11 {
			plain = append(plain, l)
		}
	}
	for i := range plain {
		shuffled.WriteString(plain[(i*7919)%len(plain)])
	}
	if len(plain) < 1000 || len(plain)%7919 == 0 {
		t.Fatalf("%d one-line rows", len(plain))
	}
	for _, in := range []struct {
		name string
		data []byte
	}{{"grouped", data}, {"shuffled", []byte(shuffled.String())}} {
		want := ""
		for _, keep := range []int{keepBuffer, 1000, 7} {
			for _, workers := range []int{1, 3} {
				cfg := config{workers: workers, blockSize: 4 << 10, window: DedupWindow, crimeIDs: true, keep: keep}
				mem, err := read(context.Background(), "in.csv", bytes.NewReader(in.data), cfg)
				if err != nil {
					t.Fatal(err)
				}
				sp, err := datasets.CreateCrimeIDSpill(t.TempDir(), ".crimeids-*.tmp", nil)
				if err != nil {
					t.Fatal(err)
				}
				cfg.spill = sp
				spilled, err := read(context.Background(), "in.csv", bytes.NewReader(in.data), cfg)
				if err != nil {
					t.Fatal(err)
				}
				got, gotMem := crimeIDsText(t, spilled.CrimeIDs), crimeIDsText(t, mem.CrimeIDs)
				if want == "" {
					want = gotMem
					if strings.Count(want, "\n") != 12 {
						t.Fatalf("%s: %d forces and months, want 12:\n%s", in.name, strings.Count(want, "\n"), want)
					}
				}
				if gotMem != want || got != want {
					t.Errorf("%s, buffer %d, %d workers: in memory\n%s\nspilled\n%s\nwant\n%s", in.name, keep, workers, gotMem, got, want)
				}
				if err := sp.Close(); err != nil {
					t.Fatal(err)
				}
				if _, err := spilled.CrimeIDs[0].Entries(); err == nil {
					t.Errorf("Crime IDs read from a closed spill")
				}
			}
		}
	}
}

// TestCrimeIDsSpillFails checks that a read whose Crime IDs cannot be
// written to the spill file (here closed; a full disk alike) fails, naming
// the input, rather than losing them.
func TestCrimeIDsSpillFails(t *testing.T) {
	data, _, _ := genInput(t, 600)
	sp, err := datasets.CreateCrimeIDSpill(t.TempDir(), ".crimeids-*.tmp", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}
	for _, keep := range []int{keepBuffer, 10} {
		cfg := config{workers: 2, blockSize: 1 << 10, window: DedupWindow, crimeIDs: true, keep: keep, spill: sp}
		_, err := read(context.Background(), "in.csv", bytes.NewReader(data), cfg)
		if err == nil || !strings.Contains(err.Error(), `read "in.csv"`) || !strings.Contains(err.Error(), "closed") {
			t.Errorf("buffer %d: error %v, want one naming the input and the closed spill", keep, err)
		}
	}
}
