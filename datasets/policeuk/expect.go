package policeuk

import (
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/crimetrends/crimetrends/datasets"
)

// Expect is the force and month a data.police.uk monthly file's name says
// its rows hold (see ExpectFromName). The readers check every row's
// "Reported by" and Month against it: data.police.uk publishes one file per
// reporting force and month, so a row of another force or month would be
// filed under that force and month and replace its real figures.
//
// The force is checked on "Reported by", the column the readers count by,
// and not on "Falls within": data.police.uk documents "Falls within" as the
// force whose area the crime falls in, which it may one day fill
// differently (a British Transport Police crime falls within a territorial
// force's area), while a file is always one reporting force's.
type Expect struct {
	// AreaCode is the ONS code of the force (or datasets.CodeBTP); ""
	// checks no force.
	AreaCode string
	// Month is the month; HasMonth false checks no month.
	Month    datasets.Month
	HasMonth bool
	// From says what gives these, for errors: `the file name
	// "2018-10-wiltshire-street.csv"`.
	From string
}

// expectation is Expect resolved for the scanner.
type expectation struct {
	hasArea  bool
	area     uint8 // index in forceList
	hasMonth bool
	month    datasets.Month
	from     string
}

func (e Expect) resolve() (expectation, error) {
	x := expectation{hasMonth: e.HasMonth, month: e.Month, from: e.From}
	if e.AreaCode != "" {
		i, ok := forceIdx[e.AreaCode]
		if !ok {
			return expectation{}, fmt.Errorf("expected force %q is not a police force area or BTP", e.AreaCode)
		}
		x.hasArea, x.area = true, i
	}
	if x.from == "" {
		x.from = "the file's name"
	}
	return x, nil
}

// ExpectFromName reads what an input's name (datasets.Input.Name) says its
// rows hold when it is a data.police.uk monthly file, YYYY-MM-<force>-street.csv
// or -outcomes.csv, possibly in a YYYY-MM/ folder: the month of its name
// (and of its folder) and its force when the name's force is one of the 43
// forces or BTP. Another name expects nothing. A file whose name and
// folder give different months is an error naming both.
func ExpectFromName(name string) (Expect, error) {
	n, ok := datasets.ParsePoliceUKName(name)
	if !ok {
		return Expect{}, nil
	}
	base := baseName(name)
	if n.HasFolder && n.Folder != n.Month {
		return Expect{}, &datasets.RowError{File: name, Err: datasets.ErrNotAsNamed,
			Want: fmt.Sprintf("a file named for the month of its folder %q (its name says %s): move it to the folder %s/ or rename it",
				n.Folder.String()+"/", n.Month, n.Month)}
	}
	e := Expect{Month: n.Month, HasMonth: true, From: fmt.Sprintf("the file name %q", base)}
	if n.HasFolder {
		e.From = fmt.Sprintf("the file name %q and its folder %q", base, n.Folder.String()+"/")
	}
	if n.HasForce {
		e.AreaCode = n.Force.Code
	}
	return e, nil
}

// baseName is the last element of an input's name, inside a zip or not.
func baseName(name string) string {
	if _, inner, ok := strings.Cut(name, "!"); ok {
		return path.Base(strings.ReplaceAll(inner, `\`, "/"))
	}
	return filepath.Base(name)
}
