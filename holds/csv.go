package holds

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"helpforce/fault"
)

// maxRow is the longest CSV row accepted, in bytes: a row at the limits of
// every column is under 2 KB, quoting included.
const maxRow = 8 << 10

// csvColumns are the columns a CSV import may name, in any order; price and
// gtin are optional.
var csvColumns = []string{"sku", "name", "on_hand", "price", "gtin"}

type csvSource struct {
	r    *csv.Reader
	cols [5]int // the position of each of csvColumns, or -1
	line int    // where the last row started
}

func (s *csvSource) at() (string, int) { return "line", s.line }

func newCSVSource(r io.Reader) (*csvSource, error) {
	cr := csv.NewReader(&rowLimit{r: r, max: maxRow, line: 1, start: 1})
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, fault.Invalid("body", "the file is empty; its first line names the columns: sku,name,on_hand[,price][,gtin]")
	}
	if err != nil {
		return nil, csvError(err, header, 0)
	}
	s := &csvSource{r: cr, cols: [5]int{-1, -1, -1, -1, -1}}
	for i, h := range header {
		if i == 0 {
			h = strings.TrimPrefix(h, "\ufeff") // spreadsheets start UTF-8 files with a byte order mark
		}
		h = strings.ToLower(strings.TrimSpace(h))
		j := slices.Index(csvColumns, h)
		switch {
		case j < 0:
			return nil, fault.Invalid("body", "line 1: unknown column %q; the columns are sku,name,on_hand[,price][,gtin]", h)
		case s.cols[j] >= 0:
			return nil, fault.Invalid("body", "line 1: the column %q appears twice", h)
		}
		s.cols[j] = i
	}
	if s.cols[0] < 0 || s.cols[1] < 0 || s.cols[2] < 0 {
		return nil, fault.Invalid("body", "line 1: the first line names the columns sku,name,on_hand[,price][,gtin]")
	}
	return s, nil
}

func (s *csvSource) next() (item, error) {
	rec, err := s.r.Read()
	if errors.Is(err, io.EOF) {
		return item{}, io.EOF
	}
	if err != nil {
		return item{}, csvError(err, rec, s.r.FieldsPerRecord)
	}
	s.line, _ = s.r.FieldPos(0)
	price := ""
	if s.cols[3] >= 0 {
		price = rec[s.cols[3]]
	}
	code := ""
	if s.cols[4] >= 0 {
		code = rec[s.cols[4]]
	}
	it, err := check("line", s.line, rec[s.cols[0]], rec[s.cols[1]], rec[s.cols[2]], price)
	return checkGTIN(it, err, "line", s.line, code)
}

// csvError says what is wrong with the file, and where. Errors reading the
// upload itself stay wrapped for the caller (a body over its size limit).
func csvError(err error, rec []string, want int) error {
	var long *rowTooLong
	if errors.As(err, &long) {
		return fault.Invalid("body", "line %d: the row is longer than %d KB", long.line, maxRow>>10)
	}
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return fmt.Errorf("holds: read the upload: %w", err)
	}
	switch {
	case errors.Is(pe.Err, csv.ErrFieldCount):
		return fault.Invalid("body", "line %d: expected %d columns like the first line, found %d", pe.StartLine, want, len(rec))
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fault.Invalid("body", `line %d: a " in a field that is not quoted; quote the field and double the " inside it`, pe.Line)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fault.Invalid("body", `line %d: a quoted field is not closed, or a " inside it is not doubled`, pe.Line)
	}
	return fault.Invalid("body", "line %d: %v", pe.Line, pe.Err)
}

// rowTooLong is a CSV row over maxRow.
type rowTooLong struct{ line int }

func (e *rowTooLong) Error() string { return fmt.Sprintf("line %d: row too long", e.line) }

// rowLimit refuses a CSV row longer than max before the CSV reader holds it
// in memory. Counting quotes tells the end of a row from a line break
// inside a quoted field (an escaped quote counts twice, so it cancels out).
type rowLimit struct {
	r      io.Reader
	max    int
	size   int  // bytes of the current row so far
	quoted bool // inside a quoted field
	line   int  // the line being read
	start  int  // the line the current row started on
	err    error
}

func (l *rowLimit) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	if l.err = l.scan(p[:n]); l.err != nil {
		return 0, l.err
	}
	return n, err
}

// scan follows rows through p. It looks for bytes with bytes.IndexByte
// rather than one by one: a large import passes through here whole.
func (l *rowLimit) scan(p []byte) error {
	for len(p) > 0 {
		if l.quoted {
			seg, rest, closed := cutAfter(p, '"')
			l.line += bytes.Count(seg, []byte{'\n'})
			l.size += len(seg)
			if l.size > l.max {
				return &rowTooLong{line: l.start}
			}
			l.quoted, p = !closed, rest
			continue
		}
		seg, rest, ended := cutAfter(p, '\n')
		if q := bytes.IndexByte(seg, '"'); q >= 0 {
			seg, rest, ended = p[:q+1], p[q+1:], false
			l.quoted = true
		}
		l.size += len(seg)
		if l.size > l.max {
			return &rowTooLong{line: l.start}
		}
		if ended {
			l.line++
			l.size, l.start = 0, l.line
		}
		p = rest
	}
	return nil
}

// cutAfter splits p after the first c, reporting whether there was one.
func cutAfter(p []byte, c byte) (before, after []byte, found bool) {
	if i := bytes.IndexByte(p, c); i >= 0 {
		return p[:i+1], p[i+1:], true
	}
	return p, nil, false
}
