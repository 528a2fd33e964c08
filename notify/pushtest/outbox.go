package pushtest

import (
	"encoding/json"
	"testing"

	"github.com/jmoiron/sqlx"

	"helpforce/people"
)

// Queued lists the alerts of one type queued in the outbox for a's devices,
// oldest first, as decoded payloads.
func Queued(t testing.TB, db *sqlx.DB, a people.Actor, typ string) []map[string]any {
	t.Helper()
	col, who := "user_id", a.UserID
	if a.ShopperID != "" {
		col, who = "shopper_id", a.ShopperID
	}
	var raw []string
	if err := db.Select(&raw, `SELECT o.payload FROM push_outbox o JOIN push_subscriptions s ON s.id = o.subscription_id
		WHERE s.`+col+` = $1 ORDER BY o.id`, who); err != nil {
		t.Fatal(err)
	}
	var out []map[string]any
	for _, r := range raw {
		var m map[string]any
		_ = json.Unmarshal([]byte(r), &m)
		if m["type"] == typ {
			out = append(out, m)
		}
	}
	return out
}
