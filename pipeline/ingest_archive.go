package pipeline

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/homeoffice"
	"github.com/crimetrends/crimetrends/datasets/policeuk"
	"github.com/crimetrends/crimetrends/datasets/store"
)

// dating is what dates an input against another that covers the same
// force and period in one ingest: a data.police.uk archive's month, or a
// force extract's date. Two datings compare only when of one kind.
type dating struct {
	kind  string // "archive" or "extract"; "" undated
	value string // sorts in time order: "2019-03", "2024-04-02"
}

func (d dating) String() string {
	switch d.kind {
	case "archive":
		return "archive " + d.value
	case "extract":
		return "extract of " + d.value
	}
	return ""
}

// newer reports whether d is dated strictly after o.
func (d dating) newer(o dating) bool {
	return d.kind != "" && d.kind == o.kind && d.value > o.value
}

// archiveDating dates a data.police.uk file by its archive (see
// datasets.ArchiveMonths); months holds the archives' months.
func archiveDating(name string, months map[string]datasets.Month) dating {
	n, ok := datasets.ParsePoliceUKName(name)
	if !ok || n.Archive == "" {
		return dating{}
	}
	m, ok := months[n.Archive]
	if !ok {
		return dating{}
	}
	return dating{kind: "archive", value: m.String()}
}

// readResult is what reading one input gave.
type readResult struct {
	ext      *datasets.Extract
	format   datasets.Format
	outcomes *policeuk.Outcomes // a police.uk outcomes file, until typed
	skip     string             // the input is not ingested: why
}

// readInput sniffs one input's format and reads it with its reader. A
// data.police.uk file that is not England and Wales crime data (stop and
// search; Northern Ireland's, by its name) comes back with skip set. A
// police.uk street or outcomes file is checked against its name
// (policeuk.ExpectFromName) and a street file keeps its Crime IDs.
func readInput(ctx context.Context, in datasets.Input, done *atomic.Int64, log *slog.Logger, spill *lazySpill) (readResult, error) {
	if n, ok := datasets.ParsePoliceUKName(in.Name); ok && n.Slug == datasets.SlugNorthernIreland {
		done.Add(in.Size)
		return readResult{skip: datasets.ReasonNorthernIreland}, nil
	}
	format, err := datasets.Sniff(in)
	if err != nil {
		return readResult{}, err
	}
	if format == datasets.FormatPoliceUKStopSearch {
		done.Add(in.Size)
		return readResult{format: format, skip: datasets.ReasonStopAndSearch}, nil
	}
	rc, err := in.Open()
	if err != nil {
		return readResult{}, fmt.Errorf("open %q: %w", in.Name, datasets.WithoutPath(err))
	}
	defer rc.Close()
	r := countingReader{rc, done}
	res := readResult{format: format}
	switch format {
	case datasets.FormatPoliceUKStreet, datasets.FormatPoliceUKOutcomes:
		exp, err := policeuk.ExpectFromName(in.Name)
		if err != nil {
			return readResult{}, err
		}
		opts := policeuk.ReadOptions{Logger: log, Expect: exp, CrimeIDs: true}
		if format == datasets.FormatPoliceUKStreet && spill != nil {
			if opts.Spill, err = spill.get(); err != nil {
				return readResult{}, err
			}
		}
		if format == datasets.FormatPoliceUKOutcomes {
			if res.outcomes, err = policeuk.ReadOutcomes(ctx, in.Name, r, opts); err != nil {
				return readResult{}, err
			}
			res.ext = res.outcomes.Extract
			return res, nil
		}
		if res.ext, err = policeuk.ReadWith(ctx, in.Name, r, opts); err != nil {
			return readResult{}, err
		}
		return res, nil
	case datasets.FormatHomeOfficeCSV:
		res.ext, err = homeoffice.ReadCSV(ctx, in.Name, r)
	case datasets.FormatXLSX:
		res.ext, err = readWorkbook(ctx, in.Name, r)
	case datasets.FormatODS:
		res.ext, err = homeoffice.ReadODS(ctx, in.Name, r)
	default:
		return readResult{}, fmt.Errorf("%q: %w: %s", in.Name, datasets.ErrUnknownFormat, format)
	}
	if err != nil {
		return readResult{}, err
	}
	return res, nil
}

// lazySpill creates the ingest's Crime ID spill file
// (store.NewCrimeIDSpill) when the first street file needs it, once.
type lazySpill struct {
	st   *store.Store
	once sync.Once
	sp   *datasets.CrimeIDSpill
	err  error
}

func (l *lazySpill) get() (*datasets.CrimeIDSpill, error) {
	l.once.Do(func() { l.sp, l.err = l.st.NewCrimeIDSpill() })
	return l.sp, l.err
}

// close closes and removes the spill file, if one was made; a file that
// cannot be removed is left for the next writer, and logged.
func (l *lazySpill) close(log *slog.Logger) {
	l.once.Do(func() {}) // none made now: none will be
	if l.sp != nil {
		if err := l.sp.Close(); err != nil {
			log.Warn("the temporary file of Crime IDs was left for the next ingest to remove", "error", err)
		}
	}
}

// inputNames lists the names of inputs, for datasets.ArchiveMonths.
func inputNames(inputs []datasets.Input) []string {
	names := make([]string, len(inputs))
	for i, in := range inputs {
		names[i] = in.Name
	}
	return names
}
