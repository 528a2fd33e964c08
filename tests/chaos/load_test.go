package chaos

import (
	crand "crypto/rand"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"
)

// load drives the lifecycle: shoppers create requests (and now and then
// cancel one); staff accept when an alert arrives and resolve soon after.
// It records what the API promised, for the checks afterwards.
type load struct {
	sc   *scene
	stop chan struct{}
	wg   sync.WaitGroup

	mu        sync.Mutex
	created   map[string]bool     // request ids answered 201
	owners    map[string][]string // request id -> staff whose accept answered 200
	resolved  int
	cancelled int
	refused   map[int]int // status -> count of non-2xx answers
	fiveHund  []string    // 5xx answers other than 503 unavailable
	transport int         // calls that got no answer (server down)
	alerts    int         // help_request alerts received by staff
	holds     []string    // holds answered 201
}

func (sc *scene) startLoad() *load {
	l := &load{sc: sc, stop: make(chan struct{}), created: map[string]bool{}, owners: map[string][]string{},
		refused: map[int]int{}}
	for _, p := range sc.shoppers {
		l.wg.Add(1)
		go l.shop(p)
	}
	inbox := map[string]chan string{}
	for _, p := range sc.staff {
		ch := make(chan string, 1024)
		inbox[p.sub.Endpoint] = ch
		l.wg.Add(1)
		go l.work(p, ch)
	}
	l.wg.Add(1)
	go l.deliver(inbox)
	return l
}

// halt stops the load and waits for every client to return.
func (l *load) halt() {
	close(l.stop)
	l.wg.Wait()
}

func (l *load) stopped(d time.Duration) bool {
	select {
	case <-l.stop:
		return true
	case <-time.After(d):
		return false
	}
}

// note records an answer that was not the one hoped for.
func (l *load) note(r reply, err error, what string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case err != nil:
		l.transport++
	case r.Status >= 500 && !(r.Status == http.StatusServiceUnavailable && r.code() == "unavailable" &&
		r.Header.Get("Retry-After") != ""):
		l.fiveHund = append(l.fiveHund, what+": "+string(r.Raw))
	default:
		l.refused[r.Status]++
	}
}

// shop is one shopper: create, wait a little, sometimes cancel, again.
func (l *load) shop(p *person) {
	defer l.wg.Done()
	for !l.stopped(time.Duration(100+rand.IntN(300)) * time.Millisecond) {
		if rand.IntN(3) == 0 {
			l.hold(p)
		}
		// The same key is sent again after a failure: a request that committed
		// before the server died is returned, not created twice.
		key := crand.Text()
		var r reply
		var err error
		for {
			r, err = p.c.call("POST", "/api/v1/help-requests", map[string]any{
				"department": "tv", "store_id": l.sc.storeID, "note": "Which TV fits a small room?"},
				"Idempotency-Key", key)
			if err == nil && r.Status != http.StatusServiceUnavailable {
				break
			}
			l.note(r, err, "create")
			if l.stopped(100 * time.Millisecond) {
				return
			}
		}
		if r.Status != http.StatusCreated {
			l.note(r, nil, "create")
			continue
		}
		id := r.str("id")
		l.mu.Lock()
		l.created[id] = true
		l.mu.Unlock()
		if rand.IntN(8) == 0 && !l.stopped(time.Duration(rand.IntN(200))*time.Millisecond) {
			if r, err := p.c.call("POST", "/api/v1/help-requests/"+id+"/cancel", nil); err == nil && r.Status == http.StatusOK {
				l.mu.Lock()
				l.cancelled++
				l.mu.Unlock()
			} else {
				l.note(r, err, "cancel")
			}
		}
	}
}

// hold puts one unit of a product aside, and now and then gives one back.
func (l *load) hold(p *person) {
	sku := products[rand.IntN(len(products))]
	r, err := p.c.call("POST", "/api/v1/holds", map[string]any{"store_id": l.sc.storeID, "sku": sku, "quantity": 1},
		"Idempotency-Key", crand.Text())
	if err != nil || r.Status != http.StatusCreated {
		l.note(r, err, "hold")
		return
	}
	l.mu.Lock()
	l.holds = append(l.holds, r.str("id"))
	l.mu.Unlock()
	if rand.IntN(2) == 0 {
		r, err := p.c.call("POST", "/api/v1/holds/"+r.str("id")+"/cancel", nil)
		if err != nil || r.Status != http.StatusOK {
			l.note(r, err, "cancel hold")
		}
	}
}

// deliver hands each staff member's alerts to them.
func (l *load) deliver(inbox map[string]chan string) {
	defer l.wg.Done()
	src := &pushes{svc: l.sc.w.push}
	for !l.stopped(20 * time.Millisecond) {
		for _, m := range src.next() {
			ch := inbox[m.Endpoint]
			if ch == nil || m.Status != http.StatusCreated {
				continue
			}
			var body struct {
				Type      string `json:"type"`
				RequestID string `json:"request_id"`
			}
			if json.Unmarshal(m.Plaintext, &body) == nil && body.Type == "help_request" {
				l.mu.Lock()
				l.alerts++
				l.mu.Unlock()
				select {
				case ch <- body.RequestID:
				default:
				}
			}
		}
	}
}

// work is one member of staff: accept on an alert, resolve what they own.
// After a crash they may not know an accept went through, so they also
// resolve whatever the server says they own.
func (l *load) work(p *person, alerts <-chan string) {
	defer l.wg.Done()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		var id string
		select {
		case <-l.stop:
			return
		case id = <-alerts:
		case <-tick.C:
			// As staff glance at the live queue between alerts: finish what
			// they own, then take the oldest request still waiting.
			if l.resolveOwned(p) > 0 {
				continue
			}
			if id = l.oldestWaiting(p); id == "" {
				continue
			}
		}
		r, err := p.c.call("POST", "/api/v1/help-requests/"+id+"/accept", nil)
		if err != nil || r.Status != http.StatusOK {
			l.note(r, err, "accept")
			continue
		}
		l.mu.Lock()
		l.owners[id] = append(l.owners[id], p.id)
		l.mu.Unlock()
		if l.stopped(time.Duration(20+rand.IntN(150)) * time.Millisecond) {
			return
		}
		l.resolve(p, id)
	}
}

func (l *load) resolve(p *person, id string) {
	r, err := p.c.call("POST", "/api/v1/help-requests/"+id+"/resolve", nil)
	if err == nil && r.Status == http.StatusOK {
		l.mu.Lock()
		l.resolved++
		l.mu.Unlock()
		return
	}
	l.note(r, err, "resolve")
}

// resolveOwned resolves what p owns; it returns how many they owned.
func (l *load) resolveOwned(p *person) int {
	r, err := p.c.call("GET", "/api/v1/me/requests", nil)
	if err != nil || r.Status != http.StatusOK {
		return 0
	}
	var mine struct {
		Assigned []struct {
			ID     string `json:"id"`
			Status string `json:"status"`
		} `json:"assigned"`
	}
	if json.Unmarshal(r.Raw, &mine) != nil {
		return 0
	}
	for _, h := range mine.Assigned {
		if h.Status == "assigned" {
			l.resolve(p, h.ID)
		}
	}
	return len(mine.Assigned)
}

// oldestWaiting is the first request of p's queue, if any.
func (l *load) oldestWaiting(p *person) string {
	r, err := p.c.call("GET", "/api/v1/queue", nil)
	if err != nil || r.Status != http.StatusOK {
		return ""
	}
	var queue []struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(r.Raw, &queue) != nil || len(queue) == 0 {
		return ""
	}
	return queue[0].ID
}
