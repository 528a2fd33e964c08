package chaos

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"helpforce/notify/pushtest"
)

// person is a member of staff or a shopper with a device subscribed to push.
type person struct {
	id  string
	c   *client
	sub pushtest.Subscription
}

// scene is one store with a TV department, floor staff who are available
// with alerts on, and shoppers with alerts on. A world's later scenes are
// stores of their own, 1 km apart, with people of their own.
type scene struct {
	w        *world
	admin    *client
	storeID  string
	staff    []*person
	shoppers []*person
}

func (w *world) scene(staff, shoppers int) *scene {
	t := w.t
	t.Helper()
	sc := &scene{w: w, admin: w.client("")}
	n := w.scenes
	w.scenes++
	name, prefix := "Lyon Part-Dieu", "floor"
	if n > 0 {
		name, prefix = fmt.Sprintf("Lyon Part-Dieu %d", n+1), fmt.Sprintf("store%d.floor", n+1)
	}
	login := sc.admin.must(t, http.StatusOK, "POST", "/api/v1/auth/login",
		map[string]string{"email": "admin@example.com", "password": password})
	sc.admin.token = login.str("token")
	st := sc.admin.must(t, http.StatusCreated, "POST", "/api/v1/stores", map[string]any{
		"name": name, "timezone": "Europe/Paris", "address": "17 rue du Docteur Bouchut, Lyon",
		"location": map[string]float64{"lat": 45.7611 + 0.01*float64(n), "lng": 4.8557}, "radius_m": 80})
	sc.storeID = st.str("id")
	sc.admin.must(t, http.StatusCreated, "POST", "/api/v1/stores/"+sc.storeID+"/departments",
		map[string]string{"code": "tv", "name": "TV"})
	csv := "sku,name,on_hand,price\n"
	for _, sku := range products {
		csv += sku + ",Television " + sku + ",6,499\n"
	}
	sc.admin.must(t, http.StatusOK, "PUT", "/api/v1/stores/"+sc.storeID+"/inventory", csv, "Content-Type", "text/csv")
	for i := range staff {
		email := fmt.Sprintf("%s%d@example.com", prefix, i)
		u := sc.admin.must(t, http.StatusCreated, "POST", "/api/v1/users", map[string]any{
			"email": email, "name": fmt.Sprintf("Floor %d of %s", i, name), "password": password, "role": "floor",
			"store_id": sc.storeID, "departments": []string{"tv"}})
		c := w.client("")
		c.token = c.must(t, http.StatusOK, "POST", "/api/v1/auth/login",
			map[string]string{"email": email, "password": password}).str("token")
		p := &person{id: u.str("id"), c: c}
		sc.subscribe(p)
		c.must(t, http.StatusOK, "PUT", "/api/v1/me/status", map[string]string{"status": "available"})
		sc.staff = append(sc.staff, p)
	}
	for range shoppers {
		c := w.client("")
		r := c.must(t, http.StatusCreated, "POST", "/api/v1/shoppers", nil)
		c.token = r.str("token")
		p := &person{id: r.str("id"), c: c}
		sc.subscribe(p)
		sc.shoppers = append(sc.shoppers, p)
	}
	return sc
}

// products are the store's SKUs, a few units each, so that holds run out.
var products = []string{"TV-55-OLED", "TV-65-QLED", "TV-43-LED"}

func (sc *scene) subscribe(p *person) {
	p.sub = sc.w.push.Subscribe()
	p.c.must(sc.w.t, http.StatusCreated, "POST", "/api/v1/push/subscriptions", map[string]any{
		"endpoint": p.sub.Endpoint, "keys": map[string]string{"p256dh": p.sub.P256dh, "auth": p.sub.Auth}})
}

// pushes reads the push service double's messages as they arrive.
type pushes struct {
	svc  *pushtest.Service
	seen int
}

func (p *pushes) next() []pushtest.Message {
	var out []pushtest.Message
	out, p.seen = p.svc.Since(p.seen)
	return out
}

// ask creates a help request in the scene's store for shopper p; it
// returns the request's id.
func (sc *scene) ask(p *person) string {
	return p.c.must(sc.w.t, http.StatusCreated, "POST", "/api/v1/help-requests", map[string]any{
		"department": "tv", "store_id": sc.storeID, "note": "Is this one in stock?"}).str("id")
}

// alertAt is when the push service took an alert about request id for
// endpoint, arriving after since; zero if none has arrived.
func alertAt(svc *pushtest.Service, endpoint, id string, since time.Time) time.Time {
	for _, m := range svc.Messages() {
		var body struct {
			Type      string `json:"type"`
			RequestID string `json:"request_id"`
		}
		if m.Endpoint == endpoint && m.Status == http.StatusCreated && m.At.After(since) &&
			json.Unmarshal(m.Plaintext, &body) == nil && body.Type == "help_request" && body.RequestID == id {
			return m.At
		}
	}
	return time.Time{}
}
