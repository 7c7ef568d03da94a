package store

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

func fuzzVintages() []Vintage {
	oct := month(2018, 10)
	return []Vintage{
		{ID: "v000001", Seq: 1, IngestedAt: fixedTime, Inputs: []InputRecord{{
			Name: "a.csv", SHA256: sha("a.csv"), Source: pu, Rows: 3, File: fileOf("v000001", pu),
			Coverage: []datasets.Coverage{cov(pu, wiltshire, oct, oct)},
			Stats:    datasets.Stats{Read: 4, Used: 3, Skipped: map[string]int64{"blank": 1}},
		}, {
			Name: "pfa.xlsx", SHA256: sha("pfa.xlsx"), Source: datasets.SourceONSPFA, PublishedRows: 2,
			PublishedFile: "published/v000001-ons-pfa.parquet", Releases: []string{"ons-pfa-2019-03", "ons-pfa-2019-03-v2"},
			ReleaseNotes: []datasets.ReleaseNote{{Release: "ons-pfa-2019-03-v2", Text: "Table P1: a \"note\""}, {Release: "ons-pfa-2019-03", Text: "é"}},
			Stats:        datasets.Stats{Read: 2, Used: 2},
		}}},
		{ID: "v000002", Seq: 2, IngestedAt: fixedTime, Inputs: []InputRecord{}},
	}
}

func encodeIndex(t testing.TB, vs []Vintage) []byte {
	t.Helper()
	var buf bytes.Buffer
	for _, v := range vs {
		line, err := encodeIndexRecord(v)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(line)
	}
	return buf.Bytes()
}

func parseAll(data []byte) ([]Vintage, index, error) {
	var ix index
	ix.reset()
	recs, next, err := parseIndex(&ix, data, 0)
	if err != nil {
		return nil, index{}, err
	}
	ix.apply(recs, next)
	return recs, ix, nil
}

// FuzzParseIndex checks that parsing any bytes as catalog.json never panics,
// that an accepted index survives an encode and parse unchanged, and that
// parsing it whole or in two steps (as Add reads what others appended)
// gives the same vintages.
func FuzzParseIndex(f *testing.F) {
	seed := encodeIndex(f, fuzzVintages())
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add(seed[:len(seed)-1])
	f.Add([]byte(`{"format": 2, "vintages": []}`))
	f.Add([]byte("\n"))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, ix, err := parseAll(data)
		if err != nil {
			return
		}
		if ix.end > int64(len(data)) || ix.size != int64(len(data)) || !bytes.Equal(data[ix.lastStart:ix.end], ix.last) {
			t.Fatalf("end %d, size %d, last %q: do not fit %d bytes", ix.end, ix.size, ix.last, len(data))
		}
		again, _, err := parseAll(encodeIndex(t, recs))
		if err != nil {
			t.Fatalf("parse of an encoded index: %v", err)
		}
		for i := range recs {
			if !again[i].IngestedAt.Equal(recs[i].IngestedAt) {
				t.Errorf("vintage %d: IngestedAt %v, want %v", i, again[i].IngestedAt, recs[i].IngestedAt)
			}
			again[i].IngestedAt, recs[i].IngestedAt = fixedTime, fixedTime
		}
		if !reflect.DeepEqual(again, recs) {
			t.Errorf("round trip:\n got %+v\nwant %+v", again, recs)
		}
		// In two steps, split after the first record.
		if len(recs) > 1 {
			cut := bytes.IndexByte(data, '\n') + 1
			first, ix1, err := parseAll(data[:cut])
			if err != nil {
				t.Fatalf("first line alone: %v", err)
			}
			rest, next, err := parseIndex(&ix1, data[cut:], int64(cut))
			if err != nil {
				t.Fatalf("after the first line: %v", err)
			}
			if got := len(first) + len(rest); got != len(recs) || next.end != ix.end {
				t.Errorf("in two steps: %d vintages ending at %d, want %d ending at %d", got, next.end, len(recs), ix.end)
			}
		}
	})
}

// FuzzDecodeVintage checks that decoding any bytes as a vintage file never
// panics and that an accepted one survives an encode and decode unchanged.
func FuzzDecodeVintage(f *testing.F) {
	v := fuzzVintages()[0]
	seed, err := encodeVintage(v)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(`{}`))
	sum := summary(v)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeVintage(data, sum)
		if err != nil {
			return
		}
		enc, err := encodeVintage(got)
		if err != nil {
			t.Fatalf("encode of a decoded vintage: %v", err)
		}
		again, err := decodeVintage(enc, sum)
		if err != nil {
			t.Fatalf("decode of an encoded vintage: %v\n%s", err, enc)
		}
		if !reflect.DeepEqual(again, got) {
			t.Errorf("round trip:\n got %+v\nwant %+v", again, got)
		}
	})
}

// FuzzIndexFastPath checks that decodeIndexFast, when it accepts a line,
// decodes it as encoding/json does.
func FuzzIndexFastPath(f *testing.F) {
	for _, line := range bytes.SplitAfter(encodeIndex(f, fuzzVintages()), []byte("\n")) {
		f.Add(bytes.TrimSuffix(line, []byte("\n")))
	}
	f.Add([]byte(`{"format":3,"id":"v000001","seq":01,"ingested_at":"2024-03-01T12:30:00Z","inputs":[]}`))
	f.Add([]byte(`{"format":3,"id":"v000001","seq":1,"ingested_at":"2024-03-01T12:30:00Z","inputs":[{"name":"a","sha256":"","source":"","rows":1,"published_rows":0}]}`))
	f.Add([]byte(`{"format":3,"id":"v\u00e9","seq":1,"ingested_at":"2024-03-01T12:30:00.5+01:00","inputs":[{"name":"é","sha256":"","source":"","rows":123456789012345678}]}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		fast, ok := decodeIndexFast(line)
		if !ok {
			return
		}
		var slow indexRecordJSON
		if err := decodeStrict(line, &slow); err != nil {
			t.Fatalf("fast path accepts %q, encoding/json says %v", line, err)
		}
		if !fast.IngestedAt.Equal(slow.IngestedAt) || fast.IngestedAt.String() != slow.IngestedAt.String() {
			t.Errorf("ingested_at %v, encoding/json %v", fast.IngestedAt, slow.IngestedAt)
		}
		fast.IngestedAt, slow.IngestedAt = fixedTime, fixedTime
		if !reflect.DeepEqual(fast, slow) {
			t.Errorf("fast path:\n got %+v\nwant %+v", fast, slow)
		}
	})
}
