// Package config holds the monthly batch's configuration: the YAML file that
// `crimetrends run --config FILE` reads. It is decoded strictly, validated
// once and then treated as read-only. Every error is one line naming the
// file, the line and the key's path: an unknown key, at any level, with the
// nearest known key by edit distance ("did you mean "min_base"?"); a value
// of the wrong kind; a YAML syntax error; a value Validate refuses; a file
// the config names that is not there.
package config
