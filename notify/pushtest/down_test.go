package pushtest_test

import (
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"

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
