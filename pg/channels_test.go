package pg_test

import (
	"testing"
	"time"

	"helpforce/pg"
)

func TestPayloadsReadAsTheyWereWritten(t *testing.T) {
	for _, c := range []pg.RequestChange{
		{RequestID: "r1", StoreID: "s1"}, {RequestID: "r2", StoreID: pg.NoStore, QueueMoved: true},
	} {
		if got, ok := pg.ParseRequestChange(c.Payload()); !ok || got != c {
			t.Fatalf("%+v came back as %+v, %v", c, got, ok)
		}
	}
	if c, _ := pg.ParseRequestChange(pg.RequestChange{RequestID: "r3"}.Payload()); c.StoreID != pg.NoStore {
		t.Fatalf("a request without a store reads as store %q", c.StoreID)
	}
	for _, bad := range []string{"", "r4"} {
		if _, ok := pg.ParseRequestChange(bad); ok {
			t.Fatalf("%q read as a request change", bad)
		}
	}
	for _, c := range []pg.SessionChange{{TokenHash: "ab01"}, {UserID: "u1"}, {All: true}} {
		if got := pg.ParseSessionChange(c.Payload()); got != c {
			t.Fatalf("%+v came back as %+v", c, got)
		}
	}
	for _, odd := range []string{"", "t:", "x:1", "u"} {
		if c := pg.ParseSessionChange(odd); !c.All {
			t.Fatalf("%q read as %+v, not as all sessions", odd, c)
		}
	}
	due := time.Date(2026, 12, 7, 9, 30, 15, 250_000_000, time.UTC)
	if got, ok := pg.ParseDuePayload(pg.DuePayload(due)); !ok || !got.Equal(due) {
		t.Fatalf("due %v came back as %v, %v", due, got, ok)
	}
	if _, ok := pg.ParseDuePayload(""); ok {
		t.Fatal("an empty payload read as a due time")
	}
	if id, ok := pg.ParseCue(`{"request_id":"r5","type":"typing","who":"staff"}`); !ok || id != "r5" {
		t.Fatalf("a cue read as request %q, %v", id, ok)
	}
	for _, bad := range []string{"", "r6", `{"type":"seen"}`, `{"request_id":""}`} {
		if _, ok := pg.ParseCue(bad); ok {
			t.Fatalf("%q read as a cue", bad)
		}
	}
}
