package people

import (
	"context"
	"fmt"

	"helpforce/fault"
)

// SetStatus records a person's chosen presence. Presence is always explicit:
// nobody becomes available because an app happens to be open. A person who
// chooses available while owning as many requests as their capacity is
// busy, and becomes available again when they drop below it (keep_load);
// they may still step off.
func (d *Directory) SetStatus(ctx context.Context, userID, status string) (User, error) {
	switch status {
	case "available", "break", "off":
	default:
		return User{}, fault.Invalid("status", "status must be available, break or off")
	}
	res, err := d.db.ExecContext(ctx, `UPDATE users
		SET status = CASE WHEN $2 = 'available' AND load >= capacity THEN 'busy' ELSE $2 END
		WHERE id = $1 AND role <> 'admin'`, userID, status)
	if err != nil {
		return User{}, fmt.Errorf("people: set status of %s: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		u, err := d.User(ctx, userID)
		if err != nil {
			return User{}, err
		}
		return u, fault.Invalid("status", "admins have no availability")
	}
	return d.User(ctx, userID)
}
