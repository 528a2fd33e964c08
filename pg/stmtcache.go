package pg

import (
	"context"
	"database/sql/driver"
	"errors"
	"strings"

	"github.com/lib/pq"
)

// stmtsPerConn bounds the statements a connection keeps prepared.
const stmtsPerConn = 256

// perCallMark starts the text of a query that PerCall marks.
const perCallMark = "/* planned per call */ "

// PerCall marks a query whose best plan depends on its arguments (a LIKE
// pattern, say): it is planned anew at each call, for those values, rather
// than kept prepared with one plan for all.
func PerCall(query string) string { return perCallMark + query }

// connector opens lib/pq connections that keep their statements prepared:
// each query text is parsed and planned once per connection, then only
// bound and executed, in one round trip, with one plan for all arguments
// (the server still re-plans after a schema change). Queries marked with
// PerCall are planned at each call instead.
type connector struct{ base *pq.Connector }

func (c connector) Connect(ctx context.Context) (driver.Conn, error) {
	inner, err := c.base.Connect(ctx)
	if err != nil {
		return nil, err
	}
	c2 := &cachingConn{Conn: inner, stmts: map[string]driver.Stmt{}, perCall: true}
	if err := c2.planPerCall(ctx, false); err != nil {
		inner.Close()
		return nil, err
	}
	return c2, nil
}

func (c connector) Driver() driver.Driver { return c.base.Driver() }

// cachingConn is a lib/pq connection with a cache of prepared statements.
// database/sql uses a connection from one goroutine at a time, so the cache
// needs no lock.
type cachingConn struct {
	driver.Conn
	stmts   map[string]driver.Stmt
	order   []string // oldest first, for eviction
	perCall bool     // the session plans each call (the server's default)
}

// planPerCall switches the session between one plan per prepared statement
// and plans made for each call's arguments, only when it changes. A switch
// made in a transaction that rolls back is undone with it, which costs
// speed, never results.
func (c *cachingConn) planPerCall(ctx context.Context, perCall bool) error {
	if c.perCall == perCall {
		return nil
	}
	mode := "force_generic_plan"
	if perCall {
		mode = "auto"
	}
	if _, err := c.Conn.(driver.ExecerContext).ExecContext(ctx, "SET plan_cache_mode = "+mode, nil); err != nil {
		return err
	}
	c.perCall = perCall
	return nil
}

// prepared returns the connection's statement for query, preparing it once.
func (c *cachingConn) prepared(ctx context.Context, query string) (driver.Stmt, error) {
	if err := c.planPerCall(ctx, false); err != nil {
		return nil, err
	}
	if st, ok := c.stmts[query]; ok {
		return st, nil
	}
	st, err := c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
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
		func() (driver.Rows, error) { return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args) },
		func(st driver.Stmt) (driver.Rows, error) { return st.(driver.StmtQueryContext).QueryContext(ctx, args) })
}

func (c *cachingConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return run(ctx, c, query, args,
		func() (driver.Result, error) { return c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args) },
		func(st driver.Stmt) (driver.Result, error) { return st.(driver.StmtExecContext).ExecContext(ctx, args) })
}

// run answers a query or an exec: directly when it has no arguments (lib/pq
// then uses the simple protocol, which also runs several statements at once)
// or is marked PerCall, after switching the session to plans made per call;
// otherwise through the connection's prepared statement, forgetting one the
// server no longer accepts.
func run[T any](ctx context.Context, c *cachingConn, query string, args []driver.NamedValue,
	direct func() (T, error), prepared func(driver.Stmt) (T, error)) (T, error) {
	var none T
	if len(args) == 0 {
		return direct()
	}
	if strings.HasPrefix(query, perCallMark) {
		if err := c.planPerCall(ctx, true); err != nil {
			return none, err
		}
		return direct()
	}
	st, err := c.prepared(ctx, query)
	if err != nil {
		return none, err
	}
	v, err := prepared(st)
	if err != nil {
		c.forget(query, err)
	}
	return v, err
}

func (c *cachingConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *cachingConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}

func (c *cachingConn) Ping(ctx context.Context) error { return c.Conn.(driver.Pinger).Ping(ctx) }

func (c *cachingConn) CheckNamedValue(nv *driver.NamedValue) error {
	return c.Conn.(driver.NamedValueChecker).CheckNamedValue(nv)
}

func (c *cachingConn) ResetSession(ctx context.Context) error {
	return c.Conn.(driver.SessionResetter).ResetSession(ctx)
}

func (c *cachingConn) IsValid() bool { return c.Conn.(driver.Validator).IsValid() }
