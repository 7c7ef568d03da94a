//go:build linux

package store

import (
	"fmt"
	"os"
	"syscall"
)

// fileIdentity gives what the file system alone can change about fi: its
// device, inode and change time (ctime, which no tool can set back, unlike
// the modification time).
func fileIdentity(fi os.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d:%d:%d.%09d", st.Dev, st.Ino, st.Ctim.Sec, st.Ctim.Nsec)
}
