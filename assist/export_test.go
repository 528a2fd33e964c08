package assist

import (
	"context"

	"helpforce/stores"
)

// Together is one request of a batch written by CreateTogether.
type Together struct {
	Shopper Actor
	Request NewRequest
	Place   stores.Placement
}

// CreateTogether writes requests as one batch, as concurrent creations are,
// and returns each one's id (empty when refused) and refusal or failure.
func (d *Desk) CreateTogether(reqs ...Together) ([]HelpRequest, []error) {
	var batch []*admission
	for _, t := range reqs {
		batch = append(batch, &admission{a: t.Shopper, n: t.Request, place: t.Place})
	}
	d.writeBatch(batch)
	hs, errs := make([]HelpRequest, len(batch)), make([]error, len(batch))
	for i, m := range batch {
		if errs[i] = m.err; m.err == nil {
			hs[i], errs[i] = d.view(context.Background(), m.r)
		}
	}
	return hs, errs
}

// Every value of the named types, to hold them to the schema.
var (
	Statuses   = statuses
	Channels   = channels
	TimerKinds = timerKinds
)

// OfferFreed is what follows a change that may have freed people: each is
// offered a request, or reminded of one they let pass.
func (d *Desk) OfferFreed(ctx context.Context, userIDs ...string) { d.offerFreed(ctx, userIDs...) }
