package pg

import (
	"fmt"
	"testing"
	"time"
)

func TestDueWorkerWakesOnlyForEarlierWork(t *testing.T) {
	w := &DueWorker{wake: make(chan struct{}, 1)}
	woken := func() bool {
		select {
		case <-w.wake:
			return true
		default:
			return false
		}
	}
	epoch := func(t time.Time) string { return fmt.Sprintf("%.6f", float64(t.UnixNano())/1e9) }
	w.until.Store(time.Now().Add(5 * time.Second).UnixNano())
	cases := []struct {
		payload string
		want    bool
	}{
		{epoch(time.Now().Add(30 * time.Second)), false}, // due after the planned wake
		{epoch(time.Now().Add(time.Second)), true},       // due before it
		{"", true}, // says nothing of when
		{"1b2c 42", true},
	}
	for _, c := range cases {
		w.notified(c.payload)
		if got := woken(); got != c.want {
			t.Errorf("payload %q: woken %v, want %v", c.payload, got, c.want)
		}
	}
	w.until.Store(0) // at work: every notification counts
	w.notified(epoch(time.Now().Add(time.Hour)))
	if !woken() {
		t.Error("a working worker missed a notification")
	}
}
