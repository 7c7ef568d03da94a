package store

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

// helperEnv, when set, makes the test binary a helper process that runs
// one store operation (see helper) and exits: the tests start it to have
// another process hold a lock, add to a dataset or read one.
const helperEnv = "CRIMETRENDS_STORE_HELPER"

func TestMain(m *testing.M) {
	if args := os.Getenv(helperEnv); args != "" {
		os.Exit(helper(strings.Split(args, "\n")))
	}
	code := m.Run()
	if threeVintagesCache.dir != "" {
		os.RemoveAll(threeVintagesCache.dir)
	}
	os.Exit(code)
}

// helper runs one operation and returns the exit status:
//
//	hold DIR          take DIR's lock, print "locked", wait for stdin to close
//	add DIR NAME N W  add one extract (name NAME, Wiltshire burglary in month N
//	                  of 2018, count N) waiting up to W; exit 3 when locked
//	read DIR          Open and Current; print the number of counts
func helper(args []string) int {
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, err)
		if errors.Is(err, ErrLocked) {
			return 3
		}
		return 1
	}
	ctx := context.Background()
	switch args[0] {
	case "hold":
		l, err := AcquireLock(ctx, args[1]+"/"+LockFile, 0, nil)
		if err != nil {
			return fail(err)
		}
		defer l.Release()
		fmt.Println("locked")
		_, _ = bufio.NewReader(os.Stdin).ReadString('\n')
		return 0
	case "add":
		n, _ := strconv.Atoi(args[3])
		wait, _ := time.ParseDuration(args[4])
		s, err := Open(args[1], Options{Clock: func() time.Time { return fixedTime }, LockWait: wait})
		if err != nil {
			return fail(err)
		}
		m := datasets.MonthOf(2018, n)
		e := extract(args[2], pu, []datasets.Count{cnt(pu, wiltshire, "Burglary", m, m, int64(n))}, cov(pu, wiltshire, m, m))
		if _, err := s.Add(ctx, []*datasets.Extract{e}); err != nil {
			return fail(err)
		}
		return 0
	case "read":
		s, err := Open(args[1], Options{})
		if err != nil {
			return fail(err)
		}
		snap, err := s.Current(ctx)
		if err != nil {
			return fail(err)
		}
		fmt.Println(len(snap.Counts))
		return 0
	}
	return fail(fmt.Errorf("helper: unknown operation %q", args[0]))
}

// helperCmd prepares the test binary as a helper running args.
func helperCmd(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), helperEnv+"="+strings.Join(args, "\n"))
	return cmd
}
