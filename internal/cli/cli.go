package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"
)

// Version is the software version written into every manifest and report.
const Version = "0.1.0"

// ErrUsage marks a command line that cannot be run as typed (exit status 2).
var ErrUsage = errors.New("usage")

// env is what a command may touch: its output streams and its clock.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	quiet          bool
	jsonLog        bool // --log-format json: the final error is a log record too
	now            func() time.Time
	// kept says what a command finished before it was stopped, for the
	// message of a signal: "vintage v000003 was added to the dataset".
	kept string
	// wait is how long a writer waits for another run's lock on the
	// dataset or on --out (--wait).
	wait time.Duration
}

// Main runs the crimetrends command line args (without the program name),
// writes its error to stderr and returns the exit status (see ExitCode):
// what main does, callable from tests. The error is one line: ErrorLine's,
// or with --log-format json a log record at level ERROR with the message
// and the exit status, so that every line on stderr is JSON.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e, err := run(ctx, args, stdout, stderr)
	if err == nil {
		return 0
	}
	code := ExitCode(err)
	if e.jsonLog {
		e.log.Error(err.Error(), "exit_status", code)
	} else {
		fmt.Fprintln(stderr, ErrorLine(err))
	}
	return code
}

// Run runs the crimetrends command line args (without the program name).
// It never exits the process nor prints its error: Main does, and maps the
// error to an exit status with ExitCode. Help goes to stdout and succeeds.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	_, err := run(ctx, args, stdout, stderr)
	return err
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) (*env, error) {
	e := &env{stdout: stdout, stderr: stderr, now: clock(), wait: defaultWait}
	root := &cobra.Command{
		Use:   "crimetrends",
		Short: "Police recorded crime trends for England and Wales",
		Long: `crimetrends ingests police recorded crime extracts (data.police.uk street-level CSVs,
Home Office open data tables) into a Parquet dataset and writes the figures a
commissioner quotes: rolling 12-month totals, year-on-year change, the force
against England and Wales, as a dashboard, a workbook and CSV files.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	var logFormat string
	var quiet bool
	root.PersistentFlags().StringVar(&logFormat, "log-format", "text", "log format on stderr: text or json")
	root.PersistentFlags().BoolVarP(&quiet, "quiet", "q", false, "log warnings and errors only")
	root.PersistentPreRunE = func(cmd *cobra.Command, _ []string) error {
		level := slog.LevelInfo
		e.quiet = quiet
		if quiet {
			level = slog.LevelWarn
		}
		hopts := &slog.HandlerOptions{Level: level}
		switch logFormat {
		case "text":
			hopts.ReplaceAttr = dropTime
			e.log = slog.New(slog.NewTextHandler(stderr, hopts))
		case "json":
			e.log = slog.New(slog.NewJSONHandler(stderr, hopts))
			e.jsonLog = true
		default:
			return fmt.Errorf("%w: --log-format %q: want text or json", ErrUsage, logFormat)
		}
		return nil
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetArgs(args)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		// "crimetrends reprot --out x" fails on the flag before the
		// command is looked at: the command is what is wrong.
		if cmd == root {
			if name := strayCommand(args); name != "" {
				return unknownCommand(root, []string{name})
			}
		}
		return fmt.Errorf("%w: %v; see %s --help", ErrUsage, err, cmd.CommandPath())
	})
	// With Args set, cobra hands an unknown command to root.Args (exit 2)
	// instead of failing with an error of its own (exit 1); without
	// arguments the root command prints its help.
	root.Args = unknownCommand
	root.SuggestionsMinimumDistance = 2
	root.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	root.AddCommand(ingestCmd(e), reportCmd(e), runCmd(e), demoCmd(e), verifyCmd(e), repairCmd(e))
	root.SetHelpCommand(helpCmd(root))
	root.CompletionOptions.DisableDefaultCmd = true
	err := root.ExecuteContext(ctx)
	var sig Signalled
	if err != nil && ctx.Err() != nil && errors.As(context.Cause(ctx), &sig) {
		return e, &StoppedError{Signal: sig.Signal, Kept: e.kept, Err: err}
	}
	return e, err
}

// unknownCommand is the root command's argument check: any argument is a
// command crimetrends does not have.
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	return fmt.Errorf("%w: unknown command %q%s: the commands are %s; see %s --help",
		ErrUsage, args[0], didYouMean(cmd, args[0]), strings.Join(commandNames(cmd), ", "), cmd.CommandPath())
}

// strayCommand is the first argument of a root command line that is
// neither a flag nor the value of --log-format: a command that does not
// exist.
func strayCommand(args []string) string {
	for i, a := range args {
		switch {
		case a == "--":
			return ""
		case strings.HasPrefix(a, "-"):
			continue
		case i > 0 && args[i-1] == "--log-format":
			continue
		}
		return a
	}
	return ""
}

// helpCmd is `crimetrends help [command]`; a topic that is not a command
// is a usage error, like an unknown command.
func helpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || len(rest) > 0 && cmd == root {
				topic := strings.Join(args, " ")
				return fmt.Errorf("%w: no help topic %q%s: the commands are %s", ErrUsage, topic, didYouMean(root, args[0]),
					strings.Join(commandNames(root), ", "))
			}
			return cmd.Help()
		},
	}
}

func didYouMean(cmd *cobra.Command, arg string) string {
	if s := cmd.SuggestionsFor(arg); len(s) > 0 {
		return fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	return ""
}

func commandNames(cmd *cobra.Command) []string {
	var names []string
	for _, c := range cmd.Commands() {
		if c.IsAvailableCommand() {
			names = append(names, c.Name())
		}
	}
	return names
}

// ErrorLine is the line main prints for Run's error: "crimetrends: " and
// the message, with any byte that could break the line or the terminal (a
// newline, a control character, invalid UTF-8) escaped as Go would quote
// it. File names are quoted where the messages are made; this holds even
// for text a wrapped error brings along.
func ErrorLine(err error) string {
	msg := err.Error()
	var b strings.Builder
	b.Grow(len("crimetrends: ") + len(msg))
	b.WriteString("crimetrends: ")
	for i := 0; i < len(msg); {
		r, size := utf8.DecodeRuneInString(msg[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, msg[i])
		case r == ' ' || r == '\t' || unicode.IsPrint(r):
			b.WriteString(msg[i : i+size])
		default:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

// Signalled is the cause main cancels Run's context with when a signal
// arrives (context.WithCancelCause): Run then ends with a *StoppedError
// naming what was kept, and ExitCode gives 128 and the signal's number.
type Signalled struct{ Signal os.Signal }

func (s Signalled) Error() string { return s.Signal.String() + " signal received" }

// StoppedError is Run's error when a signal stopped the command.
type StoppedError struct {
	Signal os.Signal
	Kept   string // what was done before the signal, as a clause; "" when nothing was
	Err    error  // the error the command stopped with
}

func (e *StoppedError) Error() string {
	if e.Kept != "" {
		return "stopped by a signal: " + e.Kept + "; the reports are as they were"
	}
	return "stopped by a signal: the dataset and the reports are as they were"
}

func (e *StoppedError) Unwrap() error { return e.Err }

// ExitCode maps Run's error to a process exit status: 0 success, 2 a
// command line that cannot be run, 128 + the signal's number when a signal
// stopped it (130 for Ctrl-C, SIGINT; 143 for SIGTERM), 130 for any other
// cancellation, 1 anything else.
func ExitCode(err error) int {
	var stopped *StoppedError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, ErrUsage):
		return 2
	case errors.As(err, &stopped):
		if s, ok := stopped.Signal.(syscall.Signal); ok && s > 0 && s < 128 {
			return 128 + int(s)
		}
		return 130
	case errors.Is(err, context.Canceled):
		return 130
	}
	return 1
}

// dropTime leaves the time out of text logs, so runs can be compared.
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// clock is the time source for vintages: SOURCE_DATE_EPOCH (seconds since
// 1970, the reproducible-builds convention) fixes it; otherwise the wall
// clock.
func clock() func() time.Time {
	if s := os.Getenv("SOURCE_DATE_EPOCH"); s != "" {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			t := time.Unix(n, 0).UTC()
			return func() time.Time { return t }
		}
	}
	return func() time.Time { return time.Now().UTC() }
}

func usageArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) < n {
			return fmt.Errorf("%w: %s needs at least %d argument(s); see %s --help", ErrUsage, cmd.Name(), n, cmd.CommandPath())
		}
		return nil
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: %s takes no arguments, got %q; see %s --help", ErrUsage, cmd.Name(), args, cmd.CommandPath())
	}
	return nil
}
