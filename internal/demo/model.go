package demo

import (
	"math"
	"math/rand/v2"
)

// nationalVolume is an approximate yearly England and Wales volume for each
// Home Office offence code around 2021. Only the shares matter: each force's
// total is set by its population and rate, then split by these weights.
// Codes not listed get fallbackVolume.
var nationalVolume = map[string]float64{
	"105A": 600000, "8N": 470000, "46": 300000, "49": 320000, "9A": 320000,
	"45": 190000, "28E": 170000, "58C": 180000, "8R": 200000, "58A": 130000,
	"58D": 125000, "8L": 170000, "30C": 80000, "48": 110000, "44": 80000,
	"39": 80000, "49A": 80000, "92E": 90000, "34B": 62000, "126": 50000,
	"66": 60000, "28F": 40000, "40": 45000, "58B": 45000, "9B": 40000,
	"20A": 45000, "19C": 42000, "5D": 32000, "92D": 33000, "59": 26000,
	"3B": 40000, "92A": 30000, "86": 25000, "56B": 20000, "10D": 22000,
	"104": 30000, "30D": 13000, "11A": 22000, "22B": 15000, "10C": 14000,
	"41": 9000, "8Q": 80000, "88E": 11000, "20B": 10000, "21": 9000,
	"35": 14000, "8S": 9000, "34A": 7000, "19D": 8000, "105B": 8000,
	"79": 7000, "99": 6000, "37.2": 4500, "61": 5000, "17A": 6000,
	"19E": 5500, "802": 5500, "47": 3000, "36": 6000, "69": 4500,
	"88A": 5000, "56A": 4000, "17B": 4000, "10B": 3500, "54": 3500,
	"106": 8000, "8P": 3000, "29A": 2800, "28G": 2000, "5E": 3000,
	"33": 2500, "42": 2000, "19H": 2500, "19F": 2600, "10A": 2300,
	"58J": 2200, "43": 1800, "38": 1800, "8M": 4000, "33A": 1700,
	"62A": 1500, "2": 1200, "71": 1200, "13": 1300, "81": 900,
	"23": 900, "19G": 900, "61A": 800, "92C": 800, "80": 700,
	"22A": 800, "814": 700, "1/4.1/4.10/4.2": 700, "1": 650, "4.4": 600,
	"88C": 500, "27": 300, "28H": 300, "60": 300, "31A": 350,
	"95": 300, "73": 300, "70": 250, "24": 250, "4.8": 150,
	"67": 120, "83": 100, "96": 80, "26": 60, "3A": 60,
	"4.7": 40, "88D": 30, "4.6": 30, "76": 20, "4.3": 20,
	"37.1": 15, "15": 12, "4.9": 10, "90": 10, "14": 5, "72": 5,
	// Outcome-only codes: nothing is recorded against them.
	"31": 0, "29": 0, "30B": 0, "28B": 0, "28D": 0, "30A": 0, "28A": 0, "28C": 0,
}

// fallbackVolume is the yearly national volume for a code missing above.
const fallbackVolume = 100

// asbPerThousand is the yearly anti-social behaviour incidents per 1,000
// residents at an average force; it makes ASB about a quarter of police.uk rows.
const asbPerThousand = 30

// Police.uk category names, as in the CSV "Crime type" column.
const (
	catASB         = "Anti-social behaviour"
	catViolence    = "Violence and sexual offences"
	catBurglary    = "Burglary"
	catBicycle     = "Bicycle theft"
	catVehicle     = "Vehicle crime"
	catShoplifting = "Shoplifting"
	catOtherTheft  = "Other theft"
	catPerson      = "Theft from the person"
	catPublicOrder = "Public order"
	catDamage      = "Criminal damage and arson"
	catDrugs       = "Drugs"
	catWeapons     = "Possession of weapons"
	catRobbery     = "Robbery"
	catOtherCrime  = "Other crime"
)

// Seasonal profiles: relative daily rates by month of year (January first),
// normalised to mean 1 in init.
const (
	seasonFlat = iota
	seasonViolence
	seasonASB
	seasonBurglary
	seasonTheft
	seasonBicycle
	seasonVehicle
	seasonDisorder
	numSeasons
)

var seasons = [numSeasons][12]float64{
	seasonFlat:     {0.97, 0.97, 1.00, 1.00, 1.02, 1.02, 1.02, 1.00, 1.00, 1.02, 1.00, 0.98},
	seasonViolence: {0.90, 0.90, 0.96, 1.00, 1.07, 1.08, 1.10, 1.06, 1.00, 1.00, 0.94, 1.00},
	seasonASB:      {0.78, 0.80, 0.92, 1.04, 1.14, 1.18, 1.26, 1.18, 1.00, 0.98, 0.88, 0.84},
	seasonBurglary: {1.10, 1.00, 0.95, 0.90, 0.88, 0.86, 0.90, 0.92, 0.97, 1.10, 1.20, 1.22},
	seasonTheft:    {0.95, 0.95, 1.00, 0.98, 1.00, 0.98, 1.00, 1.00, 0.98, 1.02, 1.05, 1.10},
	seasonBicycle:  {0.60, 0.64, 0.80, 0.96, 1.16, 1.26, 1.34, 1.30, 1.20, 1.04, 0.90, 0.70},
	seasonVehicle:  {1.03, 0.97, 0.98, 0.95, 0.96, 0.95, 0.98, 1.00, 1.00, 1.05, 1.08, 1.05},
	seasonDisorder: {0.93, 0.93, 0.98, 1.00, 1.05, 1.05, 1.06, 1.04, 1.00, 1.02, 0.96, 0.98},
}

func init() {
	for i := range seasons {
		var sum float64
		for _, v := range seasons[i] {
			sum += v
		}
		for j := range seasons[i] {
			seasons[i][j] *= 12 / sum
		}
	}
}

// seasonOf picks a seasonal profile from the police.uk category.
func seasonOf(category string) int {
	switch category {
	case catViolence:
		return seasonViolence
	case catASB:
		return seasonASB
	case catBurglary:
		return seasonBurglary
	case catShoplifting, catOtherTheft, catPerson:
		return seasonTheft
	case catBicycle:
		return seasonBicycle
	case catVehicle:
		return seasonVehicle
	case catPublicOrder, catDamage:
		return seasonDisorder
	}
	return seasonFlat
}

// Annual growth rates (fractions) by code, then subgroup, group, category.
var (
	growthByCode = map[string]float64{"8L": 0.22, "8M": 0.18, "8Q": 0.32, "8R": 0.26}
	growthBySub  = map[string]float64{"Stalking and harassment": 0.25, "Violence without injury": 0.01, "Violence with injury": -0.01}
	growthByGrp  = map[string]float64{"Sexual offences": 0.04}
	growthByCat  = map[string]float64{
		catViolence: 0.0, catShoplifting: 0.08, catOtherTheft: -0.03, catPerson: 0.04,
		catBicycle: -0.06, catBurglary: -0.05, catVehicle: -0.05, catRobbery: 0.03,
		catDamage: -0.04, catDrugs: -0.04, catWeapons: 0.03, catPublicOrder: -0.02,
		catOtherCrime: 0.02, catASB: -0.08,
	}
)

// growthOf returns the national annual growth rate for an offence.
func growthOf(code, subgroup, group, category string) float64 {
	if g, ok := growthByCode[code]; ok {
		return g
	}
	if g, ok := growthBySub[subgroup]; ok {
		return g
	}
	if g, ok := growthByGrp[group]; ok {
		return g
	}
	return growthByCat[category]
}

// btpMix scales a category for British Transport Police, whose crime is
// mostly on trains and at stations.
var btpMix = map[string]float64{
	catASB: 0.05, catBurglary: 0.02, catVehicle: 0.1, catShoplifting: 0.1,
	catPerson: 4, catBicycle: 2.5, catPublicOrder: 1.6, catRobbery: 1.2,
	catDrugs: 1.3, catWeapons: 1.2,
}

// daysIn returns the number of days in the month.
func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// poisson draws from a Poisson distribution with mean lambda: exactly for
// small means, by the normal approximation for large ones.
func poisson(r *rand.Rand, lambda float64) int {
	switch {
	case !(lambda > 0):
		return 0
	case lambda < 30:
		l := math.Exp(-lambda)
		k, p := 0, r.Float64()
		for p > l {
			k++
			p *= r.Float64()
		}
		return k
	}
	v := math.Floor(lambda + math.Sqrt(lambda)*r.NormFloat64() + 0.5)
	if v < 0 {
		return 0
	}
	return int(v)
}

// splitmix is the SplitMix64 finaliser: a cheap, well-mixed hash of x.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// hashString is 64-bit FNV-1a.
func hashString(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// unit maps a hash to [0, 1).
func unit(h uint64) float64 { return float64(h>>11) / (1 << 53) }
