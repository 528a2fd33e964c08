package notify

import "helpforce/pg"

// attachConversations listens for conversation cues and presence changes.
func (l *Live) attachConversations(hub *pg.Hub) error {
	if err := hub.Handle(pg.ChanCues, l.cue); err != nil {
		return err
	}
	return hub.Handle(pg.ChanPresence, func(storeID string) {
		l.tell(Change{StoreID: storeID})
		// The remote team's presence shows in remote requests ("nobody is
		// free"), which agents' streams follow; a store's, on its screens.
		if storeID == pg.NoStore {
			l.signal("*")
			return
		}
		l.signal("store:" + storeID)
	})
}

// Cues returns a channel of the cues (typing, seen) about request id, each
// the notification's JSON. Cues are moments, not state: one that finds the
// channel full is dropped rather than holding up the listener.
func (l *Live) Cues(id string) (<-chan []byte, func()) {
	ch := make(chan []byte, 16)
	return ch, join(&l.mu, l.cues, id, ch)
}

func (l *Live) cue(payload string) {
	id, ok := pg.ParseCue(payload)
	if !ok {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fan(l.cues[id], []byte(payload))
}
