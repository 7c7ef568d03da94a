package e2e

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// genStreetRows writes a police.uk street file of n anti-social behaviour
// rows (no Crime ID, so nothing is a repeat) at path.
func genStreetRows(t *testing.T, path string, n int) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString(streetHeader + "\n")
	row := ",2019-01,Wiltshire Police,Wiltshire Police,-1.8,51.5,On or near Park Road,E01031000,Swindon 001A,Anti-social behaviour,,\n"
	block := bytes.Repeat([]byte(row), 8192)
	for i := 0; i < n; i += 8192 {
		w.Write(block)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestSignalStopsIngest sends SIGTERM, then SIGINT, to an ingest of a large
// file while it reads it: the run must end with one line saying it was
// stopped and that the dataset is as it was (never "context canceled"),
// exit 128 + the signal's number (143, 130), and leave every byte of the
// dataset as before.
func TestSignalStopsIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("ingests a 360 MB file: skipping in -short mode")
	}
	if readBytes(os.Getpid()) < 0 {
		t.Skip("/proc/PID/io cannot be read here (not Linux?): cannot tell when the ingest is reading")
	}
	dir := t.TempDir()
	big := filepath.Join(dir, "2019-01-wiltshire-street.csv")
	genStreetRows(t, big, 3_000_000) // about 360 MB: a second or so to ingest
	data := filepath.Join(dir, "data")
	writeFile(t, filepath.Join(dir, "base", "dyfed-powys.csv"), []byte(streetHeader+"\n"+baseRow+"\n"))
	mustRun(t, dir, "ingest", "--quiet", "--data", data, filepath.Join("base", "dyfed-powys.csv"))
	before := treeDigest(t, data)

	const want = "crimetrends: stopped by a signal: the dataset and the reports are as they were\n"
	for _, tc := range []struct {
		sig  syscall.Signal
		exit int
	}{{syscall.SIGTERM, 143}, {syscall.SIGINT, 130}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			cmd := command(t, dir, "ingest", "--quiet", "--data", data, big)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			// Signal once the binary is reading the file (its handlers are
			// set before it opens anything).
			deadline := time.Now().Add(30 * time.Second)
			for n := int64(0); n < 20<<20 && time.Now().Before(deadline); n = readBytes(cmd.Process.Pid) {
				time.Sleep(5 * time.Millisecond)
			}
			if err := cmd.Process.Signal(tc.sig); err != nil {
				t.Fatalf("the ingest ended before the signal: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
			}
			cmd.Wait()
			if got := cmd.ProcessState.ExitCode(); got != tc.exit {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", got, tc.exit, stdout.String(), stderr.String())
			}
			if stderr.String() != want {
				t.Errorf("stderr:\n%q\nwant:\n%q", stderr.String(), want)
			}
			if strings.Contains(stdout.String(), "vintage") {
				t.Errorf("stdout reports a vintage after the signal: %s", stdout.String())
			}
			if got := treeDigest(t, data); got != before {
				t.Errorf("the dataset changed:\n%s\nwant:\n%s", got, before)
			}
		})
	}
}

// readBytes is how many bytes process pid has read so far (rchar of
// /proc/PID/io, Linux), or -1 when that cannot be read.
func readBytes(pid int) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "io"))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "rchar: "); ok {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return -1
			}
			return n
		}
	}
	return -1
}
