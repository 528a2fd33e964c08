package people

import (
	"context"
	"fmt"

	"helpforce/fault"
)

// SetStatus records a person's chosen presence. Presence is always explicit:
// nobody becomes available because an app happens to be open. While a person
// owns a request the server keeps them busy; they may still step off.
func (d *Directory) SetStatus(ctx context.Context, userID, status string) (User, error) {
	switch status {
	case "available", "break", "off":
	default:
		return User{}, fault.Invalid("status", "status must be available, break or off")
	}
	res, err := d.db.ExecContext(ctx, `UPDATE users SET status = $2
		WHERE id = $1 AND role <> 'admin' AND NOT (status = 'busy' AND $2 = 'available')`, userID, status)
	if err != nil {
		return User{}, fmt.Errorf("people: set status of %s: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		u, err := d.User(ctx, userID)
		if err != nil {
			return User{}, err
		}
		if u.Role == RoleAdmin {
			return User{}, fault.Invalid("status", "admins have no availability")
		}
		return u, nil // already busy: stays busy until the request is handed on
	}
	return d.User(ctx, userID)
}
