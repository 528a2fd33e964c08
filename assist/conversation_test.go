package assist_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"helpforce/assist"
	"helpforce/fault"
)

// TestMessagesWrittenAtOnceAllLand: both sides writing at the same moment
// never get "busy": every message lands, until the conversation is full,
// and then exactly as many as it holds are kept.
func TestMessagesWrittenAtOnceAllLand(t *testing.T) {
	const holds, writers = 24, 32
	f := newFloor(t, assist.Config{MaxMessages: holds})
	ctx := context.Background()
	f.available("sam")
	h := f.ask("tv")
	if _, err := f.desk.Accept(ctx, f.staff["sam"], h.ID); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		who := f.shopper
		if i%2 == 1 {
			who = f.staff["sam"]
		}
		wg.Go(func() {
			_, err := f.desk.Say(ctx, who, h.ID, fmt.Sprintf("line %d", i))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	written, full := 0, 0
	for err := range errs {
		switch {
		case err == nil:
			written++
		case isFull(err):
			full++
		default:
			t.Errorf("a message written at the same time as others: %v", err)
		}
	}
	if written != holds || full != writers-holds {
		t.Fatalf("%d written and %d refused as full, want %d and %d", written, full, holds, writers-holds)
	}
	if n := len(f.get(h.ID).Messages); n != holds {
		t.Fatalf("the conversation holds %d messages, want %d", n, holds)
	}
	// Reports count staff answers on the request, as they are written.
	var counted, fromStaff int
	if err := f.db.Get(&counted, `SELECT staff_answers FROM help_requests WHERE id = $1`, h.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.db.Get(&fromStaff, `SELECT count(*) FROM request_messages WHERE request_id = $1 AND author_role <> 'shopper'`, h.ID); err != nil {
		t.Fatal(err)
	}
	if fromStaff == 0 || counted != fromStaff {
		t.Fatalf("the request counts %d staff answers; %d messages are from staff", counted, fromStaff)
	}
}

func isFull(err error) bool {
	f, ok := fault.As(err)
	return ok && f.Code == "conversation_full"
}
