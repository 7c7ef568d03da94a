//go:build !unix

package store

import "os/exec"

// asNobody cannot change the user here: tests do not run as root.
func asNobody(*exec.Cmd) {}
