package cli_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
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
		Setup: func(env *testscript.Env) error {
			env.Setenv("REAL", real)
			env.Setenv("SOURCE_DATE_EPOCH", "1700000000")
			return nil
		},
	})
}
