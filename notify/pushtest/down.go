package pushtest

import (
	"net"
	"sync"
)

// Down closes the service's listening socket, so that senders are refused
// at connect (ECONNREFUSED), as when a push service is unreachable. Up
// listens again on the same address. Connections already open are closed
// too, since a sender would otherwise keep using them.
func (s *Service) Down() { s.ln.down() }

// Up undoes Down; it panics if the address cannot be taken again.
func (s *Service) Up() { s.ln.up() }

// switchable is a listener that can stop listening and start again on the
// same address while the http.Server keeps calling Accept.
type switchable struct {
	addr net.Addr
	mu   sync.Mutex
	ln   net.Listener  // nil while down
	open chan struct{} // closed when up; replaced at down
	gone chan struct{} // closed by Close
	once sync.Once
	// conns are the connections accepted and not yet closed: Down closes
	// them, with no window in which the server has not registered one yet.
	conns map[*trackedConn]struct{}
}

// trackedConn leaves its listener's set when closed.
type trackedConn struct {
	net.Conn
	l *switchable
}

func (c *trackedConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c)
	c.l.mu.Unlock()
	return c.Conn.Close()
}

func newSwitchable(addr string) (*switchable, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	open := make(chan struct{})
	close(open)
	return &switchable{addr: ln.Addr(), ln: ln, open: open, gone: make(chan struct{}), conns: map[*trackedConn]struct{}{}}, nil
}

func (l *switchable) Accept() (net.Conn, error) {
	for {
		l.mu.Lock()
		ln, open := l.ln, l.open
		l.mu.Unlock()
		select {
		case <-l.gone:
			return nil, net.ErrClosed
		case <-open:
		}
		if ln == nil {
			continue
		}
		c, err := ln.Accept()
		l.mu.Lock()
		stillUp := l.ln == ln
		if err == nil && stillUp {
			tc := &trackedConn{Conn: c, l: l}
			l.conns[tc] = struct{}{}
			l.mu.Unlock()
			return tc, nil
		}
		l.mu.Unlock()
		if err == nil {
			c.Close() // accepted just as the service went down
			continue
		}
		if stillUp {
			return nil, err
		}
		// Closed by down: wait to be up again.
	}
}

func (l *switchable) down() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln == nil {
		return
	}
	ln := l.ln
	l.ln, l.open = nil, make(chan struct{})
	// Open connections first, the listener last: once a sender is refused,
	// no connection it opened earlier can still be answered, however long
	// this goroutine waits for a core in between.
	for c := range l.conns {
		c.Conn.Close()
		delete(l.conns, c)
	}
	ln.Close()
}

func (l *switchable) up() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln != nil {
		return
	}
	ln, err := net.Listen("tcp", l.addr.String())
	if err != nil {
		panic("pushtest: listen again on " + l.addr.String() + ": " + err.Error())
	}
	l.ln = ln
	close(l.open)
}

func (l *switchable) Close() error {
	l.once.Do(func() { close(l.gone) })
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln != nil {
		return l.ln.Close()
	}
	return nil
}

func (l *switchable) Addr() net.Addr { return l.addr }
