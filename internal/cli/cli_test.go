package cli_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/crimetrends/crimetrends/internal/cli"
	"github.com/crimetrends/crimetrends/internal/testutil"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"crimetrends": func() {
			err := cli.Run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
			if err != nil {
				fmt.Fprintf(os.Stderr, "crimetrends: %v\n", err)
			}
			os.Exit(cli.ExitCode(err))
		},
	})
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
