package cli

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/crimetrends/crimetrends/pipeline"
)

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// watchProgress reports p until the returned stop function is called: a
// bar redrawn in place when stderr is a terminal, otherwise a plain log
// line every interval. stop draws the final state and returns when done.
func watchProgress(stderr io.Writer, log *slog.Logger, p *pipeline.Progress, quiet bool) (stop func()) {
	if quiet {
		return func() {}
	}
	tty := isTerminal(stderr)
	every := 10 * time.Second
	if tty {
		every = 200 * time.Millisecond
	}
	start := time.Now()
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-done:
				if tty {
					fmt.Fprintf(stderr, "\r%s\n", bar(p, time.Since(start)))
				}
				return
			case <-t.C:
				if tty {
					fmt.Fprintf(stderr, "\r%s", bar(p, time.Since(start)))
				} else {
					log.Info("ingest progress", "files_done", p.FilesDone.Load(), "files", p.Files.Load(),
						"mb_done", p.BytesDone.Load()>>20, "mb", p.Bytes.Load()>>20)
				}
			}
		}
	}()
	return func() {
		close(done)
		<-finished
	}
}

// bar is one line: [#####.....]  52%  12/40 files  1,204/2,310 MB  301 MB/s
func bar(p *pipeline.Progress, elapsed time.Duration) string {
	total, doneB := p.Bytes.Load(), p.BytesDone.Load()
	frac := 0.0
	if total > 0 {
		frac = float64(doneB) / float64(total)
	}
	if frac > 1 {
		frac = 1
	}
	const width = 30
	n := int(frac * width)
	rate := 0.0
	if s := elapsed.Seconds(); s > 0 {
		rate = float64(doneB) / 1e6 / s
	}
	return fmt.Sprintf("[%s%s] %3.0f%%  %d/%d files  %d/%d MB  %.0f MB/s ",
		strings.Repeat("#", n), strings.Repeat(".", width-n), frac*100,
		p.FilesDone.Load(), p.Files.Load(), doneB/1e6, total/1e6, rate)
}
