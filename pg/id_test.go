package pg_test

import (
	"testing"

	"helpforce/pg"
)

func TestNewIDIsARandomVersion4UUID(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := pg.NewID()
		if !pg.IsID(id) || id[14] != '4' || !(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b') || seen[id] {
			t.Fatalf("%q is not a new version 4 uuid", id)
		}
		seen[id] = true
	}
}
