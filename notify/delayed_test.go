package notify

import (
	"testing"
	"time"
)

// TestOutageEndsOnlyWithALaterSend: a send already under way when the push
// service went down may still get through; it must not end the outage, or
// the outage is logged as starting twice.
func TestOutageEndsOnlyWithALaterSend(t *testing.T) {
	var d delays
	before := time.Now()
	time.Sleep(time.Millisecond)
	if !d.failed("push.example", time.Now()) {
		t.Fatal("the first failure does not start an outage")
	}
	if d.failed("push.example", time.Now()) {
		t.Fatal("a second failure starts the outage again")
	}
	if d.worked("push.example", before) {
		t.Fatal("a send started before the failure ended the outage")
	}
	if d.failed("push.example", time.Now()) {
		t.Fatal("the outage was logged as starting twice")
	}
	if !d.worked("push.example", time.Now()) {
		t.Fatal("a send started during the outage did not end it")
	}
	if d.worked("push.example", time.Now()) {
		t.Fatal("the end of an outage was reported twice")
	}
}

// TestOutageStartsOnlyWithALaterFailure: a send already under way when the
// push service came back may still fail; it must not start a new outage,
// or the outage is logged twice, and its end twice.
func TestOutageStartsOnlyWithALaterFailure(t *testing.T) {
	var d delays
	d.failed("push.example", time.Now())
	before := time.Now()
	time.Sleep(time.Millisecond)
	if !d.worked("push.example", time.Now()) {
		t.Fatal("a send started during the outage did not end it")
	}
	if d.failed("push.example", before) {
		t.Fatal("a send started before the service came back started a new outage")
	}
	if d.worked("push.example", time.Now()) {
		t.Fatal("the end of an outage was reported twice")
	}
	time.Sleep(time.Millisecond)
	if !d.failed("push.example", time.Now()) {
		t.Fatal("a send started after the service came back and failing did not start a new outage")
	}
}
