package pgtest

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

// quoted is a text literal as pg_get_constraintdef writes it: 'value'::text.
var quoted = regexp.MustCompile(`'((?:[^']|'')*)'::text`)

// Allowed returns, sorted, the values the CHECK constraint on table.column
// alone allows (a column IN (...) list), as the migrated database holds it,
// so that a test can hold a Go type's constants to the schema. It fails the
// test unless exactly one such constraint lists values.
func Allowed(t testing.TB, db *sqlx.DB, table, column string) []string {
	t.Helper()
	var defs []string
	// A constraint of this column alone: those that tie it to another
	// column ("assigned needs an owner") list no allowed values.
	if err := db.Select(&defs, `SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
		JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
		WHERE c.conrelid = $1::regclass AND c.contype = 'c' AND cardinality(c.conkey) = 1 AND a.attname = $2`,
		table, column); err != nil {
		t.Fatalf("pgtest: constraints of %s.%s: %v", table, column, err)
	}
	var values []string
	for _, def := range defs {
		found := quoted.FindAllStringSubmatch(def, -1)
		if len(found) == 0 {
			continue
		}
		if values != nil {
			t.Fatalf("pgtest: %s.%s has more than one CHECK listing values", table, column)
		}
		for _, m := range found {
			values = append(values, strings.ReplaceAll(m[1], "''", "'"))
		}
	}
	if values == nil {
		t.Fatalf("pgtest: %s.%s has no CHECK listing values (constraints: %q)", table, column, defs)
	}
	slices.Sort(values)
	return values
}
