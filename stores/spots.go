package stores

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"

	"helpforce/fault"
)

// Spot is a QR code on a shelf that names its store and department exactly.
type Spot struct {
	Code           string    `db:"code" json:"code"`
	StoreID        string    `db:"store_id" json:"store_id"`
	StoreName      string    `db:"store_name" json:"store_name"`
	Department     string    `db:"department" json:"department"`
	DepartmentName string    `db:"department_name" json:"department_name"`
	Label          string    `db:"label" json:"label"`
	CreatedAt      time.Time `db:"created_at" json:"created_at"`
}

// spotAlphabet leaves out characters that read alike on a printed label
// (0/o, 1/l/i); 12 of them give about 59 bits, beyond guessing.
const spotAlphabet = "23456789abcdefghjkmnpqrstuvwxyz"

func newSpotCode() string {
	code := make([]byte, 0, 12)
	buf := make([]byte, 16)
	for len(code) < cap(code) {
		_, _ = rand.Read(buf)
		for _, b := range buf {
			// Rejecting the top of the byte range keeps every symbol equally likely.
			if int(b) < 256/len(spotAlphabet)*len(spotAlphabet) && len(code) < cap(code) {
				code = append(code, spotAlphabet[int(b)%len(spotAlphabet)])
			}
		}
	}
	return string(code)
}

const selectSpot = `SELECT p.code, p.store_id, s.name AS store_name, p.department, d.name AS department_name, p.label, p.created_at
FROM spots p JOIN stores s ON s.id = p.store_id
JOIN departments d ON d.store_id = p.store_id AND d.code = p.department`

// CreateSpot adds a shelf spot for a department of a store.
func (r *Registry) CreateSpot(ctx context.Context, storeID, department, label string) (Spot, error) {
	label = strings.TrimSpace(label)
	if label == "" || len([]rune(label)) > 80 {
		return Spot{}, fault.Invalid("label", "a label of 1 to 80 characters is required, such as \"Aisle 12 — TVs\"")
	}
	if strings.TrimSpace(department) == "" {
		return Spot{}, fault.Invalid("department", "a department code is required")
	}
	// A collision is vanishingly rare; it is retried with a new code.
	for attempt := 0; attempt < 3; attempt++ {
		code := newSpotCode()
		_, err := r.db.ExecContext(ctx, `INSERT INTO spots (code, store_id, department, label) VALUES ($1, $2, $3, $4)`,
			code, storeID, department, label)
		var pqErr *pq.Error
		if errors.As(err, &pqErr) && pqErr.Code == "23505" {
			continue
		}
		if errors.As(err, &pqErr) && pqErr.Code == "23503" {
			return Spot{}, fault.Invalid("department", "the store has no department %q", department)
		}
		if err != nil {
			return Spot{}, fmt.Errorf("stores: create spot: %w", err)
		}
		return r.Spot(ctx, code)
	}
	return Spot{}, fmt.Errorf("stores: create spot: no free code")
}

// Spot returns the spot with code.
func (r *Registry) Spot(ctx context.Context, code string) (Spot, error) {
	var s Spot
	err := r.db.GetContext(ctx, &s, selectSpot+` WHERE p.code = $1`, strings.ToLower(code))
	if errors.Is(err, sql.ErrNoRows) {
		return Spot{}, fault.NotFound("spot")
	}
	if err != nil {
		return Spot{}, fmt.Errorf("stores: spot %s: %w", code, err)
	}
	return s, nil
}

// Spots lists a store's spots by label.
func (r *Registry) Spots(ctx context.Context, storeID string) ([]Spot, error) {
	list := []Spot{}
	if err := r.db.SelectContext(ctx, &list, selectSpot+` WHERE p.store_id = $1 ORDER BY p.label, p.code`, storeID); err != nil {
		return nil, fmt.Errorf("stores: spots of %s: %w", storeID, err)
	}
	return list, nil
}
