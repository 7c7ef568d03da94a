package demo

import (
	"fmt"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// fakeReference is a small stand-in for the datasets tables, so the
// generator can be tested on its own.
func fakeReference() reference {
	return reference{
		forces: []datasets.Area{
			{Code: "E23000034", Name: "City of London", Kind: datasets.KindForce, Force: "City of London Police", Slug: "city-of-london"},
			{Code: "E23000038", Name: "Wiltshire", Kind: datasets.KindForce, Force: "Wiltshire Police", Slug: "wiltshire"},
			{Code: "E23000039", Name: "Dorset", Kind: datasets.KindForce, Force: "Dorset Police", Slug: "dorset"},
			{Code: "W15000004", Name: "Dyfed-Powys", Kind: datasets.KindForce, Force: "Dyfed-Powys Police", Slug: "dyfed-powys"},
			{Code: datasets.CodeBTP, Name: "British Transport Police", Kind: datasets.KindBTP, Force: "British Transport Police", Slug: "btp"},
		},
		offences: []datasets.Offence{
			{Code: "105A", Description: "Assault without injury", Subgroup: "Violence without injury", Group: "Violence against the person", Category: catViolence},
			{Code: "28E", Description: "Burglary Residential", Subgroup: "Domestic burglary", Group: "Theft offences", Category: catBurglary},
			{Code: "33", Description: "Going equipped for stealing, etc", Subgroup: "Miscellaneous crimes", Group: "Miscellaneous crimes", Category: catOtherCrime},
			{Code: "46", Description: "Shoplifting", Subgroup: "Shoplifting", Group: "Theft offences", Category: catShoplifting},
			{Code: "8L", Description: "Harassment", Subgroup: "Stalking and harassment", Group: "Violence against the person", Category: catViolence},
			{Code: "8Q", Description: "Stalking", Subgroup: "Stalking and harassment", Group: "Violence against the person", Category: catViolence},
			{Code: "92E", Description: "Possession of controlled drugs (Cannabis)", Subgroup: "Possession of drugs", Group: "Drug offences", Category: catDrugs},
			{Code: "9A", Description: "Public fear, alarm or distress", Subgroup: "Public order offences", Group: "Public order offences", Category: catPublicOrder},
			{Code: "AF", Description: "Fraud offences recorded by Action Fraud", Subgroup: "Fraud: action fraud", Group: "Fraud offences", Category: catOtherCrime, Fraud: true},
			{Code: "ZZ", Description: "Unlisted code", Subgroup: "Miscellaneous crimes", Group: "Miscellaneous crimes", Category: "Not a category"},
		},
		categories: []datasets.Category{
			{Name: catASB, IsCrime: false},
			{Name: catBurglary, IsCrime: true},
			{Name: catDrugs, IsCrime: true},
			{Name: catOtherCrime, IsCrime: true},
			{Name: catPublicOrder, IsCrime: true},
			{Name: catShoplifting, IsCrime: true},
			{Name: catViolence, IsCrime: true},
		},
	}
}

func fakeLookups(ref reference) lookups {
	names := map[string]datasets.Area{}
	for _, a := range ref.forces {
		for _, n := range []string{a.Code, a.Name, a.Force, a.Slug} {
			names[strings.ToLower(n)] = a
		}
	}
	names["london, city of"] = names["city of london"]
	return lookups{
		forces:   ref.forces,
		offences: ref.offences,
		resolve: func(name string) (datasets.Area, error) {
			if a, ok := names[strings.ToLower(name)]; ok {
				return a, nil
			}
			return datasets.Area{}, fmt.Errorf("%q: %w", name, datasets.ErrUnknownForce)
		},
		offence: func(code string) (datasets.Offence, bool) {
			for _, o := range ref.offences {
				if o.Code == code {
					return o, true
				}
			}
			return datasets.Offence{}, false
		},
		isCategory: func(name string) bool {
			for _, c := range ref.categories {
				if c.Name == name {
					return true
				}
			}
			return false
		},
	}
}
