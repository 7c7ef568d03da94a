package datasets

import (
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Kinds of data.police.uk monthly files, as their names end.
const (
	PoliceUKStreet        = "street"
	PoliceUKOutcomes      = "outcomes"
	PoliceUKStopAndSearch = "stop-and-search"
)

// SlugNorthernIreland is the data.police.uk name of the Police Service of
// Northern Ireland, whose files come in the archives but are not England
// and Wales data.
const SlugNorthernIreland = "northern-ireland"

// PoliceUKName is what the name of a data.police.uk monthly file says:
// YYYY-MM-<force>-<kind>.csv, usually in a YYYY-MM/ folder, in an archive.
type PoliceUKName struct {
	Month Month  // the month in the file name
	Slug  string // the force as data.police.uk names it: "city-of-london", "btp", "northern-ireland"
	Kind  string // PoliceUKStreet, PoliceUKOutcomes or PoliceUKStopAndSearch
	// Folder is the month of the folder holding the file when that
	// folder is named YYYY-MM; HasFolder says whether it is.
	Folder    Month
	HasFolder bool
	// Archive is the archive the file came in: the .zip's path for an
	// archive entry, or the folder holding the file's YYYY-MM folder;
	// "" for a file in no month folder and no zip.
	Archive string
	// Force is the force the slug names; HasForce is false for a slug
	// that is no England and Wales force or BTP (northern-ireland, or a
	// name not from data.police.uk).
	Force    Area
	HasForce bool
}

var policeUKNameRE = regexp.MustCompile(`^(\d{4}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)-(street|outcomes|stop-and-search)\.csv$`)

// ParsePoliceUKName reads the name of an input (Input.Name: a path, or a
// zip's path, "!" and the entry's name) as a data.police.uk monthly file.
// It reports false when the file's base name is not
// YYYY-MM-<force>-<kind>.csv (kind street, outcomes or stop-and-search,
// lower case as data.police.uk writes it).
func ParsePoliceUKName(name string) (PoliceUKName, bool) {
	zipPath, inner, inZip := strings.Cut(name, "!")
	if inZip {
		inner = strings.ReplaceAll(inner, `\`, "/")
	} else {
		inner = filepath.ToSlash(name)
	}
	base := path.Base(inner)
	m := policeUKNameRE.FindStringSubmatch(base)
	if m == nil {
		return PoliceUKName{}, false
	}
	month, err := ParseMonth(m[1])
	if err != nil {
		return PoliceUKName{}, false
	}
	n := PoliceUKName{Month: month, Slug: m[2], Kind: m[3]}
	dir := path.Dir(inner)
	if f, err := ParseMonth(path.Base(dir)); err == nil {
		n.Folder, n.HasFolder = f, true
	}
	switch {
	case inZip:
		n.Archive = zipPath
	case n.HasFolder:
		n.Archive = filepath.FromSlash(path.Dir(dir))
	}
	for _, a := range forceTable {
		if a.Slug == n.Slug {
			n.Force, n.HasForce = a, true
			break
		}
	}
	return n, true
}

// ArchiveMonths dates the data.police.uk archives the inputs named come
// from: an archive whose own name is a month (2019-03.zip, or an unpacked
// folder 2019-03/ holding YYYY-MM/ folders) is of that month, any other of
// its newest YYYY-MM folder among the names given. It returns the month of
// each archive (PoliceUKName.Archive) it can date.
func ArchiveMonths(names []string) map[string]Month {
	out := map[string]Month{}
	own := map[string]bool{}
	for _, name := range names {
		n, ok := ParsePoliceUKName(name)
		if !ok || n.Archive == "" {
			continue
		}
		if _, seen := out[n.Archive]; !seen {
			base := filepath.Base(n.Archive)
			if len(base) > 4 && strings.EqualFold(base[len(base)-4:], ".zip") {
				base = base[:len(base)-4]
			}
			if m, err := ParseMonth(base); err == nil {
				out[n.Archive], own[n.Archive] = m, true
				continue
			}
		}
		if own[n.Archive] || !n.HasFolder {
			continue
		}
		if m, seen := out[n.Archive]; !seen || n.Folder > m {
			out[n.Archive] = n.Folder
		}
	}
	return out
}
