package pg

import "regexp"

var uuidPattern = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// IsID reports whether s can be a row id (a uuid). Anything else names
// nothing, and PostgreSQL would refuse it with an error rather than no row.
func IsID(s string) bool { return uuidPattern.MatchString(s) }
