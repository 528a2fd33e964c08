package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// store is one of the run's stores and its floor staff.
type store struct {
	id, name string
	depts    []string
	staff    []*bot
}

var departments = [][2]string{{"tv", "TVs"}, {"phones", "Phones"}}

// setup creates the run's stores, staff, agents and shoppers through the
// API, as an admin and the people themselves would. Each call is sent again
// after a 503: a server sized for a small machine sheds part of a burst of
// sign-ins, and writes nothing of what it sheds.
func (w *world) setup(ctx context.Context) error {
	var login struct {
		Token string `json:"token"`
	}
	w.admin = w.newClient("", ipFor(0))
	if err := w.admin.insist(ctx, "POST /auth/login", "POST", "/api/v1/auth/login",
		map[string]string{"email": w.t.admin[0], "password": w.t.admin[1]}, &login); err != nil {
		return fmt.Errorf("admin sign-in: %w", err)
	}
	w.admin.token = login.Token
	run := strings.ToLower(rand.Text()[:6]) // keeps names unique when runs share a server
	base := [2]float64{30 + 20*w.rand(), -100 + 40*w.rand()}

	w.stores = make([]*store, w.o.stores)
	err := parallel(w.o.stores, 8, func(i int) error {
		st := &store{name: fmt.Sprintf("Load %s %d", run, i+1)}
		var out struct {
			ID string `json:"id"`
		}
		body := map[string]any{"name": st.name, "timezone": "UTC", "address": fmt.Sprintf("%d Load Street", i+1),
			"location": map[string]float64{"lat": base[0] + float64(i/100)*0.01, "lng": base[1] + float64(i%100)*0.01},
			"radius_m": 50}
		if err := w.admin.insist(ctx, "POST /stores", "POST", "/api/v1/stores", body, &out); err != nil {
			return fmt.Errorf("create store: %w", err)
		}
		st.id = out.ID
		for _, d := range departments {
			if err := w.admin.insist(ctx, "POST /stores/{id}/departments", "POST", "/api/v1/stores/"+st.id+"/departments",
				map[string]string{"code": d[0], "name": d[1]}, nil); err != nil {
				return fmt.Errorf("create department: %w", err)
			}
			st.depts = append(st.depts, d[0])
		}
		w.stores[i] = st
		return nil
	})
	if err != nil {
		return err
	}

	n := w.o.stores*w.o.staff + w.o.agents
	w.bots = make([]*bot, n)
	var refused atomic.Int32
	err = parallel(n, 8, func(i int) error {
		b := &bot{w: w, role: "floor", capacity: 1, owned: map[string]bool{}, offers: map[string]*offer{}}
		w.bots[i] = b
		body := map[string]any{"email": fmt.Sprintf("p%d-%s@load.example", i, run), "password": "load-password-" + run}
		if i < w.o.stores*w.o.staff {
			b.store = w.stores[i/w.o.staff]
			b.name = fmt.Sprintf("Floor %d.%d", i/w.o.staff+1, i%w.o.staff+1)
			body["store_id"], body["departments"] = b.store.id, b.store.depts
		} else {
			b.role, b.name = "agent", fmt.Sprintf("Agent %d", i-w.o.stores*w.o.staff+1)
		}
		body["name"], body["role"] = b.name, b.role
		var u struct {
			ID string `json:"id"`
		}
		if err := w.admin.insist(ctx, "POST /users", "POST", "/api/v1/users", body, &u); err != nil {
			return fmt.Errorf("create %s: %w", b.name, err)
		}
		b.id = u.ID
		if b.role == "agent" && w.o.agentCapacity > 0 {
			if !w.setCapacity(ctx, b) {
				refused.Add(1)
			}
		}
		b.c = w.newClient("", ipFor(1+i))
		var login struct {
			Token string `json:"token"`
		}
		if err := b.c.insist(ctx, "POST /auth/login", "POST", "/api/v1/auth/login",
			map[string]string{"email": body["email"].(string), "password": body["password"].(string)}, &login); err != nil {
			return fmt.Errorf("%s sign-in: %w", b.name, err)
		}
		b.c.token = login.Token
		return b.subscribe(ctx)
	})
	if err != nil {
		return err
	}
	if r := refused.Load(); r > 0 {
		w.note(fmt.Sprintf("the server did not apply capacity %d to %d agents; they own one request at a time", w.o.agentCapacity, r))
	}
	for _, b := range w.bots {
		if b.store != nil {
			b.store.staff = append(b.store.staff, b)
		} else {
			w.agents = append(w.agents, b)
		}
	}
	return w.makeShoppers(ctx)
}

// setCapacity asks for the agent's capacity and reports whether the server
// took it (it answers with the person, capacity included, when it knows
// the field).
func (w *world) setCapacity(ctx context.Context, b *bot) bool {
	var u struct {
		Capacity *int `json:"capacity"`
	}
	err := w.admin.insist(ctx, "PATCH /users/{id}", "PATCH", "/api/v1/users/"+b.id, map[string]int{"capacity": w.o.agentCapacity}, &u)
	if err != nil || u.Capacity == nil || *u.Capacity != w.o.agentCapacity {
		return false
	}
	b.capacity = w.o.agentCapacity
	return true
}

// subscribe registers a push subscription issued by the double, as the
// staff app does once notifications are allowed.
func (b *bot) subscribe(ctx context.Context) error {
	sub := b.w.t.push.Subscribe()
	b.endpoint = sub.Endpoint
	b.tag = presenceTag(b.id)
	b.w.t.routes.add(sub.Endpoint, b.onPush)
	body := map[string]any{"endpoint": sub.Endpoint, "keys": map[string]string{"p256dh": sub.P256dh, "auth": sub.Auth}}
	if err := b.c.insist(ctx, "POST /push/subscriptions", "POST", "/api/v1/push/subscriptions", body, nil); err != nil {
		return fmt.Errorf("%s push subscription: %w", b.name, err)
	}
	return nil
}

// makeShoppers signs up enough anonymous shoppers for the arrivals, each
// from an address of its own.
func (w *world) makeShoppers(ctx context.Context) error {
	n := int(w.o.rate*(w.o.duration+w.o.warmup).Seconds()*1.3) + 20
	w.shoppers = make([]*client, n)
	return parallel(n, 8, func(i int) error {
		c := w.newClient("", ipFor(100_000+i))
		var out struct {
			Token string `json:"token"`
		}
		if err := c.insist(ctx, "POST /shoppers", "POST", "/api/v1/shoppers", nil, &out); err != nil {
			return fmt.Errorf("create shopper: %w", err)
		}
		c.token = out.Token
		w.shoppers[i] = c
		return nil
	})
}

// parallel runs fn(0..n-1) on a few goroutines and returns the first error.
func parallel(n, workers int, fn func(i int) error) error {
	var next atomic.Int64
	var first error
	var once sync.Once
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					next.Store(int64(n))
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}
