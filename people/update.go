package people

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/fault"
)

// Change is a partial update of an account; nil fields are kept.
type Change struct {
	Name        *string   `json:"name"`
	Departments *[]string `json:"departments"`
	Active      *bool     `json:"active"`
	Capacity    *int      `json:"capacity"`
}

// UpdateUser applies a change in one transaction. A deactivated person is
// set off duty and can no longer sign in; their sessions and push
// subscriptions are deleted, so reactivating them later revives neither.
func (d *Directory) UpdateUser(ctx context.Context, id string, c Change) (User, error) {
	u, err := d.User(ctx, id)
	if err != nil {
		return User{}, err
	}
	if c.Name != nil {
		name := strings.TrimSpace(*c.Name)
		if name == "" || len([]rune(name)) > 120 {
			return User{}, fault.Invalid("name", "a name of 1 to 120 characters is required")
		}
		c.Name = &name
	}
	if c.Capacity != nil && (*c.Capacity < 1 || *c.Capacity > 10) {
		return User{}, fault.Invalid("capacity", "capacity is a number from 1 to 10")
	}
	if c.Capacity != nil && *c.Capacity != 1 && u.Role != RoleAgent {
		return User{}, fault.Invalid("capacity", "floor staff and managers walk to the shopper: their capacity is 1")
	}
	if c.Departments != nil && u.StoreID == nil && len(*c.Departments) > 0 {
		return User{}, fault.Invalid("departments", "only floor staff and managers have departments")
	}
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return User{}, err
	}
	defer tx.Rollback()
	if c.Name != nil {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $2 WHERE id = $1`, id, *c.Name); err != nil {
			return User{}, fmt.Errorf("people: rename %s: %w", id, err)
		}
	}
	if c.Active != nil {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET active = $2,
			status = CASE WHEN $2 THEN status ELSE 'off' END WHERE id = $1`, id, *c.Active); err != nil {
			return User{}, fmt.Errorf("people: activate %s: %w", id, err)
		}
		if !*c.Active {
			if err := endAccess(ctx, tx, id); err != nil {
				return User{}, err
			}
		}
	}
	if c.Capacity != nil {
		// Presence follows at once: busy means at capacity.
		if _, err := tx.ExecContext(ctx, `UPDATE users SET capacity = $2,
			status = CASE WHEN status = 'available' AND load >= $2 THEN 'busy'
				WHEN status = 'busy' AND load < $2 THEN 'available' ELSE status END WHERE id = $1`, id, *c.Capacity); err != nil {
			return User{}, fmt.Errorf("people: capacity of %s: %w", id, err)
		}
	}
	if c.Departments != nil {
		if err := setDepartments(ctx, tx, u, *c.Departments); err != nil {
			return User{}, err
		}
	}
	if err := tx.Commit(); err != nil {
		return User{}, fmt.Errorf("people: update %s: %w", id, err)
	}
	d.sessions.forgetUser(id)
	return d.User(ctx, id)
}

func setDepartments(ctx context.Context, tx *sqlx.Tx, u User, codes []string) error {
	codes = slices.Clone(codes)
	slices.Sort(codes)
	codes = slices.Compact(codes)
	if _, err := tx.ExecContext(ctx, `DELETE FROM user_departments WHERE user_id = $1`, u.ID); err != nil {
		return fmt.Errorf("people: clear departments: %w", err)
	}
	if len(codes) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO user_departments (user_id, store_id, code)
		SELECT $1, $2, unnest($3::text[])`, u.ID, u.StoreID, pq.Array(codes))
	if err != nil {
		return translate(err, "departments")
	}
	return nil
}
