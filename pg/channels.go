package pg

import (
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"
)

// Channel is a NOTIFY channel. Every channel Helpforce speaks on is below,
// with its payload. A notification carries ids or a time, never a document:
// listeners read the state again. The triggers that also notify spell the
// same names in SQL (migrations 0003, 0004, 0005, 0006, 0009, 0016, 0023); a
// change here needs a migration that changes them too.
type Channel string

const (
	// ChanStores: a store was created, changed or deleted. Payload: its id.
	// Sent by the stores table's trigger; the place index listens.
	ChanStores Channel = "helpforce_stores"
	// ChanRequests: a help request or its conversation changed. Payload:
	// RequestChange.Payload. Sent by triggers and, after commit, by
	// creation; live streams listen.
	ChanRequests Channel = "helpforce_requests"
	// ChanPresence: someone's presence changed. Payload: their store's id,
	// or NoStore for the remote team. Sent by the users table's trigger;
	// live streams listen.
	ChanPresence Channel = "helpforce_presence"
	// ChanCues: a conversation cue (typing, seen). Payload: the cue as a
	// JSON object with at least "request_id" (ParseCue), passed on to the
	// request's streams as it is. Sent by the statements that record cues;
	// live streams listen.
	ChanCues Channel = "helpforce_request_cues"
	// ChanPush: alerts were queued in the outbox. Payload: the first new
	// outbox id, or empty; the push workers listen and read the outbox.
	ChanPush Channel = "helpforce_push"
	// ChanTimers: request timers were set. Payload: DuePayload of the
	// earliest, or empty; the timer workers listen.
	ChanTimers Channel = "helpforce_timers"
	// ChanHolds: a hold was written. Payload: the hold's id and its store's,
	// separated by a space; the hold expiry workers listen.
	ChanHolds Channel = "helpforce_holds"
	// ChanSessions: sessions ended or were set back, or an account changed
	// in a way its sessions carry (email, name, role, store, active, a
	// password to change). Payload: SessionChange.Payload. Sent by the
	// sessions and users tables' triggers; the session cache listens.
	ChanSessions Channel = "helpforce_sessions"
)

// SessionChange is what a ChanSessions notification says: one session
// ended (by the hex of its token's hash), every session of one account
// changed, or, when too many ended at once to name, all of them.
type SessionChange struct {
	TokenHash string // hex
	UserID    string
	All       bool
}

// Payload writes the change as "t:<hash>", "u:<account>" or "*".
func (c SessionChange) Payload() string {
	switch {
	case c.All:
		return "*"
	case c.UserID != "":
		return "u:" + c.UserID
	}
	return "t:" + c.TokenHash
}

// ParseSessionChange reads a ChanSessions payload. One it cannot read says
// that it does not know what changed: all of them.
func ParseSessionChange(payload string) SessionChange {
	kind, v, _ := strings.Cut(payload, ":")
	switch {
	case kind == "t" && v != "":
		return SessionChange{TokenHash: v}
	case kind == "u" && v != "":
		return SessionChange{UserID: v}
	}
	return SessionChange{All: true}
}

// NoStore stands for "no store" (the remote team) in payloads.
const NoStore = "-"

// RequestChange is what a ChanRequests notification says: which request
// changed, in which store, and whether the store's queue moved with it.
type RequestChange struct {
	RequestID string
	StoreID   string // NoStore (or empty, when writing) for a request without a store
	// QueueMoved: a request came into the store's queue or left it, so
	// places in line may have moved.
	QueueMoved bool
}

// Payload writes the change as "<request> <store or -> [q]".
func (c RequestChange) Payload() string {
	store := c.StoreID
	if store == "" {
		store = NoStore
	}
	p := c.RequestID + " " + store
	if c.QueueMoved {
		p += " q"
	}
	return p
}

// ParseRequestChange reads a ChanRequests payload; ok is false for one
// that names no request and store.
func ParseRequestChange(payload string) (c RequestChange, ok bool) {
	words := strings.Fields(payload)
	if len(words) < 2 {
		return RequestChange{}, false
	}
	return RequestChange{RequestID: words[0], StoreID: words[1], QueueMoved: len(words) > 2 && words[2] == "q"}, true
}

// ParseCue reads which request a ChanCues payload is about; ok is false
// for one that names none.
func ParseCue(payload string) (requestID string, ok bool) {
	var c struct {
		RequestID string `json:"request_id"`
	}
	if json.Unmarshal([]byte(payload), &c) != nil || c.RequestID == "" {
		return "", false
	}
	return c.RequestID, true
}

// DuePayload says when work falls due: t in epoch seconds, as the timer
// trigger of migration 0009 writes it.
func DuePayload(t time.Time) string {
	return strconv.FormatFloat(float64(t.UnixNano())/1e9, 'f', 6, 64)
}

// ParseDuePayload reads a DuePayload; ok is false for any other payload
// (an empty one, an id), which says only that there is new work.
func ParseDuePayload(payload string) (t time.Time, ok bool) {
	secs, err := strconv.ParseFloat(payload, 64)
	if err != nil {
		return time.Time{}, false
	}
	// The payload has microseconds (as PostgreSQL keeps time): round to them.
	return time.UnixMicro(int64(math.Round(secs * 1e6))), true
}
