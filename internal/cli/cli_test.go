package cli_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/crimetrends/crimetrends/internal/cli"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

// scriptBin is the folder of the crimetrends binary the scripts run: a
// normal build of ./cmd/crimetrends, made once by TestMain. The scripts test
// the command as users run it; the race detector, which slows the demo and
// the real-data reports tenfold, is for the packages' own tests (the
// concurrency of ingest, the store and the report's --out have theirs).
// Without a go command the scripts run the test binary itself.
var scriptBin string

func TestMain(m *testing.M) {
	cmds := map[string]func(){}
	if os.Getenv("CRIMETRENDS_SCRIPT_BIN") == "" {
		dir, err := buildScriptBinary()
		if err == nil {
			os.Setenv("CRIMETRENDS_SCRIPT_BIN", dir)
			defer os.RemoveAll(dir)
		} else {
			fmt.Fprintln(os.Stderr, "cli tests: scripts run the test binary:", err)
		}
	}
	scriptBin = os.Getenv("CRIMETRENDS_SCRIPT_BIN")
	if scriptBin == "" {
		cmds["crimetrends"] = func() { os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) }
	}
	testscript.Main(m, cmds)
}

// buildScriptBinary builds ./cmd/crimetrends into a new temporary folder.
func buildScriptBinary() (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", err
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "crimetrends-cli-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command(goCmd, "build", "-o", filepath.Join(dir, "crimetrends"), "./cmd/crimetrends")
	cmd.Dir = filepath.Join(wd, "..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build ./cmd/crimetrends: %v\n%s", err, out)
	}
	return dir, nil
}

// TestScripts runs the CLI end to end from testdata/script/*.txtar. Scripts
// that need the real samples read them under $REAL and skip with
// `[!real] skip`. Refresh expected outputs with -update.
func TestScripts(t *testing.T) {
	real := testutil.RealDataDir(t, false)
	testscript.Run(t, testscript.Params{
		Dir:           filepath.Join("testdata", "script"),
		UpdateScripts: *testutil.Update,
		// [real] holds when the real sample data is beside the repository.
		Condition: func(cond string) (bool, error) {
			if cond != "real" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			_, err := os.Stat(real)
			return err == nil, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"exits": exits},
		Setup: func(env *testscript.Env) error {
			if scriptBin != "" {
				env.Setenv("PATH", scriptBin+string(os.PathListSeparator)+env.Getenv("PATH"))
			}
			env.Setenv("REAL", real)
			env.Setenv("SOURCE_DATE_EPOCH", "1700000000")
			return nil
		},
	})
}

// exits is the script command "exits N PROG ARGS...": it runs PROG like
// exec and checks that it exits with status N; stdout and stderr are then
// those of PROG, for the stdout and stderr commands.
func exits(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exits STATUS PROGRAM [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	if err != nil {
		ts.Fatalf("exits: status %q: %v", args[0], err)
	}
	got := 0
	if err := ts.Exec(args[1], args[2:]...); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			ts.Fatalf("exits: %v", err)
		}
		got = ee.ExitCode()
	}
	if got != want {
		ts.Fatalf("%s exited with status %d, want %d", args[1], got, want)
	}
}

// TestStoppedBySignal: a run whose context main cancelled for a signal ends
// with the signal's message and exit status, not "context canceled".
func TestStoppedBySignal(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "2019-01-wiltshire-street.csv")
	if err := os.WriteFile(in, []byte("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"+
		"abc1,2019-01,Wiltshire Police,Wiltshire Police,-1.8,51.5,On or near Park Road,E01031000,Swindon 001A,Burglary,Under investigation,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sig  os.Signal
		exit int
	}{{syscall.SIGTERM, 143}, {os.Interrupt, 130}} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(cli.Signalled{Signal: tc.sig})
		err := cli.Run(ctx, []string{"ingest", "--quiet", "--data", filepath.Join(dir, "data"), in}, io.Discard, io.Discard)
		const want = "stopped by a signal: the dataset and the reports are as they were"
		if err == nil || err.Error() != want {
			t.Errorf("%v: err = %v, want %q", tc.sig, err, want)
		}
		if got := cli.ExitCode(err); got != tc.exit {
			t.Errorf("%v: exit %d, want %d", tc.sig, got, tc.exit)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%v: %v does not wrap context.Canceled", tc.sig, err)
		}
	}
	// Cancelled for another reason (a caller's own context): exit 130, the
	// error as it was.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := cli.Run(ctx, []string{"ingest", "--quiet", "--data", filepath.Join(dir, "data"), in}, io.Discard, io.Discard)
	if got := cli.ExitCode(err); got != 130 || !errors.Is(err, context.Canceled) {
		t.Errorf("plain cancel: %v, exit %d; want context.Canceled, 130", err, got)
	}
}
