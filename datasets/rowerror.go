package datasets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// Sentinel errors wrapped by RowError; match them with errors.Is.
var (
	ErrNoSuchColumn   = errors.New("missing column")
	ErrBadHeader      = errors.New("unexpected header")
	ErrBadMonth       = errors.New("not a month")
	ErrBadCount       = errors.New("not a count")
	ErrUnknownForce   = errors.New("unknown police force")
	ErrUnknownOffence = errors.New("unknown offence")
	ErrBadOutcome     = errors.New("not an outcome type")
	ErrBadRow         = errors.New("malformed row")
	ErrUnknownFormat  = errors.New("unrecognised input format")
	ErrNoSuchSheet    = errors.New("missing sheet")
	// ErrPasswordProtected is wrapped by PasswordProtected's error.
	ErrPasswordProtected = errors.New("password-protected")
	// ErrNotAsNamed is a row whose force or month is not the one its
	// file's name or folder says (a data.police.uk monthly file,
	// YYYY-MM/YYYY-MM-<force>-street.csv).
	ErrNotAsNamed = errors.New("row does not match its file's name")
)

// PasswordProtected is the error for an encrypted (password-protected)
// workbook: it names the file and says what to do.
func PasswordProtected(file string) error { return protectedError(file) }

type protectedError string

func (e protectedError) Error() string {
	return fmt.Sprintf("%q is password-protected: open it in Excel or LibreOffice and save a copy without a password, then ingest that copy", string(e))
}

func (e protectedError) Unwrap() error { return ErrPasswordProtected }

// RowError locates a problem in an input, in the way csv.ParseError does.
// Its message names the file quoted as a Go string ("x.csv" row 3 ...), so
// that a name holding a newline, a quote or a control character keeps the
// message on one line and cannot be mistaken for the text around it.
// Row is 1-based and counts the header as row 1 (so it matches a
// spreadsheet's row number and a text editor's line for one-line records);
// 0 means the whole file. Column is the header name where known.
type RowError struct {
	File   string
	Sheet  string // xlsx/ods only
	Row    int
	Column string
	Value  string // the offending cell, shortened
	Want   string // what was expected, in words
	Err    error
}

func (e *RowError) Error() string {
	var b strings.Builder
	b.WriteString(strconv.Quote(e.File))
	if e.Sheet != "" {
		fmt.Fprintf(&b, " sheet %q", e.Sheet)
	}
	if e.Row > 0 {
		fmt.Fprintf(&b, " row %d", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, " column %q", e.Column)
	}
	b.WriteString(": ")
	msg := e.Err.Error()
	b.WriteString(msg)
	// The offending cell, unless the wrapped error already quotes it.
	if e.Value != "" || e.Row > 0 && e.Column != "" {
		v := e.Value
		if len(v) > 60 {
			v = v[:57] + "..."
		}
		if q := fmt.Sprintf("%q", v); v == "" || !strings.Contains(msg, q) {
			b.WriteString(" ")
			b.WriteString(q)
		}
	}
	if e.Want != "" {
		b.WriteString(": want ")
		b.WriteString(e.Want)
	}
	return b.String()
}

func (e *RowError) Unwrap() error { return e.Err }

// WithoutPath returns the cause of an *fs.PathError or *os.LinkError (such
// as "no such file or directory"), for a message that names the file
// already, quoted: the error's own text repeats the path unquoted ("stat
// a\nb.csv: ..."). Other errors are returned as they are. errors.Is still
// finds the cause (fs.ErrNotExist).
func WithoutPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
