package photos

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime"
	"time"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/people"
	"helpforce/pg"
)

// Config holds the rules of photos.
type Config struct {
	PerRequest int           // photos one request may hold; default 30
	Retention  time.Duration // kept after the request closes; default 720h (30 days)
}

func (c *Config) defaults() {
	if c.PerRequest <= 0 {
		c.PerRequest = 30
	}
	if c.Retention <= 0 {
		c.Retention = 720 * time.Hour
	}
}

// Album stores photos in PostgreSQL.
type Album struct {
	db  *sqlx.DB
	cfg Config
	// decoding admits one decode per CPU at a time: each may hold tens of
	// megabytes, and many uploads at once must not exhaust memory.
	decoding chan struct{}
}

// New returns an Album. Defaults fill any zero field of cfg.
func New(db *sqlx.DB, cfg Config) *Album {
	cfg.defaults()
	return &Album{db: db, cfg: cfg, decoding: make(chan struct{}, runtime.NumCPU())}
}

// Photo is a stored photo as clients see it.
type Photo struct {
	ID       string `json:"id" db:"id"`
	URL      string `json:"url"`
	ThumbURL string `json:"thumb_url"`
	Width    int    `json:"width" db:"width"`
	Height   int    `json:"height" db:"height"`
}

// Links fills the photo's addresses from its id.
func (p *Photo) Links() {
	p.URL, p.ThumbURL = "/api/v1/photos/"+p.ID, "/api/v1/photos/"+p.ID+"/thumb"
}

// visibleSQL is the condition on help_requests r under which actor a ($2,
// $3, $4: shopper id, role, store id) may read the request: the same rule as
// reading the request itself (its shopper, staff of its store, agents and
// admins).
const visibleSQL = `(($2 <> '' AND r.shopper_id::text = $2)
	OR ($2 = '' AND $3 IN ('agent', 'admin'))
	OR ($2 = '' AND $3 IN ('floor', 'manager') AND r.store_id::text = $4))`

func who(a people.Actor) (shopper, role, store string) {
	if a.IsShopper() {
		return a.ShopperID, "shopper", ""
	}
	return "", string(a.Role), a.StoreID
}

func uploader(a people.Actor) string {
	if a.IsShopper() {
		return a.ShopperID
	}
	return a.UserID
}

// Add checks, cleans and keeps a photo for request id. Only people who may
// read the request may add to it, while it is open and under PerRequest.
func (al *Album) Add(ctx context.Context, a people.Actor, requestID string, upload []byte) (Photo, error) {
	if !pg.IsID(requestID) || uploader(a) == "" {
		return Photo{}, fault.NotFound("help request")
	}
	shopper, role, store := who(a)
	var open bool
	err := al.db.GetContext(ctx, &open, `SELECT r.status IN ('waiting', 'assigned') FROM help_requests r
		WHERE r.id = $1 AND `+visibleSQL, requestID, shopper, role, store)
	if errors.Is(err, sql.ErrNoRows) {
		return Photo{}, fault.NotFound("help request")
	}
	if err != nil {
		return Photo{}, fmt.Errorf("photos: read request %s: %w", requestID, err)
	}
	if !open {
		return Photo{}, fault.State("the conversation is closed")
	}
	select {
	case al.decoding <- struct{}{}:
	case <-ctx.Done():
		return Photo{}, ctx.Err()
	}
	clean, err := Sanitize(upload)
	<-al.decoding
	if err != nil {
		return Photo{}, err
	}
	var p Photo
	err = pg.InTx(ctx, al.db, func(tx *sqlx.Tx) error {
		// The row lock orders concurrent uploads, so the count below holds.
		var status string
		if err := tx.GetContext(ctx, &status, `SELECT status FROM help_requests WHERE id = $1 FOR UPDATE`, requestID); err != nil {
			return fmt.Errorf("photos: lock request %s: %w", requestID, err)
		}
		if status != "waiting" && status != "assigned" {
			return fault.State("the conversation is closed: the request is %s", status)
		}
		err := tx.GetContext(ctx, &p, `INSERT INTO photos (request_id, uploader, width, height, image, thumb)
			SELECT $1, $2, $3, $4, $5, $6
			WHERE (SELECT count(*) FROM photos WHERE request_id = $1) < $7
			RETURNING id, width, height`, requestID, uploader(a), clean.Width, clean.Height, clean.JPEG, clean.Thumb, al.cfg.PerRequest)
		if errors.Is(err, sql.ErrNoRows) {
			return fault.State("a request holds at most %d photos", al.cfg.PerRequest)
		}
		if err != nil {
			return fmt.Errorf("photos: add to %s: %w", requestID, err)
		}
		return nil
	})
	p.Links()
	return p, err
}

// Image returns a photo (or its thumbnail) as JPEG bytes to someone who may
// read its request; to anyone else it is not found.
func (al *Album) Image(ctx context.Context, a people.Actor, id string, thumb bool) ([]byte, error) {
	if !pg.IsID(id) {
		return nil, fault.NotFound("photo")
	}
	col := "p.image"
	if thumb {
		col = "p.thumb"
	}
	shopper, role, store := who(a)
	var b []byte
	err := al.db.GetContext(ctx, &b, `SELECT `+col+` FROM photos p JOIN help_requests r ON r.id = p.request_id
		WHERE p.id = $1 AND `+visibleSQL, id, shopper, role, store)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fault.NotFound("photo")
	}
	if err != nil {
		return nil, fmt.Errorf("photos: read %s: %w", id, err)
	}
	return b, nil
}

// Sweep deletes the photos of requests closed longer than the retention ago.
func (al *Album) Sweep(ctx context.Context) error {
	if _, err := al.db.ExecContext(ctx, `DELETE FROM photos p USING help_requests r
		WHERE r.id = p.request_id AND r.closed_at < now() - $1 * interval '1 second'`, al.cfg.Retention.Seconds()); err != nil {
		return fmt.Errorf("photos: sweep: %w", err)
	}
	return nil
}
