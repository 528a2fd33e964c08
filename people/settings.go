package people

import (
	"context"
	"fmt"

	"helpforce/fault"
)

// DispatchSettings are the chain's defaults for dispatch.
type DispatchSettings struct {
	// AgentCapacity is how many conversations a new remote agent may own at
	// once, unless an admin sets the agent's own capacity.
	AgentCapacity int `json:"agent_capacity"`
}

// Dispatch returns the chain's dispatch defaults.
func (d *Directory) Dispatch(ctx context.Context) (DispatchSettings, error) {
	var s DispatchSettings
	err := d.db.GetContext(ctx, &s.AgentCapacity, `SELECT COALESCE((SELECT value::integer FROM settings WHERE key = 'agent_capacity'), 3)`)
	if err != nil {
		return s, fmt.Errorf("people: dispatch settings: %w", err)
	}
	return s, nil
}

// SetDispatch changes the chain's dispatch defaults. Agents who have a
// capacity keep it; new agents take the new default.
func (d *Directory) SetDispatch(ctx context.Context, s DispatchSettings) (DispatchSettings, error) {
	if s.AgentCapacity < 1 || s.AgentCapacity > 10 {
		return s, fault.Invalid("agent_capacity", "capacity is a number from 1 to 10")
	}
	if _, err := d.db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('agent_capacity', $1)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, fmt.Sprint(s.AgentCapacity)); err != nil {
		return s, fmt.Errorf("people: set dispatch settings: %w", err)
	}
	return d.Dispatch(ctx)
}
