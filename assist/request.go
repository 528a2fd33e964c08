package assist

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/people"
	"helpforce/photos"
	"helpforce/stores"
)

// Person is someone a request shows by name.
type Person struct {
	ID   string      `json:"id,omitempty"` // empty in what shoppers see`
	Name string      `json:"name"`
	Role people.Role `json:"role,omitempty"`
}

// StoreRef names a request's store.
type StoreRef struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Message is one line of a request's conversation.
type Message struct {
	ID     int64       `json:"id" db:"id"`
	Author Author      `json:"author"`
	Body   string      `json:"body" db:"body"`
	At     time.Time   `json:"at" db:"at"`
	Name   string      `json:"-" db:"author_name"`
	Role   people.Role `json:"-" db:"author_role"`
	// Photos are the pictures the message shows (see photos.go).
	Photos []photos.Photo `json:"photos"`
}

// Author is how a message is attributed.
type Author struct {
	Name string      `json:"name"`
	Role people.Role `json:"role"`
}

// Escalation is a request sent up to a store's manager.
type Escalation struct {
	To           Person `json:"to"`
	Acknowledged bool   `json:"acknowledged"`
	Reason       string `json:"reason,omitempty"` // internal: never shown to the shopper
}

// HelpRequest is a shopper's request as clients see it.
type HelpRequest struct {
	ID              string          `json:"id"`
	Status          Status          `json:"status"`
	Channel         Channel         `json:"channel"`
	Store           *StoreRef       `json:"store"`
	Nearby          []stores.Nearby `json:"nearby"`
	Department      string          `json:"department"`
	DepartmentName  string          `json:"department_name"`
	Note            string          `json:"note"`
	SKU             string          `json:"sku"`
	CreatedAt       time.Time       `json:"created_at"`
	AssignedTo      *Person         `json:"assigned_to"`
	Position        int             `json:"position"`
	EstimateS       *float64        `json:"estimate_s"`
	RemoteAvailable bool            `json:"remote_available"`
	Escalation      *Escalation     `json:"escalation"`
	Rated           bool            `json:"rated"`
	Product         *Product        `json:"product,omitempty"`
	Messages        []Message       `json:"messages"`
	MessagesMore    bool            `json:"messages_more"` // messages beyond this page (see Page)
	// SeenByOther is the last of the reader's side's messages that the other
	// side has read; set on reads of one request (see seenByOther).
	SeenByOther *int64 `json:"seen_by_other"`
	shopperID   string
}

// row is a help_requests row with what a view joins to it.
type row struct {
	ID              string                `db:"id"`
	ShopperID       string                `db:"shopper_id"`
	StoreID         sql.NullString        `db:"store_id"`
	StoreName       sql.NullString        `db:"store_name"`
	Department      string                `db:"department"`
	DepartmentName  sql.NullString        `db:"department_name"`
	Note            string                `db:"note"`
	SKU             sql.NullString        `db:"sku"`
	Nearby          json.RawMessage       `db:"nearby"`
	Status          Status                `db:"status"`
	Channel         Channel               `db:"channel"`
	Wave            int                   `db:"wave"`
	Round           int                   `db:"round"`
	AssignedTo      sql.NullString        `db:"assigned_to"`
	AssignedName    sql.NullString        `db:"assigned_name"`
	AssignedRole    sql.Null[people.Role] `db:"assigned_role"`
	EscalatedTo     sql.NullString        `db:"escalated_to"`
	EscalatedName   sql.NullString        `db:"escalated_name"`
	EscalationAcked bool                  `db:"escalation_acked"`
	EscalationWhy   sql.NullString        `db:"escalation_reason"`
	Rated           bool                  `db:"rated"`
	CreatedAt       time.Time             `db:"created_at"`
	Position        int                   `db:"position"`
	EstimateS       *float64              `db:"estimate_s"`
	RemoteAvailable bool                  `db:"remote_available"`
}

// requestColumns are what dispatch decides on; viewFacts add what a client
// is shown, read in the same statement so a view is one consistent snapshot:
// its escalation and rating, and its place in the queue (viewJoins).
const (
	requestColumns = `r.id, r.shopper_id, r.store_id, s.name AS store_name, r.department,
	-- A request in no store takes the department's name from any store that has it.
	COALESCE(d.name, (SELECT x.name FROM departments x WHERE x.code = r.department ORDER BY x.name LIMIT 1)) AS department_name,
	r.note, r.sku, r.nearby, r.status, r.channel, r.wave, r.round, r.assigned_to, a.name AS assigned_name,
	a.role AS assigned_role, r.escalated_to, m.name AS escalated_name, r.escalation_acked, r.created_at`
	viewFacts = `
	CASE WHEN r.escalated_to IS NOT NULL THEN (SELECT e.reason FROM request_events e
		WHERE e.request_id = r.id AND e.kind = 'escalated' ORDER BY e.id DESC LIMIT 1) END AS escalation_reason,
	-- A rating's score is copied onto its request (copy_rating_score, migration 0007).
	r.rating_score IS NOT NULL AS rated, q.place AS position, q.estimate_s, q.remote_available`
	noFacts = `NULL::text AS escalation_reason, false AS rated, 0 AS position, NULL::float8 AS estimate_s,
	false AS remote_available`
	requestJoins = `
FROM help_requests r
LEFT JOIN stores s ON s.id = r.store_id
LEFT JOIN departments d ON d.store_id = r.store_id AND d.code = r.department
LEFT JOIN users a ON a.id = r.assigned_to
LEFT JOIN users m ON m.id = r.escalated_to`
	// viewJoins add to requestJoins where the request stands in its queue
	// (queue_facts, a function of the database's).
	viewJoins = requestJoins + `
LEFT JOIN LATERAL queue_facts(r.id, r.store_id, r.channel, r.status, r.created_at) q ON true`
	// selectRequest reads requests as clients see them.
	selectRequest = `SELECT ` + requestColumns + `,` + viewFacts + viewJoins
	// selectCore reads a request for a decision, without the view's extras.
	selectCore = `SELECT ` + requestColumns + `, ` + noFacts + requestJoins
)

func (d *Desk) readRow(ctx context.Context, q sqlx.QueryerContext, id string, lock bool) (row, error) {
	query := selectCore + ` WHERE r.id = $1`
	if lock {
		query += ` FOR UPDATE OF r`
	}
	return read(ctx, q, query, id)
}

// readView reads a request with everything a client is shown.
func (d *Desk) readView(ctx context.Context, id string) (row, error) {
	return read(ctx, d.db, selectRequest+` WHERE r.id = $1`, id)
}

func read(ctx context.Context, q sqlx.QueryerContext, query, id string) (row, error) {
	var r row
	err := sqlx.GetContext(ctx, q, &r, query, id)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fault.NotFound("help request")
	}
	if err != nil {
		return r, fmt.Errorf("assist: read %s: %w", id, err)
	}
	return r, nil
}

// visible reports whether actor may see the request: its shopper, staff of
// its store, agents and admins.
func (r row) visible(a Actor) bool {
	switch {
	case a.IsShopper():
		return a.ShopperID == r.ShopperID
	case a.Central():
		return true
	case a.OnFloor():
		return r.StoreID.Valid && r.StoreID.String == a.StoreID
	}
	return false
}

// view turns a row into what clients see, with the queue position, the
// estimate and the product, without messages.
func (d *Desk) view(ctx context.Context, r row) (HelpRequest, error) {
	h, err := shape(r)
	if err != nil {
		return h, err
	}
	return h, d.withProduct(ctx, r, &h)
}

// shape is what clients see of a row, without its product or messages.
func shape(r row) (HelpRequest, error) {
	h := HelpRequest{ID: r.ID, Status: r.Status, Channel: r.Channel, Department: r.Department,
		DepartmentName: r.DepartmentName.String, Note: r.Note, SKU: r.SKU.String, CreatedAt: r.CreatedAt,
		Rated: r.Rated, Messages: []Message{}, Nearby: []stores.Nearby{}, shopperID: r.ShopperID}
	if h.DepartmentName == "" {
		h.DepartmentName = r.Department
	}
	if r.StoreID.Valid {
		h.Store = &StoreRef{ID: r.StoreID.String, Name: r.StoreName.String}
	}
	if len(r.Nearby) > 0 {
		if err := json.Unmarshal(r.Nearby, &h.Nearby); err != nil {
			return h, fmt.Errorf("assist: nearby of %s: %w", r.ID, err)
		}
	}
	if h.Nearby == nil {
		h.Nearby = []stores.Nearby{}
	}
	// While assigned, the owner; once finished, who helped.
	if r.AssignedTo.Valid && r.Status != StatusWaiting {
		h.AssignedTo = &Person{ID: r.AssignedTo.String, Name: r.AssignedName.String, Role: r.AssignedRole.V}
	}
	if r.EscalatedTo.Valid {
		h.Escalation = &Escalation{To: Person{ID: r.EscalatedTo.String, Name: r.EscalatedName.String},
			Acknowledged: r.EscalationAcked, Reason: r.EscalationWhy.String}
	}
	h.Position, h.EstimateS, h.RemoteAvailable = r.Position, r.EstimateS, r.RemoteAvailable
	return h, nil
}
