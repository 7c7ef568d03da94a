// Command crimetrends is the monthly batch for police recorded crime trends
// in England and Wales. See README.md, or run crimetrends --help.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/crimetrends/crimetrends/internal/cli"
)

func main() { os.Exit(run()) }

func run() int {
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	// The first Ctrl-C (SIGINT) or SIGTERM cancels the run, which stops at
	// its next check and leaves the dataset and the reports as they were;
	// after it the signals have their default action again, so a second
	// one ends the process at once.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case s := <-sigs:
			signal.Stop(sigs)
			cancel(cli.Signalled{Signal: s})
		case <-ctx.Done():
		}
	}()
	return cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
}
