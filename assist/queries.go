package assist

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

// The statements that do a whole step of a request's life in one round trip
// live in sql/*.sql, one "-- name: NAME" block each, with a comment beside
// every parameter: they read as SQL, not as Go strings glued together.
//
//go:embed sql/*.sql
var sqlFiles embed.FS

var statements = mustParseQueries(sqlFiles)

// statement is the text of the named block; a name missing from the files
// stops the program at start, so every test catches it.
func statement(name string) string {
	q, ok := statements[name]
	if !ok {
		panic("assist: no statement named " + name + " in sql/")
	}
	return q
}

// mustParseQueries reads every named block of the .sql files in fsys.
func mustParseQueries(fsys fs.FS) map[string]string {
	out, err := parseQueries(fsys)
	if err != nil {
		panic(err)
	}
	return out
}

func parseQueries(fsys fs.FS) (map[string]string, error) {
	files, err := fs.Glob(fsys, "sql/*.sql")
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range files {
		b, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		name := ""
		var text strings.Builder
		flush := func() error {
			if name == "" {
				return nil
			}
			if _, dup := out[name]; dup {
				return fmt.Errorf("assist: %s: statement %q named twice", f, name)
			}
			out[name] = strings.TrimSpace(text.String())
			text.Reset()
			return nil
		}
		for _, line := range strings.Split(string(b), "\n") {
			if n, ok := strings.CutPrefix(strings.TrimSpace(line), "-- name:"); ok {
				if err := flush(); err != nil {
					return nil, err
				}
				name = strings.TrimSpace(n)
				continue
			}
			if name != "" {
				text.WriteString(line)
				text.WriteByte('\n')
			}
		}
		if err := flush(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
