package pushtest_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"helpforce/notify/pushtest"
)

// Down refuses connections on the service's address; Up answers there again.
func TestDownRefusesConnectionsUntilUp(t *testing.T) {
	svc := pushtest.New(t)
	sub := svc.Subscribe()
	post := func() (int, error) {
		res, err := http.Post(sub.Endpoint, "application/octet-stream", strings.NewReader("x"))
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		return res.StatusCode, nil
	}
	if code, err := post(); err != nil || code != http.StatusUnauthorized {
		t.Fatalf("before Down: %d %v, want 401 (no VAPID)", code, err)
	}
	svc.Down()
	if _, err := post(); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("while down: %v, want connection refused", err)
	}
	svc.Up()
	if code, err := post(); err != nil || code != http.StatusUnauthorized {
		t.Fatalf("after Up: %d %v, want 401", code, err)
	}
}

// Once Down has refused one connection, no connection opened before it is
// answered any more: a sender that saw the service go down cannot then see
// it deliver, which would make an outage look over when it is not.
func TestDownAnswersNothingAfterARefusal(t *testing.T) {
	svc := pushtest.New(t)
	sub := svc.Subscribe()
	kept := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	fresh := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	post := func(c *http.Client) error {
		res, err := c.Post(sub.Endpoint, "application/octet-stream", strings.NewReader("x"))
		if err == nil {
			io.Copy(io.Discard, res.Body) // read to the end, or the connection is not kept
			res.Body.Close()
		}
		return err
	}

	if err := post(kept); err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		refused  time.Time // when a fresh connection was first refused
		answered []time.Time
		stop     = make(chan struct{})
		wg       sync.WaitGroup
	)
	// repeat calls f over and over from n goroutines until stop.
	repeat := func(n int, f func()) {
		for range n {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
						f()
					}
				}
			})
		}
	}
	repeat(32, func() {
		start := time.Now()
		if post(kept) == nil {
			mu.Lock()
			answered = append(answered, start)
			mu.Unlock()
		}
	})
	repeat(1, func() {
		if errors.Is(post(fresh), syscall.ECONNREFUSED) {
			mu.Lock()
			if refused.IsZero() {
				refused = time.Now()
			}
			mu.Unlock()
		}
	})
	time.Sleep(50 * time.Millisecond)
	svc.Down()
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()
	svc.Up()

	if refused.IsZero() {
		t.Fatal("no connection was refused after Down")
	}
	late := 0
	for _, at := range answered {
		if at.After(refused) {
			late++
		}
	}
	if late > 0 {
		t.Errorf("%d requests sent after a connection was refused were still answered", late)
	}
}
