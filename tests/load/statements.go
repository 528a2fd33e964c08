package main

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/jmoiron/sqlx"
	_ "github.com/lib/pq"

	"helpforce/pg/devdb"
)

// statementStats follows the cluster's statements with pg_stat_statements
// (-statements): the tool starts the server's PostgreSQL itself, as the
// server would start its own, with the extension loaded, and reports the
// statements that took the most time in the measured window.
type statementStats struct {
	cluster *devdb.Cluster
	db      *sqlx.DB
}

// StatementCost is one statement's share of the database's time in the
// measured window.
type StatementCost struct {
	Calls      int64   `json:"calls"`
	PerCreated float64 `json:"calls_per_created"`
	MeanMS     float64 `json:"mean_ms"`   // execution, lock waits included
	TotalS     float64 `json:"total_s"`   // calls × mean
	Share      float64 `json:"share"`     // of all statements' time
	Rows       int64   `json:"rows"`      // returned or changed
	Statement  string  `json:"statement"` // its opening comment or first words (label)
}

// startStatementStats starts a cluster under dir (where the server would
// keep its own) and returns the server's DATABASE_URL for it.
func startStatementStats(ctx context.Context, dir string) (*statementStats, string, error) {
	c, err := devdb.StartCluster(ctx, dir, devdb.ClusterOptions{
		Settings: []string{"shared_preload_libraries=pg_stat_statements", "pg_stat_statements.track=top"}})
	if err != nil {
		return nil, "", err
	}
	s := &statementStats{cluster: c}
	if err := c.EnsureDatabase(ctx, "helpforce"); err != nil {
		s.stop()
		return nil, "", err
	}
	url := c.URL("helpforce")
	if s.db, err = sqlx.ConnectContext(ctx, "postgres", url); err != nil {
		s.stop()
		return nil, "", err
	}
	s.db.SetMaxOpenConns(1)
	if _, err := s.db.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_stat_statements`); err != nil {
		s.stop()
		return nil, "", fmt.Errorf("pg_stat_statements (part of PostgreSQL's contrib modules): %w", err)
	}
	return s, url, nil
}

// reset starts the window: what came before (the setup) is forgotten.
func (s *statementStats) reset(ctx context.Context) error {
	_, err := s.db.ExecContext(ctx, `SELECT pg_stat_statements_reset()`)
	return err
}

// heaviest reads the n statements that took the most time since reset.
func (s *statementStats) heaviest(ctx context.Context, n, created int) ([]StatementCost, error) {
	var rows []struct {
		Calls int64   `db:"calls"`
		Total float64 `db:"total"`
		Mean  float64 `db:"mean"`
		Share float64 `db:"share"`
		Rows  int64   `db:"rows"`
		Query string  `db:"query"`
	}
	err := s.db.SelectContext(ctx, &rows, `SELECT calls, total_exec_time AS total, mean_exec_time AS mean, rows, query,
			total_exec_time / NULLIF(sum(total_exec_time) OVER (), 0) AS share
		FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
		  AND query NOT LIKE '%pg_stat_statements%'
		ORDER BY total_exec_time DESC LIMIT $1`, n)
	if err != nil {
		return nil, err
	}
	out := make([]StatementCost, len(rows))
	for i, r := range rows {
		out[i] = StatementCost{Calls: r.Calls, MeanMS: r.Mean, TotalS: r.Total / 1000, Share: r.Share, Rows: r.Rows,
			Statement: label(r.Query, 90)}
		if created > 0 {
			out[i].PerCreated = float64(r.Calls) / float64(created)
		}
	}
	return out, nil
}

// stop closes the connection and stops the cluster; nil does nothing.
func (s *statementStats) stop() {
	if s == nil {
		return
	}
	if s.db != nil {
		s.db.Close()
	}
	s.cluster.Stop()
}

var (
	sqlComment = regexp.MustCompile(`--[^\n]*`)
	spaces     = regexp.MustCompile(`\s+`)
)

// label names a statement in n runes at most: the first line of the comment
// it opens with, as the statements in assist/sql do, or else its first words.
func label(q string, n int) string {
	q = strings.TrimSpace(q)
	if rest, ok := strings.CutPrefix(q, "--"); ok {
		first, _, _ := strings.Cut(rest, "\n")
		q = "-- " + strings.TrimSpace(first)
	} else {
		q = strings.TrimSpace(spaces.ReplaceAllString(sqlComment.ReplaceAllString(q, " "), " "))
	}
	if r := []rune(q); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return q
}

// statementsTable prints the statements of a report, heaviest first.
func statementsTable(costs []StatementCost) string {
	var b strings.Builder
	fmt.Fprintf(&b, "heaviest statements (pg_stat_statements, measured window; time is execution, lock waits included):\n")
	fmt.Fprintf(&b, "%8s %10s %8s %8s %6s  %s\n", "calls", "per req.", "mean ms", "total s", "share", "statement")
	for _, c := range costs {
		fmt.Fprintf(&b, "%8d %10.2f %8.3f %8.2f %5.1f%%  %s\n", c.Calls, c.PerCreated, c.MeanMS, c.TotalS, 100*c.Share, c.Statement)
	}
	return b.String()
}
