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

// Mine lists the requests the caller owns and the escalations waiting for
// the caller's acknowledgement.
func (d *Desk) Mine(ctx context.Context, a Actor) (assigned, escalations []HelpRequest, err error) {
	var owned, escalated []row
	if err = d.db.SelectContext(ctx, &owned, selectRequest+` WHERE r.status = 'assigned' AND r.assigned_to = $1
		ORDER BY r.created_at`, a.UserID); err != nil {
		return nil, nil, fmt.Errorf("assist: my requests: %w", err)
	}
	if err = d.db.SelectContext(ctx, &escalated, selectRequest+` WHERE r.status = 'assigned' AND r.escalated_to = $1
		AND NOT r.escalation_acked ORDER BY r.created_at`, a.UserID); err != nil {
		return nil, nil, fmt.Errorf("assist: my escalations: %w", err)
	}
	if assigned, err = d.views(ctx, owned); err != nil {
		return nil, nil, err
	}
	escalations, err = d.views(ctx, escalated)
	return assigned, escalations, err
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
