package api_test

import (
	"bytes"
	"encoding/json"
)

// as reads a response body into T, the view of it a client holds;
// a body that does not fit T fails the test.
func as[T any](r response) T {
	r.t.Helper()
	var v T
	if err := json.NewDecoder(bytes.NewReader(r.Body.Bytes())).Decode(&v); err != nil {
		r.t.Fatalf("body does not fit %T: %v: %s", v, err, r.Body.String())
	}
	return v
}

// requestView is a help request as its shopper and staff read it.
type requestView struct {
	ID         string `json:"id"`
	Status     string `json:"status"`
	Channel    string `json:"channel"`
	Position   *int   `json:"position"`
	AssignedTo *struct {
		Name string `json:"name"`
	} `json:"assigned_to"`
	Messages []struct {
		Body string `json:"body"`
	} `json:"messages"`
	Rated bool `json:"rated"`
}

// assignee is the name of whoever owns the request, or "".
func (r requestView) assignee() string {
	if r.AssignedTo == nil {
		return ""
	}
	return r.AssignedTo.Name
}

// logEntry is one line of a request's hand-off log.
type logEntry struct {
	Kind  string `json:"kind"`
	Actor string `json:"actor"`
}

// alertPayload is what a push alert carries.
type alertPayload struct {
	Type      string `json:"type"`
	RequestID string `json:"request_id"`
	Body      string `json:"body"`
}
