//go:build !linux

package store

import "os"

// fileIdentity is empty here: an index's stamp is its size and
// modification time only.
func fileIdentity(os.FileInfo) string { return "" }
