package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/crimetrends/crimetrends/datasets"
	"github.com/crimetrends/crimetrends/datasets/force"
	"github.com/crimetrends/crimetrends/pipeline"
)

// DefaultPeerGroupName names a peer group whose config gives no name.
const DefaultPeerGroupName = "Peer group"

// Config is the monthly batch. Relative paths are relative to the config
// file's folder.
type Config struct {
	// Data is the dataset folder; default "crimetrends-data".
	Data string `yaml:"data" json:"data"`
	// Inputs are extracts to ingest: files, folders or .zip archives.
	Inputs []string `yaml:"inputs" json:"inputs"`
	// Out is the folder the reports are written to; default "reports".
	Out string `yaml:"out" json:"out"`
	// Period is the last month of the report window, YYYY-MM; empty means
	// the latest month the data covers completely.
	Period string `yaml:"period,omitempty" json:"period,omitempty"`
	// Forces are the forces of interest (any spelling, or ONS code).
	Forces []string `yaml:"forces,omitempty" json:"forces,omitempty"`
	// Offences are the offences of interest: a Home Office code, subgroup or
	// group, or a police.uk category. Empty means every group and the total.
	Offences []string `yaml:"offences,omitempty" json:"offences,omitempty"`
	// MinBase is the smallest previous-year count given a percentage change;
	// default 50 (the ONS convention).
	MinBase int `yaml:"min_base,omitempty" json:"min_base,omitempty"`
	// Window is the kind of reporting period, as datasets.ParseWindow
	// reads it (rolling-12, financial-year, fytd, quarter, calendar-year,
	// month); Parse sets the canonical name, default "rolling-12".
	Window string `yaml:"window,omitempty" json:"window,omitempty"`
	// PeerGroups are groups of similar forces to compare each force with;
	// Peers resolves them.
	PeerGroups []PeerGroupConfig `yaml:"peer_groups,omitempty" json:"peer_groups,omitempty"`
	// Events are things that happened, drawn on timelines; EventList
	// resolves them.
	Events []EventConfig `yaml:"events,omitempty" json:"events,omitempty"`
	// Populations is an optional population file read by
	// datasets.ReadPopulations; Load checks that it exists.
	Populations string `yaml:"populations,omitempty" json:"populations,omitempty"`
	// Boundaries is an optional GeoJSON file of police force area
	// boundaries; Load checks that it exists.
	Boundaries string `yaml:"boundaries,omitempty" json:"boundaries,omitempty"`
	// BoundaryCodeProperty is the feature property of Boundaries holding
	// each force's ONS code, e.g. "PFA16CD". It needs Boundaries.
	BoundaryCodeProperty string `yaml:"boundary_code_property,omitempty" json:"boundary_code_property,omitempty"`
	// GeneratedAt is the report's generation time as RFC 3339
	// ("2026-11-01T09:00:00Z"), shown in the footer; empty leaves it out.
	// Generated returns it parsed.
	GeneratedAt string `yaml:"generated_at,omitempty" json:"generated_at,omitempty"`
	// ForceExtracts are series of a force's own record-level extracts, each
	// merged into one input of source "force".
	ForceExtracts []ForceExtractConfig `yaml:"force_extracts,omitempty" json:"force_extracts,omitempty"`
	// SourceOrder is the order in which sources are quoted where several
	// give a figure for the same question (ons-pfa, homeoffice, force,
	// policeuk); sources it leaves out follow in the default order.
	SourceOrder []string `yaml:"source_order,omitempty" json:"source_order,omitempty"`
	// History is how many years of windows, up to the period, the report
	// holds ("5", the default when empty), or "all".
	History string `yaml:"history,omitempty" json:"history,omitempty"`
	// SingleFile writes every page with the chart script inside it, for a
	// page sent on its own; default: one shared script beside the pages.
	SingleFile bool `yaml:"single_file,omitempty" json:"single_file,omitempty"`

	written *Config // as the file wrote it, before resolve (AsWritten)
}

// PeerGroupConfig is a peer group as the config writes it.
type PeerGroupConfig struct {
	// Name is the group's name as shown; default DefaultPeerGroupName.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Forces are its members, in any spelling datasets.ResolveForce
	// accepts.
	Forces []string `yaml:"forces" json:"forces"`
}

// EventConfig is an event as the config writes it.
type EventConfig struct {
	Month   string `yaml:"month" json:"month"`                         // YYYY-MM
	Label   string `yaml:"label" json:"label"`                         // what happened, as shown
	Force   string `yaml:"force,omitempty" json:"force,omitempty"`     // optional: the one force it concerns
	Offence string `yaml:"offence,omitempty" json:"offence,omitempty"` // optional: the offence it concerns
}

// ForceExtractConfig is one series of a force's record-level extracts:
// files (CSV or xlsx, or folders and .zip archives of them) read with one
// Mapping and merged, the latest version of each crime reference winning.
// Mapping.Crosswalk, like Files, is relative to the config's folder.
type ForceExtractConfig struct {
	Files   []string      `yaml:"files" json:"files"`
	Mapping force.Mapping `yaml:"mapping" json:"mapping"`
}

// Load reads and validates a config file, resolving relative paths against
// its folder, and checks that every file it names (force extract files and
// crosswalks, the population and boundary files) exists.
func Load(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config %q: %w (give the path of the YAML file with --config)", path, unwrapPath(err))
	}
	c, doc, err := parse(b)
	if err != nil {
		var ce *Error
		if errors.As(err, &ce) {
			ce.File = path
			return Config{}, ce
		}
		return Config{}, fmt.Errorf("config %q: %w", path, err)
	}
	if err := c.checkFiles(filepath.Dir(path)); err != nil {
		return Config{}, &Error{File: path, Line: lineOf(doc, fieldOf(err.Error())), Msg: err.Error()}
	}
	written := c
	written.Inputs = append([]string(nil), c.Inputs...)
	written.ForceExtracts = append([]ForceExtractConfig(nil), c.ForceExtracts...)
	for i := range written.ForceExtracts {
		written.ForceExtracts[i].Files = append([]string(nil), c.ForceExtracts[i].Files...)
	}
	c.resolve(filepath.Dir(path))
	c.written = &written
	return c, nil
}

// AsWritten is the config with its paths as the file wrote them (relative
// to the file's folder, usually), for a manifest that must not carry the
// folders of the analyst's machine; a config not from Load is itself.
func (c Config) AsWritten() Config {
	if c.written == nil {
		return c
	}
	return *c.written
}

// unwrapPath drops the path of an *fs.PathError, which the message names
// already, quoted.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse decodes YAML strictly, fills in defaults and validates it; paths
// are left as written. Its errors are an *Error with the line of the key
// at fault: an unknown key suggests the nearest known one ("line 7:
// unknown key "minbase": did you mean "min_base"?").
func Parse(b []byte) (Config, error) {
	c, _, err := parse(b)
	return c, err
}

// parse is Parse, also returning the decoded document for the lines of
// later errors.
func parse(b []byte) (Config, *yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return Config{}, nil, yamlError(err)
	}
	if err := checkNode(&doc, reflect.TypeFor[Config](), ""); err != nil {
		return Config{}, nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, nil, yamlError(err)
	}
	c.defaults()
	if err := c.Validate(); err != nil {
		return Config{}, nil, &Error{Line: lineOf(&doc, fieldOf(err.Error())), Msg: err.Error()}
	}
	return c, &doc, nil
}

// fieldOf is the key path a Validate message starts with
// ("peer_groups[1].forces[0]: ...").
func fieldOf(msg string) string {
	f, _, _ := strings.Cut(msg, ": ")
	return f
}

// defaults fills in the defaults of empty fields.
func (c *Config) defaults() {
	if c.Data == "" {
		c.Data = "crimetrends-data"
	}
	if c.Out == "" {
		c.Out = "reports"
	}
	if c.MinBase == 0 {
		c.MinBase = datasets.MinBase
	}
	if w, err := datasets.ParseWindow(c.Window); err == nil {
		c.Window = w.String()
	}
	for i := range c.PeerGroups {
		if strings.TrimSpace(c.PeerGroups[i].Name) == "" {
			c.PeerGroups[i].Name = DefaultPeerGroupName
		}
	}
}

// Validate checks every field, naming the first one that is wrong
// ("peer_groups[1].forces: ...").
func (c Config) Validate() error {
	if c.Period != "" {
		if _, err := datasets.ParseMonth(c.Period); err != nil {
			return fmt.Errorf("period: %w", err)
		}
	}
	for i, f := range c.Forces {
		if _, err := datasets.ResolveForce(f); err != nil {
			return fmt.Errorf("forces[%d]: %w", i, err)
		}
	}
	for i, o := range c.Offences {
		if _, err := datasets.ResolveSelector(o); err != nil {
			return fmt.Errorf("offences[%d]: %w", i, err)
		}
	}
	if c.MinBase < 1 {
		return fmt.Errorf("min_base: %d: want a positive whole number", c.MinBase)
	}
	if _, err := datasets.ParseWindow(c.Window); err != nil {
		return fmt.Errorf("window: %w", err)
	}
	if _, err := pipeline.ParseHistory(c.History); err != nil {
		return fmt.Errorf("history: %w", err)
	}
	if _, err := c.Peers(); err != nil {
		return err
	}
	if _, err := c.EventList(); err != nil {
		return err
	}
	if c.BoundaryCodeProperty != "" && c.Boundaries == "" {
		return errors.New("boundary_code_property: needs boundaries (the GeoJSON file it names a property of)")
	}
	if _, err := c.Generated(); err != nil {
		return err
	}
	for i, fe := range c.ForceExtracts {
		field := fmt.Sprintf("force_extracts[%d]", i)
		if len(fe.Files) == 0 {
			return fmt.Errorf("%s.files: want at least one extract file", field)
		}
		for j, f := range fe.Files {
			if strings.TrimSpace(f) == "" {
				return fmt.Errorf("%s.files[%d]: empty path", field, j)
			}
		}
		if err := fe.Mapping.Validate(); err != nil {
			return fmt.Errorf("%s.mapping: %w", field, err)
		}
	}
	return nil
}

// WindowKind returns Window as a datasets.Window (the rolling 12 months
// when empty).
func (c Config) WindowKind() (datasets.Window, error) {
	w, err := datasets.ParseWindow(c.Window)
	if err != nil {
		return "", fmt.Errorf("window: %w", err)
	}
	return w, nil
}

// Peers resolves the peer groups: each force to its ONS code, in config
// order. A group with no forces, an unknown force or a force listed twice
// in one group is an error naming the field.
func (c Config) Peers() ([]datasets.PeerGroup, error) {
	var out []datasets.PeerGroup
	for i, g := range c.PeerGroups {
		field := fmt.Sprintf("peer_groups[%d]", i)
		name := strings.TrimSpace(g.Name)
		if name == "" {
			name = DefaultPeerGroupName
		}
		if len(g.Forces) == 0 {
			return nil, fmt.Errorf("%s.forces: want at least one force", field)
		}
		pg := datasets.PeerGroup{Name: name}
		seen := map[string]bool{}
		for j, f := range g.Forces {
			a, err := datasets.ResolveForce(f)
			if err != nil {
				return nil, fmt.Errorf("%s.forces[%d]: %w", field, j, err)
			}
			if seen[a.Code] {
				return nil, fmt.Errorf("%s.forces[%d]: %s is listed twice", field, j, a.Name)
			}
			seen[a.Code] = true
			pg.Members = append(pg.Members, a.Code)
		}
		out = append(out, pg)
	}
	return out, nil
}

// EventList resolves the events: the month parsed, the force to its ONS
// code ("" for every area) and the offence to its selector's Label ("" for
// every offence), with Source "config", in config order.
func (c Config) EventList() ([]datasets.Event, error) {
	var out []datasets.Event
	for i, e := range c.Events {
		field := fmt.Sprintf("events[%d]", i)
		m, err := datasets.ParseMonth(strings.TrimSpace(e.Month))
		if err != nil {
			return nil, fmt.Errorf("%s.month: %w", field, err)
		}
		ev := datasets.Event{Month: m, Label: strings.TrimSpace(e.Label), Source: "config"}
		if ev.Label == "" {
			return nil, fmt.Errorf("%s.label: want a label saying what happened", field)
		}
		if strings.TrimSpace(e.Force) != "" {
			a, err := datasets.ResolveForce(e.Force)
			if err != nil {
				return nil, fmt.Errorf("%s.force: %w", field, err)
			}
			ev.AreaCode = a.Code
		}
		if strings.TrimSpace(e.Offence) != "" {
			s, err := datasets.ResolveSelector(e.Offence)
			if err != nil {
				return nil, fmt.Errorf("%s.offence: %w", field, err)
			}
			ev.Offence = s.Label
		}
		out = append(out, ev)
	}
	return out, nil
}

// Generated returns GeneratedAt parsed, in UTC; the zero time when it is
// empty.
func (c Config) Generated() (time.Time, error) {
	s := strings.TrimSpace(c.GeneratedAt)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("generated_at: %q: want an RFC 3339 time such as 2026-11-01T09:00:00Z", c.GeneratedAt)
	}
	return t.UTC(), nil
}

func (c *Config) resolve(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.Data = abs(c.Data)
	c.Out = abs(c.Out)
	for i := range c.Inputs {
		c.Inputs[i] = abs(c.Inputs[i])
	}
	c.Populations = abs(c.Populations)
	c.Boundaries = abs(c.Boundaries)
	for i := range c.ForceExtracts {
		fe := &c.ForceExtracts[i]
		for j := range fe.Files {
			fe.Files[j] = abs(fe.Files[j])
		}
		fe.Mapping.Crosswalk = abs(strings.TrimSpace(fe.Mapping.Crosswalk))
	}
}

// checkFiles checks that the files the config names exist, relative to
// dir where they are relative; an error starts with the key's path.
func (c Config) checkFiles(dir string) error {
	exists := func(field, p string) error {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil
		}
		full := p
		if !filepath.IsAbs(p) && dir != "." {
			full = filepath.Join(dir, p)
		}
		if _, err := os.Stat(full); err != nil {
			if errors.Is(err, fs.ErrNotExist) && full != p {
				if abs, aerr := filepath.Abs(dir); aerr == nil {
					dir = abs
				}
				return fmt.Errorf("%s: %q: %w (a relative path is taken from the config file's folder, %q)", field, p, unwrapPath(err), dir)
			}
			return fmt.Errorf("%s: %q: %w", field, p, unwrapPath(err))
		}
		return nil
	}
	if err := exists("populations", c.Populations); err != nil {
		return err
	}
	if err := exists("boundaries", c.Boundaries); err != nil {
		return err
	}
	for i, fe := range c.ForceExtracts {
		for j, f := range fe.Files {
			if err := exists(fmt.Sprintf("force_extracts[%d].files[%d]", i, j), f); err != nil {
				return err
			}
		}
		if err := exists(fmt.Sprintf("force_extracts[%d].mapping.crosswalk", i), fe.Mapping.Crosswalk); err != nil {
			return err
		}
	}
	return nil
}
