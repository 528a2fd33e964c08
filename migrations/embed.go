// Package migrations holds the numbered SQL files that build the schema.
// Each file is applied once, in order, in its own transaction.
package migrations

import "embed"

// FS holds every NNNN_name.sql file.
//
//go:embed *.sql
var FS embed.FS
