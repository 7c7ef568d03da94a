package store

import (
	"reflect"
	"testing"

	"github.com/crimetrends/crimetrends/datasets"
)

// FuzzDecodeCatalog checks that decoding any catalog bytes never panics and
// that a catalog it accepts survives an encode and decode unchanged.
func FuzzDecodeCatalog(f *testing.F) {
	oct := month(2018, 10)
	seed, err := encodeCatalog([]Vintage{
		{ID: "v000001", Seq: 1, IngestedAt: fixedTime, Inputs: []InputRecord{{
			Name: "a.csv", SHA256: sha("a.csv"), Source: pu, Rows: 3, File: fileOf("v000001", pu),
			Coverage: []datasets.Coverage{cov(pu, wiltshire, oct, oct)},
		}}},
		{ID: "v000002", Seq: 2, IngestedAt: fixedTime},
	})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add(seed[:len(seed)/2])
	f.Add([]byte(`{"format": 2, "vintages": []}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		vs, err := decodeCatalog(data)
		if err != nil {
			return
		}
		enc, err := encodeCatalog(vs)
		if err != nil {
			t.Fatalf("encode of a decoded catalog: %v", err)
		}
		again, err := decodeCatalog(enc)
		if err != nil {
			t.Fatalf("decode of an encoded catalog: %v\n%s", err, enc)
		}
		if len(again) != len(vs) {
			t.Fatalf("%d vintages after a round trip, want %d", len(again), len(vs))
		}
		for i := range vs {
			if !again[i].IngestedAt.Equal(vs[i].IngestedAt) {
				t.Errorf("vintage %d: IngestedAt %v, want %v", i, again[i].IngestedAt, vs[i].IngestedAt)
			}
			again[i].IngestedAt, vs[i].IngestedAt = fixedTime, fixedTime
		}
		if !reflect.DeepEqual(again, vs) {
			t.Errorf("round trip:\n got %+v\nwant %+v", again, vs)
		}
	})
}
