package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/crimetrends/crimetrends/datasets"
)

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
}

// Load reads and validates a config file, resolving relative paths against
// its folder.
func Load(path string) (Config, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(b)
	if err != nil {
		return Config{}, fmt.Errorf("config %s: %w", path, err)
	}
	c.resolve(filepath.Dir(path))
	return c, nil
}

// Parse decodes YAML strictly and validates it; paths are left as written.
func Parse(b []byte) (Config, error) {
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		return Config{}, err
	}
	if c.Data == "" {
		c.Data = "crimetrends-data"
	}
	if c.Out == "" {
		c.Out = "reports"
	}
	if c.MinBase == 0 {
		c.MinBase = datasets.MinBase
	}
	return c, c.Validate()
}

// Validate checks every field, naming the first one that is wrong.
func (c Config) Validate() error {
	if c.Period != "" {
		if _, err := datasets.ParseMonth(c.Period); err != nil {
			return fmt.Errorf("period: %w", err)
		}
	}
	for _, f := range c.Forces {
		if _, err := datasets.ResolveForce(f); err != nil {
			return fmt.Errorf("forces: %w", err)
		}
	}
	for _, o := range c.Offences {
		if _, err := datasets.ResolveSelector(o); err != nil {
			return fmt.Errorf("offences: %w", err)
		}
	}
	if c.MinBase < 1 {
		return fmt.Errorf("min_base: %d: want a positive whole number", c.MinBase)
	}
	return nil
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
}
