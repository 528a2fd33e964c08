package assist

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"helpforce/fault"
	"helpforce/pg"
	"helpforce/photos"
)

// MaxMessagePhotos is how many photos one message may show.
const MaxMessagePhotos = 3

// checkPhotoIDs refuses a list of photo ids that cannot all be linked.
func checkPhotoIDs(ids []string) error {
	if len(ids) > MaxMessagePhotos {
		return fault.Invalid("photo_ids", "attach at most %d photos to a message", MaxMessagePhotos)
	}
	seen := map[string]bool{}
	for _, id := range ids {
		if !pg.IsID(id) || seen[id] {
			return fault.Invalid("photo_ids", "attach photos you uploaded to this request, each once")
		}
		seen[id] = true
	}
	return nil
}

// linkPhotos attaches the author's own unlinked uploads on request id to
// message m, in the message's transaction: all of them or none.
func linkPhotos(ctx context.Context, tx *sqlx.Tx, a Actor, id string, m *Message, ids []string) error {
	m.Photos = []photos.Photo{}
	if len(ids) == 0 {
		return nil
	}
	author := a.UserID
	if a.IsShopper() {
		author = a.ShopperID
	}
	if err := tx.SelectContext(ctx, &m.Photos, `UPDATE photos SET message_id = $1
		WHERE id = ANY($2::uuid[]) AND request_id = $3 AND uploader::text = $4 AND message_id IS NULL
		RETURNING id, width, height`, m.ID, pq.Array(ids), id, author); err != nil {
		return fmt.Errorf("assist: link photos to message %d: %w", m.ID, err)
	}
	if len(m.Photos) != len(ids) {
		return fault.Invalid("photo_ids", "attach photos you uploaded to this request, each once")
	}
	for i := range m.Photos {
		m.Photos[i].Links()
	}
	return nil
}
