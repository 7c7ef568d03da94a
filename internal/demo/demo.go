package demo

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/sync/errgroup"

	"github.com/crimetrends/crimetrends/datasets"
)

// Options controls what Generate writes. The zero value gives the defaults.
type Options struct {
	Seed   uint64         // PRNG seed; 0 means the default, 1
	From   datasets.Month // first month; 0 means 2021-04 (a financial year start)
	Months int            // number of months; 0 means 48. From and Months must cover whole financial quarters
	Scale  float64        // fraction of realistic volumes, in (0, 1], in both sources alike (so they stay in proportion); 0 means 0.02
}

// Defaults for the zero Options.
const (
	DefaultSeed   = 1
	DefaultMonths = 48
	DefaultScale  = 0.02
)

// DefaultFrom is the first month when Options.From is zero: April 2021.
var DefaultFrom = datasets.MonthOf(2021, 4)

// Output locations under the directory given to Generate.
const (
	PoliceUKDir    = "police-uk"
	HomeOfficeDir  = "home-office"
	HomeOfficeFile = "prc-pfa-synthetic.csv"
	ReadmeFile     = "README.txt"
)

// PoliceUKHeader is the header row of a data.police.uk street-level CSV.
const PoliceUKHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context"

// HomeOfficeHeader is the header row of the Home Office open data CSV.
const HomeOfficeHeader = "Financial Year,Financial Quarter,Force Name,Offence Description,Offence Group,Offence Subgroup,Offence Code,Number of Offences"

// ErrNoReferenceData is returned when package datasets supplies no forces,
// offences or categories to generate from.
var ErrNoReferenceData = errors.New("demo: reference data is empty")

// withDefaults fills zero fields and checks the rest.
func (o Options) withDefaults() (Options, error) {
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.From == 0 {
		o.From = DefaultFrom
	}
	if o.Months == 0 {
		o.Months = DefaultMonths
	}
	if o.Scale == 0 {
		o.Scale = DefaultScale
	}
	switch {
	case o.From < datasets.MonthOf(1900, 1) || o.From > datasets.MonthOf(2999, 12):
		return o, fmt.Errorf("demo options: first month %d is out of range", o.From)
	case (o.From.MonthOfYear()-1)%3 != 0:
		return o, fmt.Errorf("demo options: first month %s does not start a financial quarter (January, April, July or October)", o.From)
	case o.Months < 0 || o.Months%3 != 0 || o.Months > 1200:
		return o, fmt.Errorf("demo options: months %d: want a positive multiple of 3 (whole financial quarters), at most 1200", o.Months)
	case !(o.Scale > 0 && o.Scale <= 1):
		return o, fmt.Errorf("demo options: scale %v: want a fraction in (0, 1]", o.Scale)
	case o.From.Add(o.Months-1) > datasets.MonthOf(2999, 12):
		return o, fmt.Errorf("demo options: last month is after 2999-12")
	}
	return o, nil
}

// Generate writes deterministic synthetic extracts in both source formats
// under dir and returns the paths written, sorted:
//
//	dir/README.txt                                  says the data is synthetic
//	dir/police-uk/YYYY-MM/YYYY-MM-<slug>-street.csv every force and BTP, every month
//	dir/home-office/prc-pfa-synthetic.csv           force x financial quarter x offence code
//
// Existing files with those names are replaced; nothing else in dir is
// touched. The bytes depend only on opts and the reference data in package
// datasets. On cancellation Generate stops soon and returns an error
// wrapping ctx.Err(); files already written are left in place.
func Generate(ctx context.Context, dir string, opts Options) ([]string, error) {
	return generate(ctx, dir, opts, reference{
		forces:     datasets.Forces(),
		offences:   datasets.Offences(),
		categories: datasets.Categories(),
	})
}

// reference is the reference data a generator works from.
type reference struct {
	forces     []datasets.Area
	offences   []datasets.Offence
	categories []datasets.Category
}

func generate(ctx context.Context, dir string, opts Options, ref reference) ([]string, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	g, err := newGenerator(opts, ref)
	if err != nil {
		return nil, err
	}
	var paths []string
	paths = append(paths, filepath.Join(dir, ReadmeFile), filepath.Join(dir, HomeOfficeDir, HomeOfficeFile))
	for i := 0; i < g.months; i++ {
		m := g.from.Add(i).String()
		if err := os.MkdirAll(filepath.Join(dir, PoliceUKDir, m), 0o755); err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		for fi := range g.forces {
			paths = append(paths, g.policeUKPath(dir, fi, g.from.Add(i)))
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, HomeOfficeDir), 0o755); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	if err := os.WriteFile(paths[0], []byte(g.readme()), 0o644); err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}

	eg, ectx := errgroup.WithContext(ctx)
	eg.SetLimit(runtime.GOMAXPROCS(0))
	eg.Go(func() error { return g.writeHomeOffice(ectx, paths[1]) })
	for fi := range g.forces {
		eg.Go(func() error {
			var buf []byte
			for i := 0; i < g.months; i++ {
				if err := ectx.Err(); err != nil {
					return err
				}
				m := g.from.Add(i)
				buf = g.policeUKFile(buf[:0], fi, m)
				p := g.policeUKPath(dir, fi, m)
				if err := os.WriteFile(p, buf, 0o644); err != nil {
					return fmt.Errorf("write %s: %w", p, err)
				}
			}
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("demo: %w", ctx.Err())
		}
		return nil, fmt.Errorf("demo: %w", err)
	}
	sort.Strings(paths)
	return paths, nil
}

// generator holds the model, built once and then only read.
type generator struct {
	seed   uint64
	from   datasets.Month
	months int
	scale  float64

	forces   []forceModel
	offences []datasets.Offence // non-fraud offences, in reference order
	season   []int              // per offence: seasonal profile
	offCat   []int              // per offence: index into cats, or -1

	cats      []string // police.uk crime categories (not ASB), in reference order
	catSeason []int
	catOffs   [][]int // per category: offence indices
	asb       string  // name of the ASB category; "" if there is none

	territorial []int     // force indices that BTP crimes can fall within
	btpCum      []float64 // cumulative weights over territorial
}

// forceModel is one force's part of the model.
type forceModel struct {
	area       datasets.Area
	prof       forceProfile
	btp        bool
	hoName     string
	reportedBy string
	hash       uint64
	base       []float64 // per offence: expected offences in a mean month at the start
	growth     []float64 // per offence: yearly log growth
	asbBase    float64
	asbGrowth  float64
	lsoaPrefix string // "E01" or "W01"
	lsoaFirst  int
	lsoaCount  int
	districts  []district
}

// district is a local authority used for LSOA names and centroids.
type district struct {
	name     string // as in LSOA names
	station  string // for BTP locations
	lon, lat float64
}

func newGenerator(opts Options, ref reference) (*generator, error) {
	if len(ref.forces) == 0 || len(ref.offences) == 0 || len(ref.categories) == 0 {
		return nil, fmt.Errorf("%w: %d forces, %d offences, %d categories", ErrNoReferenceData, len(ref.forces), len(ref.offences), len(ref.categories))
	}
	g := &generator{seed: opts.Seed, from: opts.From, months: opts.Months, scale: opts.Scale}

	catIndex := map[string]int{}
	for _, c := range ref.categories {
		if !c.IsCrime {
			g.asb = c.Name
			continue
		}
		catIndex[strings.ToLower(c.Name)] = len(g.cats)
		g.cats = append(g.cats, c.Name)
		g.catSeason = append(g.catSeason, seasonOf(c.Name))
	}
	g.catOffs = make([][]int, len(g.cats))
	var totalVolume float64
	for _, o := range ref.offences {
		if o.Fraud {
			continue
		}
		ci, ok := catIndex[strings.ToLower(o.Category)]
		if !ok {
			ci, ok = catIndex[strings.ToLower(catOtherCrime)]
		}
		if !ok {
			ci = -1
		} else {
			g.catOffs[ci] = append(g.catOffs[ci], len(g.offences))
		}
		g.offences = append(g.offences, o)
		g.offCat = append(g.offCat, ci)
		g.season = append(g.season, seasonOf(o.Category))
		totalVolume += volumeOf(o.Code)
	}
	if len(g.offences) == 0 || totalVolume == 0 {
		return nil, fmt.Errorf("%w: no non-fraud offences", ErrNoReferenceData)
	}

	lsoaNext := map[string]int{"E01": 1, "W01": 1}
	for _, a := range ref.forces {
		f := forceModel{area: a, btp: a.Code == datasets.CodeBTP || a.Kind == datasets.KindBTP}
		f.prof = profileFor(a.Code)
		if f.btp {
			f.prof = btpProfile
		}
		f.hash = hashString(a.Code)
		f.hoName = a.Name
		f.reportedBy = a.Force
		switch {
		case f.btp:
			f.hoName = "British Transport Police"
			if f.reportedBy == "" {
				f.reportedBy = "British Transport Police"
			}
		case a.Code == "E23000034" || a.Slug == "city-of-london":
			f.hoName = "London, City of"
		}
		if f.reportedBy == "" {
			f.reportedBy = a.Name
		}
		g.buildRates(&f, totalVolume)
		if !f.btp {
			f.lsoaPrefix = "E01"
			if strings.HasPrefix(a.Code, "W") {
				f.lsoaPrefix = "W01"
			}
			f.lsoaCount = max(6, int(f.prof.popK/1.6))
			f.lsoaFirst = lsoaNext[f.lsoaPrefix]
			lsoaNext[f.lsoaPrefix] += f.lsoaCount
			f.districts = placeDistricts(f.prof)
			g.territorial = append(g.territorial, len(g.forces))
			w := f.prof.btpWeight
			if len(g.btpCum) > 0 {
				w += g.btpCum[len(g.btpCum)-1]
			}
			g.btpCum = append(g.btpCum, w)
		}
		g.forces = append(g.forces, f)
	}
	if len(g.territorial) == 0 || g.btpCum[len(g.btpCum)-1] <= 0 {
		return nil, fmt.Errorf("%w: no territorial forces", ErrNoReferenceData)
	}
	return g, nil
}

func volumeOf(code string) float64 {
	if v, ok := nationalVolume[code]; ok {
		return v
	}
	return fallbackVolume
}

// buildRates sets a force's expected monthly counts and growth rates.
// Force-to-force variation comes from a PRNG seeded by the seed and the code
// and drawn in a fixed order.
func (g *generator) buildRates(f *forceModel, totalVolume float64) {
	r := rand.New(rand.NewPCG(g.seed, splitmix(f.hash^0x7061726d73)))
	overall := spread(r, 0.04)
	level := make([]float64, len(g.cats))
	trend := make([]float64, len(g.cats))
	for i := range g.cats {
		level[i] = math.Exp(0.15 * r.NormFloat64())
		trend[i] = spread(r, 0.04)
	}
	stalking := spread(r, 0.07)
	asbLevel := math.Exp(0.2 * r.NormFloat64())
	asbTrend := spread(r, 0.05)

	yearly := f.prof.popK * f.prof.rate
	f.base = make([]float64, len(g.offences))
	f.growth = make([]float64, len(g.offences))
	var sum float64
	for i, o := range g.offences {
		b := yearly * volumeOf(o.Code) / totalVolume / 12
		if ci := g.offCat[i]; ci >= 0 {
			b *= level[ci]
			f.growth[i] = trend[ci]
		}
		if f.btp {
			if m, ok := btpMix[o.Category]; ok {
				b *= m
			}
		}
		f.base[i] = b
		sum += b
		f.growth[i] += overall + math.Log1p(growthOf(o.Code, o.Subgroup, o.Group, o.Category))
		if o.Subgroup == "Stalking and harassment" {
			f.growth[i] += stalking
		}
	}
	if sum > 0 { // keep the force total at population x rate
		k := yearly / 12 / sum
		for i := range f.base {
			f.base[i] *= k
		}
	}
	f.asbBase = f.prof.popK * asbPerThousand * math.Sqrt(f.prof.rate/88) * asbLevel / 12
	if f.btp {
		f.asbBase *= btpMix[catASB]
	}
	f.asbGrowth = overall + math.Log1p(growthByCat[catASB]) + asbTrend
}

// spread draws uniformly from [-w, w): bounded, so no force runs away.
func spread(r *rand.Rand, w float64) float64 { return w * (2*r.Float64() - 1) }

// placeDistricts spreads a force's districts around its centre: the first
// (usually the main city) at the centre, the others on a ring.
func placeDistricts(p forceProfile) []district {
	ds := make([]district, len(p.districts))
	h := hashString(p.code)
	for i, name := range p.districts {
		d := district{name: name, lon: p.lon, lat: p.lat}
		d.station = strings.TrimSuffix(strings.TrimSuffix(name, ", City of"), ", County of")
		if i > 0 {
			dist := p.radiusKm * (0.35 + 0.3*unit(splitmix(h+uint64(2*i))))
			ang := 2 * math.Pi * (float64(i-1)/float64(len(p.districts)-1) + 0.2*unit(splitmix(h+uint64(2*i+1))))
			d.lon, d.lat = offset(p.lon, p.lat, dist*math.Cos(ang), dist*math.Sin(ang))
		}
		ds[i] = d
	}
	return ds
}

// offset moves a point dx km east and dy km north.
func offset(lon, lat, dx, dy float64) (float64, float64) {
	return lon + dx/(111.32*math.Cos(lat*math.Pi/180)), lat + dy/111.32
}

// lambda is the expected count of offence oi for force fi in month m.
func (g *generator) lambda(f *forceModel, oi int, m datasets.Month, dayFactor, t float64) float64 {
	return f.base[oi] * seasons[g.season[oi]][m.MonthOfYear()-1] * dayFactor * math.Exp(f.growth[oi]*t)
}

// monthFactors gives the days-in-month factor and the years since From.
func (g *generator) monthFactors(m datasets.Month) (dayFactor, t float64) {
	return float64(daysIn(m.Year(), m.MonthOfYear())) / 30.4375, float64(m-g.from) / 12
}

func (g *generator) policeUKPath(dir string, fi int, m datasets.Month) string {
	ms := m.String()
	slug := g.forces[fi].area.Slug
	if slug == "" {
		slug = strings.ToLower(g.forces[fi].area.Code)
	}
	return filepath.Join(dir, PoliceUKDir, ms, ms+"-"+slug+"-street.csv")
}

// readme is the text of README.txt.
func (g *generator) readme() string {
	return fmt.Sprintf(`SYNTHETIC DATA - NOT REAL POLICE RECORDED CRIME

Every file under this directory was invented by "crimetrends demo" to show
what the pipeline and its reports do. The figures look plausible but are not
police recorded crime: do not quote, publish or compare them with real data.
Force names, offence codes and categories are real reference data; the
counts, crime IDs, locations, LSOAs and outcomes are not.

  police-uk/YYYY-MM/YYYY-MM-<force>-street.csv  data.police.uk street-level format
  home-office/%s                 Home Office open data format

Generated with seed %d, first month %s, %d months, at %s of real volumes in every source.
`, HomeOfficeFile, g.seed, g.from, g.months, strconv.FormatFloat(g.scale, 'g', -1, 64))
}

// writeHomeOffice writes the Home Office CSV: every force, financial
// quarter and non-fraud offence code, at full realistic volumes.
func (g *generator) writeHomeOffice(ctx context.Context, path string) error {
	file, err := os.Create(path)
	if err != nil {
		return err
	}
	defer file.Close()
	w := bufio.NewWriterSize(file, 256<<10)

	forces := make([]int, len(g.forces))
	rngs := make([]*rand.Rand, len(g.forces))
	for i := range forces {
		forces[i] = i
		rngs[i] = rand.New(rand.NewPCG(g.seed, splitmix(g.forces[i].hash^0x686f)))
	}
	sort.SliceStable(forces, func(a, b int) bool {
		fa, fb := g.forces[forces[a]], g.forces[forces[b]]
		if fa.hoName != fb.hoName {
			return fa.hoName < fb.hoName
		}
		return fa.area.Code < fb.area.Code
	})
	offs := make([]int, len(g.offences))
	for i := range offs {
		offs[i] = i
	}
	sort.SliceStable(offs, func(a, b int) bool {
		oa, ob := g.offences[offs[a]], g.offences[offs[b]]
		if oa.Description != ob.Description {
			return oa.Description < ob.Description
		}
		return oa.Code < ob.Code
	})

	buf := make([]byte, 0, 512)
	buf = append(buf, HomeOfficeHeader...)
	buf = append(buf, '\n')
	lam := make([]float64, len(g.offences))
	for q := 0; q < g.months/3; q++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		first := g.from.Add(3 * q)
		fy := first.Year()
		if first.MonthOfYear() < 4 {
			fy--
		}
		prefix := financialYear(fy) + "," + strconv.Itoa((first.MonthOfYear()+8)%12/3+1) + ","
		for _, fi := range forces {
			f := &g.forces[fi]
			clear(lam)
			for k := 0; k < 3; k++ {
				m := first.Add(k)
				df, t := g.monthFactors(m)
				for oi := range lam {
					lam[oi] += g.lambda(f, oi, m, df, t)
				}
			}
			for _, oi := range offs {
				o := &g.offences[oi]
				buf = append(buf, prefix...)
				buf = appendField(buf, f.hoName)
				buf = append(buf, ',')
				buf = appendField(buf, o.Description)
				buf = append(buf, ',')
				buf = appendField(buf, o.Group)
				buf = append(buf, ',')
				buf = appendField(buf, o.Subgroup)
				buf = append(buf, ',')
				buf = appendField(buf, o.Code)
				buf = append(buf, ", "...)
				buf = strconv.AppendInt(buf, int64(poisson(rngs[fi], lam[oi]*g.scale)), 10)
				buf = append(buf, " \n"...)
				if _, err := w.Write(buf); err != nil {
					return fmt.Errorf("write %s: %w", path, err)
				}
				buf = buf[:0]
			}
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := file.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// financialYear gives "2021/22" for 2021.
func financialYear(startYear int) string {
	yy := (startYear + 1) % 100
	s := strconv.Itoa(startYear) + "/"
	if yy < 10 {
		s += "0"
	}
	return s + strconv.Itoa(yy)
}

// appendField appends s as one CSV field, quoted when it must be.
func appendField[T string | []byte](buf []byte, s T) []byte {
	quote := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == ',' || c == '"' || c == '\r' || c == '\n' {
			quote = true
			break
		}
	}
	if !quote {
		return append(buf, s...)
	}
	buf = append(buf, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			buf = append(buf, '"')
		}
		buf = append(buf, s[i])
	}
	return append(buf, '"')
}
