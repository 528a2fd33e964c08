package assist

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"helpforce/fault"
	"helpforce/people"
)

// Floor is a store right now, as its manager watches it: who is on which
// footing, what is waiting (on the floor and with the remote team), and who
// is helping whom since when.
type Floor struct {
	Store   StoreRef         `json:"store"`
	Staff   []FloorPerson    `json:"staff"`
	Waiting []HelpRequest    `json:"waiting"`
	Helping []FloorAssistant `json:"helping"`
}

// FloorPerson is a member of the store's staff and their presence.
type FloorPerson struct {
	ID     string      `json:"id" db:"id"`
	Name   string      `json:"name" db:"name"`
	Role   people.Role `json:"role" db:"role"`
	Status string      `json:"status" db:"status"`
}

// FloorAssistant is a request being helped with: the request (its
// assigned_to says by whom) and since when the current owner has it.
type FloorAssistant struct {
	HelpRequest
	Since time.Time `json:"since"`
}

type floorRow struct {
	row
	Since sql.NullTime `db:"since"`
}

// Floor returns store storeID's floor, for its manager and admins.
func (d *Desk) Floor(ctx context.Context, a Actor, storeID string) (Floor, error) {
	if a.Role != people.RoleAdmin && !(a.Role == people.RoleManager && a.StaffOf(storeID)) {
		return Floor{}, fault.Forbidden("only the store's manager or an admin sees its floor")
	}
	f := Floor{Staff: []FloorPerson{}, Waiting: []HelpRequest{}, Helping: []FloorAssistant{}}
	err := d.db.GetContext(ctx, &f.Store, `SELECT id, name FROM stores WHERE id = $1`, storeID)
	if errors.Is(err, sql.ErrNoRows) {
		return Floor{}, fault.NotFound("store")
	}
	if err != nil {
		return Floor{}, fmt.Errorf("assist: floor of %s: %w", storeID, err)
	}
	if err := d.db.SelectContext(ctx, &f.Staff, `SELECT id, name, role, status FROM users
		WHERE store_id = $1 AND active ORDER BY name, id`, storeID); err != nil {
		return Floor{}, fmt.Errorf("assist: floor staff of %s: %w", storeID, err)
	}
	// The current owner has had a request since its latest acceptance.
	var rows []floorRow
	if err := d.db.SelectContext(ctx, &rows, `SELECT `+requestColumns+`,`+viewFacts+`,
		CASE WHEN r.status = 'assigned' THEN (SELECT max(e.at) FROM request_events e
			WHERE e.request_id = r.id AND e.kind = '`+EvAccepted+`') END AS since`+viewJoins+`
		WHERE r.store_id = $1 AND r.status IN ('waiting', 'assigned') ORDER BY r.created_at, r.id`, storeID); err != nil {
		return Floor{}, fmt.Errorf("assist: floor requests of %s: %w", storeID, err)
	}
	views, err := viewsOf(ctx, d, rows, func(fr floorRow) row { return fr.row })
	if err != nil {
		return Floor{}, err
	}
	for i, fr := range rows {
		h := views[i]
		if fr.Status == StatusWaiting {
			f.Waiting = append(f.Waiting, h)
			continue
		}
		since := fr.CreatedAt
		if fr.Since.Valid {
			since = fr.Since.Time
		}
		f.Helping = append(f.Helping, FloorAssistant{HelpRequest: h, Since: since})
	}
	return f, nil
}
