package cli

import (
	"context"
	"fmt"
	"sort"

	"github.com/crimetrends/crimetrends/datasets/store"
	"github.com/crimetrends/crimetrends/internal/config"
	"github.com/crimetrends/crimetrends/pipeline"
)

// ingestConfig ingests what a config lists, its inputs and its force
// extract series, into its dataset as one vintage, all or nothing. It
// returns nil when the config lists nothing to ingest.
func (e *env) ingestConfig(ctx context.Context, c config.Config) (*pipeline.IngestResult, error) {
	if len(c.ForceExtracts) == 0 {
		if len(c.Inputs) == 0 {
			return nil, nil
		}
		res, err := e.ingest(ctx, c.Data, c.Inputs)
		if err != nil {
			return nil, err
		}
		return &res, nil
	}
	st, err := store.Open(c.Data, e.storeOptions(c.Data))
	if err != nil {
		return nil, err
	}
	var progress pipeline.Progress
	stop := watchProgress(e.stderr, e.log, &progress, e.quiet)
	res, err := pipeline.IngestForce(ctx, st, c.Inputs, forceSpecs(c), pipeline.IngestOptions{Logger: e.log, Progress: &progress})
	stop()
	if err != nil {
		return nil, err
	}
	for _, in := range res.Inputs {
		if in.Format == pipeline.FormatForceExtract {
			fmt.Fprintf(e.stdout, "force extract: %q: %s; %d rows read, %d records counted, %d skipped%s\n",
				in.Name, in.Status, in.Stats.Read, in.Stats.Used, in.Stats.SkippedTotal(), skipReasons(in.Stats.Skipped))
		}
	}
	e.ingestSummary(res, c.Data)
	return &res, nil
}

// forceSpecs turns a config's force extract series into the pipeline's.
func forceSpecs(c config.Config) []pipeline.ForceExtractSpec {
	specs := make([]pipeline.ForceExtractSpec, 0, len(c.ForceExtracts))
	for _, fe := range c.ForceExtracts {
		specs = append(specs, pipeline.ForceExtractSpec{Files: append([]string(nil), fe.Files...), Mapping: fe.Mapping})
	}
	return specs
}

// skipReasons lists skip reasons and their rows, sorted: " (cancelled 1,
// superseded by a later extract 4)", or "" when there are none.
func skipReasons(skipped map[string]int64) string {
	if len(skipped) == 0 {
		return ""
	}
	reasons := make([]string, 0, len(skipped))
	for r := range skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	s := " ("
	for i, r := range reasons {
		if i > 0 {
			s += ", "
		}
		s += fmt.Sprintf("%s %d", r, skipped[r])
	}
	return s + ")"
}
