package chaos

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// watcher follows requests' event streams on some servers, as staff
// screens do, to compare afterwards what they saw with the database.
type watcher struct {
	db      *sqlx.DB
	stop    chan struct{}
	done    chan struct{}
	mu      sync.Mutex
	streams map[string]*stream // by request id
}

// watchOn opens, as an admin, the event stream of every every-th request
// as it appears, on servers in turn.
func (w *world) watchOn(t *testing.T, servers []*server, every int) *watcher {
	t.Helper()
	var admins []*client
	for _, s := range servers {
		c := w.client("")
		c.base = "http://" + s.addr
		c.token = c.must(t, http.StatusOK, "POST", "/api/v1/auth/login",
			map[string]string{"email": "admin@example.com", "password": password}).str("token")
		admins = append(admins, c)
	}
	wa := &watcher{db: w.openDB(), stop: make(chan struct{}), done: make(chan struct{}), streams: map[string]*stream{}}
	go func() {
		defer close(wa.done)
		known := map[string]bool{}
		for n := 0; ; {
			select {
			case <-wa.stop:
				return
			case <-time.After(100 * time.Millisecond):
			}
			var ids []string
			if wa.db.Select(&ids, `SELECT id FROM help_requests ORDER BY created_at, id`) != nil {
				continue
			}
			for _, id := range ids {
				if known[id] {
					continue
				}
				known[id] = true
				if n++; n%every == 0 {
					s := admins[n%len(admins)].follow("/api/v1/help-requests/" + id + "/events")
					wa.mu.Lock()
					wa.streams[id] = s
					wa.mu.Unlock()
				}
			}
		}
	}()
	return wa
}

// close stops watching for new requests and closes every stream.
func (wa *watcher) close() {
	select {
	case <-wa.stop:
	default:
		close(wa.stop)
	}
	<-wa.done
	wa.mu.Lock()
	defer wa.mu.Unlock()
	for _, s := range wa.streams {
		s.close()
	}
	wa.streams = map[string]*stream{}
}

// seen is what one stream showed of its request: its last status, owner
// and the messages, with when each arrived.
type seen struct {
	status, owner string
	messages      map[int64]time.Time
}

func (s *stream) seen() seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := seen{messages: map[int64]time.Time{}}
	for _, e := range s.events {
		switch e.name {
		case "status":
			var h struct {
				Status     string `json:"status"`
				AssignedTo *struct {
					ID string `json:"id"`
				} `json:"assigned_to"`
			}
			if json.Unmarshal([]byte(e.data), &h) == nil {
				out.status, out.owner = h.Status, ""
				if h.AssignedTo != nil {
					out.owner = h.AssignedTo.ID
				}
			}
		case "message":
			if id, err := strconv.ParseInt(e.id, 10, 64); err == nil {
				out.messages[id] = e.at
			}
		}
	}
	return out
}

// recheck is how often the surviving servers look for changes no
// notification announced: a change the killed server committed without
// the notification it sends after the commit reaches streams that way.
const recheck = 2 * time.Second

// sawEverything compares each stream with its request in the database:
// the last status and owner shown are the request's, and every message was
// delivered (through PostgreSQL's notifications, whichever server made the
// change, or the survivors' recheck for the killed server's last changes).
// Streams have two rechecks and a second after the last change to catch up.
func (wa *watcher) sawEverything(t *testing.T, w *world) {
	t.Helper()
	type message struct {
		Request string    `db:"request_id"`
		ID      int64     `db:"id"`
		At      time.Time `db:"at"`
	}
	type request struct {
		ID     string `db:"id"`
		Status string `db:"status"`
		Owner  string `db:"owner"`
	}
	wa.mu.Lock()
	streams := wa.streams
	wa.mu.Unlock()
	var wrong []string
	var requests []request
	var messages []message
	deadline := time.Now().Add(2*recheck + time.Second)
	for {
		must(t, wa.db.Select(&requests, `SELECT id, status, COALESCE(assigned_to::text, '') AS owner FROM help_requests`))
		must(t, wa.db.Select(&messages, `SELECT request_id, id, at FROM request_messages ORDER BY id`))
		wrong = nil
		for _, r := range requests {
			s := streams[r.ID]
			if s == nil {
				continue
			}
			got := s.seen()
			if got.status != r.Status || got.owner != r.Owner {
				wrong = append(wrong, r.ID+": the stream shows "+got.status+" "+got.owner+", the database "+r.Status+" "+r.Owner)
			}
		}
		for _, m := range messages {
			if s := streams[m.Request]; s != nil {
				if _, ok := s.seen().messages[m.ID]; !ok {
					wrong = append(wrong, m.Request+": message "+strconv.FormatInt(m.ID, 10)+" never arrived")
				}
			}
		}
		if len(wrong) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(wrong) > 0 {
		t.Errorf("%d changes never reached a live stream on a surviving server: %s", len(wrong), strings.Join(wrong[:min(len(wrong), 5)], "; "))
	}
	var delays []time.Duration
	for _, m := range messages {
		if s := streams[m.Request]; s != nil {
			if at, ok := s.seen().messages[m.ID]; ok {
				delays = append(delays, at.Sub(m.At))
			}
		}
	}
	slices.Sort(delays)
	if len(delays) == 0 {
		t.Fatal("no message reached a followed request")
	}
	slowest := delays[len(delays)-1]
	w.logf("%d streams on the surviving servers saw %d messages, each %v after it was written at the median, %v at the slowest",
		len(streams), len(delays), delays[len(delays)/2].Round(time.Millisecond), slowest.Round(time.Millisecond))
	if slowest > 10*time.Second {
		t.Errorf("a message took %v to reach a live stream: notifications between servers were lost", slowest)
	}
}
