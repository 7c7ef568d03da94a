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
	err := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "crimetrends: %v\n", err)
	}
	return cli.ExitCode(err)
}
