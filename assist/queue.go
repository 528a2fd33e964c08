package assist

import (
	"context"
	"fmt"
)

// Queue lists the waiting requests the caller may take, oldest first: for
// its staff, every waiting request of the store, including those waiting
// with the remote team (channel "remote"), which the floor may take back;
// remote requests for agents.
func (d *Desk) Queue(ctx context.Context, a Actor) ([]HelpRequest, error) {
	var rows []row
	var err error
	switch {
	case a.OnFloor():
		err = d.db.SelectContext(ctx, &rows, selectRequest+` WHERE r.status = 'waiting'
			AND r.store_id = $1 ORDER BY r.created_at, r.id LIMIT 200`, a.StoreID)
	case a.Role == "agent" || a.Role == "admin":
		err = d.db.SelectContext(ctx, &rows, selectRequest+` WHERE r.status = 'waiting' AND r.channel = 'remote'
			ORDER BY r.created_at, r.id LIMIT 200`)
	}
	if err != nil {
		return nil, fmt.Errorf("assist: queue: %w", err)
	}
	return d.views(ctx, rows)
}

func (d *Desk) views(ctx context.Context, rows []row) ([]HelpRequest, error) {
	out := make([]HelpRequest, 0, len(rows))
	for _, r := range rows {
		h, err := d.view(ctx, r, false)
		if err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, nil
}
