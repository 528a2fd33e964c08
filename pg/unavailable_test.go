package pg_test

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/lib/pq"

	"helpforce/fault"
	"helpforce/pg"
)

func TestUnavailableTellsOutagesFromFailures(t *testing.T) {
	cases := []struct {
		err                    error
		unavailable, transient bool
	}{
		{&pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}, true, false},
		{&pq.Error{Code: "57P03", Message: "the database system is starting up"}, true, false},
		{&pq.Error{Code: "08006"}, true, false},
		{&pq.Error{Code: "53300"}, true, false},
		{fmt.Errorf("assist: create: %w", driver.ErrBadConn), true, false},
		{&net.OpError{Op: "dial", Net: "unix", Err: syscall.ECONNREFUSED}, true, false},
		{fmt.Errorf("pg: %w", syscall.ENOENT), true, false},
		{context.DeadlineExceeded, true, false},
		{fmt.Errorf("people: session: %w", io.EOF), true, false},
		{io.ErrUnexpectedEOF, true, false},
		{&pq.Error{Code: "40P01", Message: "deadlock detected"}, false, true},
		{&pq.Error{Code: "40001"}, false, true},
		{&pq.Error{Code: "23505", Message: "duplicate key"}, false, false},
		{&pq.Error{Code: "42P01", Message: "relation does not exist"}, false, false},
		{fault.Invalid("sku", "too long"), false, false},
		{errors.New("something else"), false, false},
		{nil, false, false},
	}
	for _, c := range cases {
		if got := pg.Unavailable(c.err); got != c.unavailable {
			t.Errorf("Unavailable(%v) = %v", c.err, got)
		}
		if got := pg.Transient(c.err); got != c.transient {
			t.Errorf("Transient(%v) = %v", c.err, got)
		}
	}
}
