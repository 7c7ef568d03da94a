package force

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/crimetrends/crimetrends/datasets"
)

// Mapping says which columns of a force extract hold what. Column names are
// matched against the header ignoring case, surrounding and repeated spaces
// and underscores ("Crime_Ref" matches "crime ref"). Call Validate before use;
// the readers call it too.
type Mapping struct {
	// Force is the force the whole extract belongs to, in any spelling
	// datasets.ResolveForce accepts. Required unless ForceColumn is set;
	// with both, it fills empty cells of the force column.
	Force string `yaml:"force" json:"force,omitempty"`
	// Reference is the column of the crime reference (required). Within one
	// extract and force a reference is one crime record.
	Reference string `yaml:"reference" json:"reference,omitempty"`
	// Recorded is the column of the date the crime was recorded (required).
	Recorded string `yaml:"recorded" json:"recorded,omitempty"`
	// DateFormat is how Recorded is written: a friendly pattern built from
	// YYYY, YY, MM, DD, M, D (no leading zero needed), HH, mm and ss, such as
	// "DD/MM/YYYY", "YYYY-MM-DD" or "DD/MM/YYYY HH:mm"; a Go time layout
	// ("02/01/2006"); or "excel" for Excel date serial numbers. Empty means
	// "YYYY-MM-DD". Any time of day is dropped. In an xlsx a numeric cell
	// is always accepted as a date serial whatever the format.
	DateFormat string `yaml:"date_format" json:"date_format,omitempty"`
	// Offence is the column of the Home Office offence code or the local
	// classification code (required).
	Offence string `yaml:"offence" json:"offence,omitempty"`
	// Crosswalk is an optional CSV file of local_code,ho_code, with a path
	// relative to the config. The caller reads it with ReadCrosswalk.
	Crosswalk string `yaml:"crosswalk" json:"crosswalk,omitempty"`
	// ForceColumn is an optional column naming each record's force.
	ForceColumn string `yaml:"force_column" json:"force_column,omitempty"`
	// Outcome is an optional column of the record's outcome or status.
	Outcome string `yaml:"outcome" json:"outcome,omitempty"`
	// Cancelled lists the Outcome values (case and spacing ignored) that mean
	// the record was cancelled, transferred or no-crimed, e.g. "Cancelled",
	// "Transferred", "No crime". It needs Outcome.
	Cancelled []string `yaml:"cancelled" json:"cancelled,omitempty"`
	// ExtractDate is the YYYY-MM-DD date the extract was taken. When empty it
	// is taken from the file name, which must then hold exactly one date
	// written YYYY-MM-DD or YYYYMMDD.
	ExtractDate string `yaml:"extract_date" json:"extract_date,omitempty"`
	// Sheet is the xlsx sheet to read; empty means the first sheet.
	Sheet string `yaml:"sheet" json:"sheet,omitempty"`
}

// Validate checks the mapping on its own, without a file: the required
// columns are named, the force resolves, the date format and extract date
// parse, Cancelled has an Outcome column, and no column is mapped twice.
// It returns every problem found, joined.
func (m Mapping) Validate() error {
	_, err := m.compile()
	return err
}

// compiled is a validated Mapping ready for reading.
type compiled struct {
	Mapping
	columns   [nFields]string // mapped column names by field; "" when not mapped
	force     string          // area code of Mapping.Force, or ""
	date      dateFormat
	cancelled map[string]bool // folded outcome values
	taken     time.Time       // from ExtractDate, or zero
}

// Fields of a record, in the order of compiled.columns.
const (
	fieldReference = iota
	fieldRecorded
	fieldOffence
	fieldForce
	fieldOutcome
	nFields
)

var fieldKeys = [nFields]string{"reference", "recorded", "offence", "force_column", "outcome"}

func (m Mapping) compile() (*compiled, error) {
	c := &compiled{Mapping: m, columns: [nFields]string{m.Reference, m.Recorded, m.Offence, m.ForceColumn, m.Outcome}}
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	seen := map[string]string{}
	for i, col := range c.columns {
		col = strings.TrimSpace(col)
		c.columns[i] = col
		if col == "" {
			if i <= fieldOffence {
				bad("%s: a column name is required", fieldKeys[i])
			}
			continue
		}
		if prev, ok := seen[normHeader(col)]; ok {
			bad("%s: column %q is already mapped to %s", fieldKeys[i], col, prev)
		}
		seen[normHeader(col)] = fieldKeys[i]
	}
	if strings.TrimSpace(m.Force) != "" {
		a, err := datasets.ResolveForce(m.Force)
		if err != nil {
			bad("force: %w", err)
		}
		c.force = a.Code
	} else if c.columns[fieldForce] == "" {
		bad("force: name the force, or a force_column, for the extract")
	}
	var err error
	if c.date, err = compileDateFormat(m.DateFormat); err != nil {
		bad("date_format: %w", err)
	}
	if m.ExtractDate != "" {
		if c.taken, err = time.Parse(time.DateOnly, strings.TrimSpace(m.ExtractDate)); err != nil {
			bad("extract_date %q: want YYYY-MM-DD", m.ExtractDate)
		}
	}
	if len(m.Cancelled) > 0 && c.columns[fieldOutcome] == "" {
		bad("cancelled: needs an outcome column")
	}
	c.cancelled = map[string]bool{}
	for _, v := range m.Cancelled {
		if foldValue(v) == "" {
			bad("cancelled: empty value")
		}
		c.cancelled[foldValue(v)] = true
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("force extract mapping: %w", joined(errs))
	}
	return c, nil
}

// joined is errors.Join on one line.
type joined []error

func (j joined) Error() string {
	msgs := make([]string, len(j))
	for i, err := range j {
		msgs[i] = err.Error()
	}
	return strings.Join(msgs, "; ")
}

func (j joined) Unwrap() []error { return j }

// dateFormat parses the Recorded column.
type dateFormat struct {
	layout string // Go layout; "" for Excel serials only
	want   string // for RowError.Want
}

var friendlyDate = strings.NewReplacer("YYYY", "2006", "YY", "06", "MM", "01", "DD", "02",
	"HH", "15", "mm", "04", "ss", "05", "M", "1", "D", "2")

func compileDateFormat(s string) (dateFormat, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		s = "YYYY-MM-DD"
	case strings.EqualFold(s, "excel"):
		return dateFormat{want: "an Excel date serial number"}, nil
	}
	layout := s
	if strings.Contains(s, "YY") { // a friendly pattern; Go layouts never hold "YY"
		layout = friendlyDate.Replace(s)
	}
	ref := time.Date(2006, 1, 2, 15, 4, 5, 0, time.UTC)
	t, err := time.Parse(layout, ref.Format(layout))
	if err != nil || t.Year() != 2006 || t.Month() != 1 || t.Day() != 2 {
		return dateFormat{}, fmt.Errorf("%q: want a pattern with a year, month and day such as DD/MM/YYYY, a Go layout such as 02/01/2006, or excel", s)
	}
	return dateFormat{layout: layout, want: "a date written " + s}, nil
}

// parse reads a date; numeric allows an Excel serial as well.
func (d dateFormat) parse(v string, numeric, date1904 bool) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if d.layout != "" {
		if t, err := time.Parse(d.layout, v); err == nil {
			return dateOnly(t)
		}
		if !numeric {
			return time.Time{}, false
		}
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || f < 1 || f > 400_000 {
		return time.Time{}, false
	}
	t, err := excelize.ExcelDateToTime(math.Floor(f), date1904)
	if err != nil {
		return time.Time{}, false
	}
	return dateOnly(t)
}

func dateOnly(t time.Time) (time.Time, bool) {
	if t.Year() < 1900 || t.Year() > 2999 {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
}

// normHeader folds a header cell for matching: byte order mark dropped,
// underscores as spaces, runs of white space as one space, lower case.
func normHeader(s string) string {
	s = strings.TrimPrefix(s, "\ufeff")
	s = strings.ReplaceAll(s, "_", " ")
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

// foldValue folds a cell value for matching: case and spacing ignored.
func foldValue(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
