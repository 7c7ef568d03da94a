package pipeline

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/store"
)

// typeOutcomes finds the crime type of every outcome of the outcomes
// inputs among items through its Crime ID: in the street files of this
// ingest first (the latest dated, then the latest month, winning when two
// give one crime two types), then in the Crime ID indexes of the dataset's
// vintages (the latest winning). An outcome whose crime neither holds keeps
// the type unknown, and its input's report counts it (Untyped).
//
// Its memory is about 8 bytes per outcome row (the keys looked up) besides
// the inputs themselves.
func typeOutcomes(ctx context.Context, st *store.Store, items []*ingestItem) error {
	var keys []uint64
	found := false
	for _, it := range items {
		if it.outcomes == nil {
			continue
		}
		found = true
		it.outcomes.Keys(func(k uint64) bool {
			keys = append(keys, k)
			return true
		})
	}
	if !found {
		return nil
	}
	slices.Sort(keys)
	keys = slices.Compact(keys)
	types, err := st.CrimeTypes(ctx, keys)
	if err != nil {
		return fmt.Errorf("type outcomes: %w", err)
	}
	// This ingest's street files, oldest dating first, so that the newest
	// writes last.
	streets := make([]*ingestItem, 0, len(items))
	for _, it := range items {
		if it.ext != nil && len(it.ext.CrimeIDs) > 0 {
			streets = append(streets, it)
		}
	}
	slices.SortStableFunc(streets, func(a, b *ingestItem) int {
		switch {
		case b.dating.newer(a.dating):
			return -1
		case a.dating.newer(b.dating):
			return 1
		}
		return cmp.Compare(a.ext.CrimeIDs[0].Month, b.ext.CrimeIDs[0].Month)
	})
	for _, it := range streets {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, g := range it.ext.CrimeIDs {
			if err := g.Each(func(entries []uint64) error {
				for _, v := range entries {
					k, cat := datasets.CrimeIDEntry(v)
					if i, ok := slices.BinarySearch(keys, k); ok {
						types[i] = cat
					}
				}
				return nil
			}); err != nil {
				return fmt.Errorf("type outcomes: %w", err)
			}
		}
	}
	lookup := func(k uint64) (uint8, bool) {
		i, ok := slices.BinarySearch(keys, k)
		if !ok || types[i] == store.NoCrimeType {
			return 0, false
		}
		return types[i], true
	}
	for _, it := range items {
		if it.outcomes != nil {
			it.untyped = it.outcomes.Type(lookup)
		}
	}
	return nil
}
