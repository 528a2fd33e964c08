package pgtest

import (
	"testing"
	"time"

	"helpforce/fault"
)

// Eventually polls cond until it holds, failing the test after d. Work done
// by background workers (timers, the push outbox) is awaited this way.
func Eventually(t testing.TB, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// WantFault fails the test unless err is a refusal of the kind (and, when
// given, the code).
func WantFault(t testing.TB, err error, kind fault.Kind, code string) {
	t.Helper()
	fe, ok := fault.As(err)
	if !ok || fe.Kind != kind || (code != "" && fe.Code != code) {
		t.Fatalf("got %v, want a refusal of kind %d %s", err, kind, code)
	}
}
