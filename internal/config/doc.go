// Package config holds the monthly batch's configuration: the YAML file that
// `crimetrends run --config FILE` reads. It is decoded strictly (an unknown
// key is an error), validated once and then treated as read-only.
package config
