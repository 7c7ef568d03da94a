package demo

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"

	"github.com/crimetrends/crimetrends/datasets"
)

// Street name parts for "On or near ..." locations.
var (
	streetStems = []string{"High", "Station", "Church", "Park", "Victoria", "Green", "Manor", "Mill",
		"School", "London", "Albert", "New", "King", "Queen", "North", "South", "West", "Grange",
		"Chapel", "Springfield", "Windsor", "York", "Richmond", "Oxford", "Orchard", "Meadow",
		"Alexandra", "Elm", "Highfield", "Castle", "Market", "Bridge", "Brook", "Cedar", "Willow",
		"Beech", "Kingsway", "St John's", "Stanley", "Nelson", "Wellington", "Hawthorn", "Farm"}
	streetKinds = []string{"Street", "Road", "Lane", "Avenue", "Close", "Way", "Drive", "Crescent",
		"Gardens", "Place", "Grove", "Terrace"}
	streetAreas = []string{"Hill", "Green", "Upper", "Lower", "Heath", "Common"}
	landmarks   = []string{"Supermarket", "Petrol Station", "Parking Area", "Shopping Area",
		"Sports/Recreation Area", "Nightclub", "Further/Higher Educational Building", "Hospital",
		"Theatre/Concert Hall", "Police Station", "Pedestrian Subway", "Conference/Exhibition Centre"}
)

// outcome is one "Last outcome category" with a relative weight.
type outcome struct {
	name   string
	weight int
}

// Outcomes of crimes whose investigation has finished, in the proportions
// seen in street-level extracts, and a variant for drug offences (mostly
// found by police action, so more often with a suspect).
var (
	outcomesDefault = cumulate([]outcome{
		{"Investigation complete; no suspect identified", 480}, {"Unable to prosecute suspect", 315},
		{"Further investigation is not in the public interest", 57}, {"Court result unavailable", 47},
		{"Formal action is not in the public interest", 19}, {"Offender given a caution", 18},
		{"Local resolution", 14}, {"Action to be taken by another organisation", 10},
		{"Status update unavailable", 9}, {"Offender given community sentence", 6},
		{"Offender sent to prison", 4}, {"Offender fined", 3}, {"Defendant found not guilty", 3},
		{"Offender given penalty notice", 3}, {"Offender given conditional discharge", 2},
		{"Court case unable to proceed", 2}, {"Offender given suspended prison sentence", 2},
		{"Awaiting court outcome", 2}, {"Suspect charged as part of another case", 1},
	})
	outcomesDrugs = cumulate([]outcome{
		{"Offender given a drugs possession warning", 220}, {"Court result unavailable", 200},
		{"Local resolution", 180}, {"Unable to prosecute suspect", 120},
		{"Further investigation is not in the public interest", 80}, {"Offender given a caution", 70},
		{"Formal action is not in the public interest", 40}, {"Offender given penalty notice", 30},
		{"Offender sent to prison", 15}, {"Offender given community sentence", 15},
		{"Offender fined", 15}, {"Investigation complete; no suspect identified", 15},
	})
)

// cumulate turns weights into running totals for sampling.
func cumulate(os []outcome) []outcome {
	out := make([]outcome, len(os))
	sum := 0
	for i, o := range os {
		sum += o.weight
		out[i] = outcome{o.name, sum}
	}
	return out
}

func pickOutcome(r *rand.Rand, os []outcome) string {
	x := r.IntN(os[len(os)-1].weight)
	i := sort.Search(len(os), func(i int) bool { return os[i].weight > x })
	return os[i].name
}

// underInvestigation is the chance a crime age months old is still open.
func underInvestigation(age int) float64 {
	switch {
	case age <= 1:
		return 0.45
	case age <= 3:
		return 0.25
	case age <= 6:
		return 0.10
	case age <= 12:
		return 0.04
	}
	return 0.015
}

// crimeID derives a row's 64-hex Crime ID from the seed, force, month and row.
func crimeID(dst []byte, seed uint64, code string, m datasets.Month, row int) []byte {
	var b [64]byte
	binary.LittleEndian.PutUint64(b[0:], seed)
	binary.LittleEndian.PutUint32(b[8:], uint32(m))
	binary.LittleEndian.PutUint32(b[12:], uint32(row))
	n := 16 + copy(b[16:], code)
	sum := sha256.Sum256(b[:n])
	return hex.AppendEncode(dst, sum[:])
}

// lsoaName gives the LSOA name of index idx in a force: "Wiltshire 012A".
func lsoaName(dst []byte, districts []district, idx int) []byte {
	d := idx % len(districts)
	k := idx / len(districts)
	msoa := k/5 + 1
	dst = append(dst, districts[d].name...)
	dst = append(dst, ' ')
	switch {
	case msoa < 10:
		dst = append(dst, '0', '0')
	case msoa < 100:
		dst = append(dst, '0')
	}
	dst = strconv.AppendInt(dst, int64(msoa), 10)
	return append(dst, byte('A'+k%5))
}

// policeUKFile appends the CSV for force fi in month m to buf.
func (g *generator) policeUKFile(buf []byte, fi int, m datasets.Month) []byte {
	f := &g.forces[fi]
	r := rand.New(rand.NewPCG(g.seed^0x706f6c696365, splitmix(f.hash^uint64(m)<<8)))
	df, t := g.monthFactors(m)

	asbIndex := len(g.cats)
	var rows []int16
	for ci, offs := range g.catOffs {
		var lam float64
		for _, oi := range offs {
			lam += g.lambda(f, oi, m, df, t)
		}
		n := poisson(r, lam*g.scale)
		for range n {
			rows = append(rows, int16(ci))
		}
	}
	if g.asb != "" {
		lam := f.asbBase * seasons[seasonASB][m.MonthOfYear()-1] * df * math.Exp(f.asbGrowth*t)
		for range poisson(r, lam*g.scale) {
			rows = append(rows, int16(asbIndex))
		}
	}
	r.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })

	month := m.String()
	age := int(g.from.Add(g.months-1) - m)
	pOpen := underInvestigation(age)
	var field []byte
	buf = append(buf, PoliceUKHeader...)
	buf = append(buf, '\n')
	for i, ci := range rows {
		isASB := int(ci) == asbIndex
		category := g.asb
		if !isASB {
			category = g.cats[ci]
			buf = crimeID(buf, g.seed, f.area.Code, m, i+1)
		}
		buf = append(buf, ',')
		buf = append(buf, month...)
		buf = append(buf, ',')
		buf = appendField(buf, f.reportedBy)
		buf = append(buf, ',')

		within := f
		if f.btp {
			x := r.Float64() * g.btpCum[len(g.btpCum)-1]
			k := sort.SearchFloat64s(g.btpCum, x)
			if k >= len(g.territorial) {
				k = len(g.territorial) - 1
			}
			within = &g.forces[g.territorial[k]]
		}
		buf = appendField(buf, within.reportedBy)
		buf = append(buf, ',')

		if r.IntN(100) == 0 { // about 1% of rows have no location
			buf = append(buf, ",,No location,,,"...)
		} else {
			idx := int(float64(within.lsoaCount) * math.Pow(r.Float64(), 1.3))
			h := splitmix(within.hash ^ uint64(idx)<<20)
			d := &within.districts[idx%len(within.districts)]
			dist := within.prof.radiusKm * 0.45 * unit(h)
			ang := 2 * math.Pi * unit(splitmix(h))
			lon, lat := offset(d.lon, d.lat, dist*math.Cos(ang), dist*math.Sin(ang))
			lon += (r.Float64() - 0.5) * 0.004
			lat += (r.Float64() - 0.5) * 0.003
			buf = strconv.AppendFloat(buf, lon, 'f', 6, 64)
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, lat, 'f', 6, 64)
			buf = append(buf, ',')

			field = append(field[:0], "On or near "...)
			switch x := r.IntN(100); {
			case f.btp:
				field = append(field, d.station...)
				field = append(field, " (station)"...)
			case x < 15:
				field = append(field, landmarks[r.IntN(len(landmarks))]...)
			default:
				s := splitmix(h + uint64(r.IntN(6)))
				field = append(field, streetStems[s%uint64(len(streetStems))]...)
				field = append(field, ' ')
				field = append(field, streetKinds[(s>>16)%uint64(len(streetKinds))]...)
				if x < 17 {
					field = append(field, ", "...)
					field = append(field, streetAreas[(s>>32)%uint64(len(streetAreas))]...)
				}
			}
			buf = appendField(buf, field)
			buf = append(buf, ',')

			buf = append(buf, within.lsoaPrefix...)
			n := within.lsoaFirst + idx
			for p := 100000; p > 1; p /= 10 {
				if n < p {
					buf = append(buf, '0')
				}
			}
			buf = strconv.AppendInt(buf, int64(n), 10)
			buf = append(buf, ',')
			field = lsoaName(field[:0], within.districts, idx)
			buf = appendField(buf, field)
			buf = append(buf, ',')
		}

		buf = appendField(buf, category)
		buf = append(buf, ',')
		if !isASB {
			switch {
			case r.Float64() < pOpen:
				buf = append(buf, "Under investigation"...)
			case category == catDrugs:
				buf = append(buf, pickOutcome(r, outcomesDrugs)...)
			default:
				buf = append(buf, pickOutcome(r, outcomesDefault)...)
			}
		}
		buf = append(buf, ",\n"...)
	}
	return buf
}
