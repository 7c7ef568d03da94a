// Command crimetrends is the monthly batch for police recorded crime trends
// in England and Wales. See README.md, or run crimetrends --help.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/crimetrends/crimetrends/internal/cli"
)

func main() { os.Exit(run()) }

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C cancels the run, which stops at its next check and
	// leaves the dataset as it was; a second one kills the process at once.
	go func() {
		<-ctx.Done()
		stop()
	}()
	err := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "crimetrends: %v\n", err)
	}
	return cli.ExitCode(err)
}
