package reports

import (
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

// Meta is what a report shows besides the pipeline's model: where the
// figures came from, what the run wrote, and how it is labelled.
type Meta struct {
	// Synthetic makes every output say plainly that the data is made up.
	Synthetic bool
	// Version is the crimetrends version; GeneratedAt the generation time
	// (an input: the same time gives the same bytes; zero leaves it out).
	Version     string
	GeneratedAt time.Time
	// Inputs are the input files behind the dataset's current figures,
	// named as sayInputName names them (no folders of the analyst's
	// machine), with their SHA-256 and rows read.
	Inputs []InputSummary
	// Vintages are the dataset vintages the report read.
	Vintages []VintageSummary
	// Outputs are the other files the run writes (workbook.xlsx,
	// trends.csv, ...), linked from the index page in the order given.
	Outputs []OutputLink
	// Boundaries is a GeoJSON FeatureCollection of police force areas the
	// user named, drawn as the map; empty means the built-in tile map.
	// BoundaryCodeProperty is the feature property holding the ONS code
	// ("" finds it).
	Boundaries           []byte
	BoundaryCodeProperty string
	// Completeness is each source's force x month completeness matrix.
	Completeness []CompletenessSheet
	// Notes are the run's own notes (what was revised since the previous
	// report in the same folder), shown with the report's notes.
	Notes []string
	// SingleFile inlines the echarts script into every page; otherwise the
	// pages share one echarts.min.js written beside them.
	SingleFile bool
}

// Page is one file of a report's pages (an HTML page, or the shared
// script).
type Page struct {
	Name  string // file name, e.g. "dashboard.html"
	Title string // the page's own title
	HTML  []byte // the file's bytes
}

// OutputLink is a file a run writes besides the pages, listed and linked on
// the index page.
type OutputLink struct {
	Name        string // file name relative to the pages, e.g. "workbook.xlsx"
	Description string // one line saying what it holds
}

// VintageSummary describes one dataset vintage.
type VintageSummary struct {
	ID         string
	IngestedAt time.Time
	Inputs     int // how many input files it holds
}

// InputSummary describes one input file.
type InputSummary struct {
	Name   string // as sayInputName gives it
	Source string
	SHA256 string
	Rows   int64
}

// CompletenessSheet is one source's completeness matrix: for every force
// and BTP, whether each month of the source's span is covered.
type CompletenessSheet struct {
	Source string
	Months []datasets.Month // the source's span, oldest first
	Areas  []CompletenessArea
}

// CompletenessArea is one area's row of a CompletenessSheet: Covered has
// one entry per month of the sheet.
type CompletenessArea struct {
	AreaCode string
	AreaName string
	Covered  []bool
}

// Page file names that do not depend on the data.
const (
	IndexPage   = "dashboard.html"
	SourcesPage = "sources.html"
	ScriptFile  = "echarts.min.js"
)

// InputName is an input's name as every shared output shows it (see
// sayInputName); root is the absolute folder holding the dataset.
func InputName(name, root string) string { return sayInputName(name, root) }
