package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/crimetrends/crimetrends/datasets"
)

// ErrLocked is wrapped by the error a writer (Add, Repair, AcquireLock)
// returns when another run still holds the lock after the time it was
// allowed to wait. Match it with errors.Is.
var ErrLocked = errors.New("locked")

// A waiting writer tries the lock again after 1 ms, then twice as long
// each time, up to every lockPoll.
const lockPoll = 100 * time.Millisecond

// Lock is an operating-system lock on a file, held from AcquireLock until
// Release: flock(2) on Unix (LockFileEx on Windows). The kernel holds it
// for the open file, not for a process id, so it works across PID
// namespaces (containers sharing a volume), is released when its holder
// exits or is killed, and is never "stale". The lock file itself is never
// removed: it stays, empty, beside what it guards.
type Lock struct {
	f    *os.File
	path string
}

// AcquireLock takes the exclusive lock on the file at path, creating the
// file if missing. When another run holds it, AcquireLock calls onWait
// (when not nil) once and tries again, at most every 100 ms, for up to wait; after
// that it returns an error wrapping ErrLocked that names path. A wait of 0
// fails at once. On cancellation it returns ctx.Err() unwrapped.
//
// Two Locks on one file conflict even within one process, so two Stores
// opened on one directory exclude each other as two processes do.
func AcquireLock(ctx context.Context, path string, wait time.Duration, onWait func()) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock %q: %w", path, datasets.WithoutPath(err))
	}
	var deadline time.Time
	waited := false
	pause := time.Millisecond
	for {
		busy, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("lock %q: %w (on a network file system, file locks need the server's lock service: see README.md)", path, err)
		}
		if !busy {
			return &Lock{f: f, path: path}, nil
		}
		if !waited {
			waited = true
			deadline = time.Now().Add(wait)
			if wait > 0 && onWait != nil {
				onWait()
			}
		}
		left := time.Until(deadline)
		if left <= 0 {
			f.Close()
			if wait > 0 {
				return nil, fmt.Errorf("%w: %q is still held after waiting %s", ErrLocked, path, wait)
			}
			return nil, fmt.Errorf("%w: %q is held", ErrLocked, path)
		}
		t := time.NewTimer(min(left, pause))
		pause = min(2*pause, lockPoll)
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, ctx.Err()
		case <-t.C:
		}
	}
}

// Path is the lock file's path.
func (l *Lock) Path() string { return l.path }

// Release releases the lock. It may be called more than once.
func (l *Lock) Release() {
	if l == nil || l.f == nil {
		return
	}
	unlock(l.f)
	l.f.Close()
	l.f = nil
}
