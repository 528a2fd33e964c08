package pg

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"

	"github.com/lib/pq"
)

// stmtsPerConn bounds the statements a connection keeps prepared.
const stmtsPerConn = 256

// pqConn is what a lib/pq connection offers and a cachingConn passes on
// unchanged. Connect checks it once, so that no method below needs a
// type assertion.
type pqConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.NamedValueChecker
	driver.SessionResetter
	driver.Validator
}

// pqStmt is what a lib/pq prepared statement offers.
type pqStmt interface {
	driver.Stmt
	driver.StmtQueryContext
	driver.StmtExecContext
}

// preparingConnector opens the connections of the pool Open returns. Each
// keeps the statements it runs prepared: a query text is parsed and planned
// once per connection, then only bound and executed, in one round trip.
// Every session runs with plan_cache_mode = force_generic_plan, set once
// when it opens, so that a statement keeps one plan for all its arguments
// (the server still plans again after a schema change). Queries whose best
// plan depends on their arguments use the pool of OpenUnprepared instead.
type preparingConnector struct{ base *pq.Connector }

// planOnce is the one session setting of a preparing connection.
const planOnce = "SET plan_cache_mode = force_generic_plan"

func (c preparingConnector) Connect(ctx context.Context) (driver.Conn, error) {
	inner, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	conn, ok := inner.(pqConn)
	if !ok {
		inner.Close()
		return nil, fmt.Errorf("pg: the driver's connection (%T) cannot keep statements prepared", inner)
	}
	if _, err := conn.ExecContext(ctx, planOnce, nil); err != nil {
		conn.Close()
		return nil, err
	}
	return &cachingConn{pqConn: conn, stmts: map[string]pqStmt{}}, nil
}

func (c preparingConnector) Driver() driver.Driver { return c.base.Driver() }

// cachingConn is a lib/pq connection with a cache of prepared statements;
// every method but QueryContext and ExecContext is the connection's own.
// database/sql uses a connection from one goroutine at a time, so the cache
// needs no lock.
type cachingConn struct {
	pqConn
	stmts map[string]pqStmt
	order []string // oldest first, for eviction
}

// prepared returns the connection's statement for query, preparing it once.
func (c *cachingConn) prepared(ctx context.Context, query string) (pqStmt, error) {
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	raw, err := c.pqConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	st, ok := raw.(pqStmt)
	if !ok {
		raw.Close()
		return nil, fmt.Errorf("pg: the driver's statement (%T) cannot run with a context", raw)
	}
	if len(c.order) >= stmtsPerConn {
		oldest := c.order[0]
		c.order = c.order[1:]
		_ = c.stmts[oldest].Close()
		delete(c.stmts, oldest)
	}
	c.stmts[query] = st
	c.order = append(c.order, query)
	return st, nil
}

// forget drops a statement the server no longer accepts (its result type
// changed with the schema), so that the next call prepares it again.
func (c *cachingConn) forget(query string, err error) {
	var pe *pq.Error
	if !errors.As(err, &pe) || (pe.Code != "0A000" && pe.Code != "26000") {
		return
	}
	delete(c.stmts, query)
	for i, q := range c.order {
		if q == query {
			c.order = append(c.order[:i], c.order[i+1:]...)
			break
		}
	}
}

func (c *cachingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return run(ctx, c, query, args,
		func() (driver.Rows, error) { return c.pqConn.QueryContext(ctx, query, args) },
		func(st pqStmt) (driver.Rows, error) { return st.QueryContext(ctx, args) })
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return run(ctx, c, query, args,
		func() (driver.Result, error) { return c.pqConn.ExecContext(ctx, query, args) },
		func(st pqStmt) (driver.Result, error) { return st.ExecContext(ctx, args) })
}

// run answers a query or an exec: directly when it has no arguments (lib/pq
// then uses the simple protocol, which also runs several statements at
// once), otherwise through the connection's prepared statement, forgetting
// one the server no longer accepts.
func run[T any](ctx context.Context, c *cachingConn, query string, args []driver.NamedValue,
	direct func() (T, error), prepared func(pqStmt) (T, error)) (T, error) {
	if len(args) == 0 {
		return direct()
	}
	st, err := c.prepared(ctx, query)
	if err != nil {
		var none T
		return none, err
	}
	v, err := prepared(st)
	if err != nil {
		c.forget(query, err)
	}
	return v, err
}
