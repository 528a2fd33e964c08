package api_test

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// TestConversationIsBounded: a conversation holds at most 200 messages of at
// most 6000 bytes each, and a read gives one page of it at a time.
func TestConversationIsBounded(t *testing.T) {
	e := newEnv(t)
	shopper := e.shopper()
	id := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).
		want(201).json()["id"].(string)
	path := "/api/v1/help-requests/" + id
	agent := e.tokens["agent"]

	// 1,900 characters is within the character rule, but 7,600 bytes of emoji.
	e.do("POST", path+"/messages", agent, map[string]string{"body": strings.Repeat("😀", 1900)}).
		wantError(422, "message_too_large")
	for i := 1; i <= 200; i++ {
		e.do("POST", path+"/messages", agent, map[string]string{"body": fmt.Sprintf("answer %d", i)}).want(201)
	}
	e.do("POST", path+"/messages", agent, map[string]string{"body": "one more"}).wantError(409, "conversation_full")
	if n := e.count(`SELECT count(*) FROM request_messages WHERE request_id = $1`, id); n != 200 {
		t.Fatalf("%d messages stored", n)
	}

	bodies := func(h map[string]any) []string {
		var out []string
		for _, m := range h["messages"].([]any) {
			out = append(out, m.(map[string]any)["body"].(string))
		}
		return out
	}
	latest := e.do("GET", path, shopper, nil).want(200).json()
	if b := bodies(latest); len(b) != 50 || b[0] != "answer 151" || b[49] != "answer 200" || latest["messages_more"] != true {
		t.Fatalf("default page: %d messages from %q, more %v", len(b), b[0], latest["messages_more"])
	}
	firstID := int64(latest["messages"].([]any)[0].(map[string]any)["id"].(float64))
	after := e.do("GET", path+"?since="+strconv.FormatInt(firstID-151, 10)+"&limit=10", shopper, nil).want(200).json()
	if b := bodies(after); len(b) != 10 || b[0] != "answer 1" || after["messages_more"] != true {
		t.Fatalf("since the start: %v, more %v", b, after["messages_more"])
	}
	tail := e.do("GET", path+"?since="+strconv.FormatInt(firstID+45, 10), shopper, nil).want(200).json()
	if b := bodies(tail); len(b) != 4 || b[0] != "answer 197" || tail["messages_more"] != false {
		t.Fatalf("the tail: %v, more %v", b, tail["messages_more"])
	}
	if b := bodies(e.do("GET", path+"?since=0&limit=100000", shopper, nil).want(200).json()); len(b) != 200 {
		t.Fatalf("a huge limit gave %d messages", len(b))
	}
	e.do("GET", path+"?limit=many", shopper, nil).wantError(400, "invalid_input")
}

// TestHoldFromClosedRequestSaysNothing: a hold placed from a request that is
// over stands, but adds nothing to its conversation.
func TestHoldFromClosedRequestSaysNothing(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"],
		`[{"sku":"TV-1","name":"OLED 55","on_hand":5,"price":999}]`).want(200)
	shopper := e.shopper()
	id := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).
		want(201).json()["id"].(string)
	hold := map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": 1, "help_request_id": id}
	e.do("POST", "/api/v1/holds", e.tokens["agent"], hold).want(201)
	if n := e.count(`SELECT count(*) FROM request_messages WHERE request_id = $1`, id); n != 1 {
		t.Fatalf("an open request got %d messages from a hold", n)
	}
	e.do("POST", "/api/v1/help-requests/"+id+"/cancel", shopper, nil).want(200)
	e.do("POST", "/api/v1/holds", e.tokens["agent"], hold).want(201)
	if n := e.count(`SELECT count(*) FROM request_messages WHERE request_id = $1`, id); n != 1 {
		t.Fatalf("a cancelled request has %d messages", n)
	}
}
