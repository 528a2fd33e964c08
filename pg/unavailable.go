package pg

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/lib/pq"
)

// ConnectTimeout bounds opening one connection: a database host that drops
// packets must not hold a caller for the kernel's minutes-long TCP timeout.
const ConnectTimeout = 3 * time.Second

// Unavailable reports whether err means the database cannot be reached right
// now (down, restarting, refusing connections, or a connection lost under a
// query), as opposed to a query that failed on its own merits. Callers answer
// such errors with "try again shortly" rather than as a bug.
func Unavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pq.Error
	if errors.As(err, &pe) {
		code := string(pe.Code)
		// Class 08 is connection exception; 57P01 admin_shutdown, 57P02
		// crash_shutdown, 57P03 cannot_connect_now (starting up, shutting
		// down, in recovery); 53300 too_many_connections.
		return strings.HasPrefix(code, "08") || code == "57P01" || code == "57P02" || code == "57P03" || code == "53300"
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ENOENT) {
		return true
	}
	// The server closed the connection under a query (a fast shutdown that
	// did not wait to say why): the driver reads the end of the stream.
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var oe *net.OpError
	return errors.As(err, &oe)
}

// boundedConnector gives every new connection at most ConnectTimeout, inside
// whatever deadline the caller's context already carries.
type boundedConnector struct{ driver.Connector }

func (b boundedConnector) Connect(ctx context.Context) (driver.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, ConnectTimeout)
	defer cancel()
	return b.Connector.Connect(ctx)
}

// Transient reports whether err is a conflict between concurrent
// transactions that PostgreSQL resolved by rolling one back (a deadlock, a
// serialization failure): the same work, tried again, normally succeeds.
func Transient(err error) bool {
	var pe *pq.Error
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}
