package assist

import "slices"

// Status is where a help request stands. It is stored as text in
// help_requests.status, whose CHECK constraint allows exactly these
// (values_test.go holds the two lists together).
type Status string

// Statuses: a request waits, is assigned to its one owner, and ends
// resolved by its owner, cancelled by its shopper or abandoned when nobody
// took it in time.
const (
	StatusWaiting   Status = "waiting"
	StatusAssigned  Status = "assigned"
	StatusResolved  Status = "resolved"
	StatusCancelled Status = "cancelled"
	StatusAbandoned Status = "abandoned"
)

var statuses = []Status{StatusWaiting, StatusAssigned, StatusResolved, StatusCancelled, StatusAbandoned}

// Known reports whether s is one of the statuses.
func (s Status) Known() bool { return slices.Contains(statuses, s) }

// Open reports whether a request in status s is still in hand, waiting or
// assigned: its conversation goes on and its shopper may cancel it.
func (s Status) Open() bool { return s == StatusWaiting || s == StatusAssigned }

// Channel is the team a request is with, stored as text in
// help_requests.channel (a CHECK constraint allows exactly these).
type Channel string

// Channels: the floor of the request's store, or the remote team, who answer
// for every store and for shoppers in none.
const (
	ChannelFloor  Channel = "floor"
	ChannelRemote Channel = "remote"
)

var channels = []Channel{ChannelFloor, ChannelRemote}

// Known reports whether c is one of the channels.
func (c Channel) Known() bool { return slices.Contains(channels, c) }

// TimerKind is what a request's deadline does when it falls due, stored as
// text in timers.kind (a CHECK constraint allows exactly these).
type TimerKind string

// Timer kinds; fire says what each does.
const (
	// TimerWave widens the first floor wave to the whole store.
	TimerWave TimerKind = "wave"
	// TimerOverflow hands a request still on the floor to the remote team.
	TimerOverflow TimerKind = "overflow"
	// TimerAbandon gives up on a request nobody took.
	TimerAbandon TimerKind = "abandon"
	// TimerEscalation alerts the store's free staff when its manager has not
	// acknowledged an escalation.
	TimerEscalation TimerKind = "escalation"
	// TimerRemind calls the remote team again about a request waiting there.
	TimerRemind TimerKind = "remind"
)

var timerKinds = []TimerKind{TimerWave, TimerOverflow, TimerAbandon, TimerEscalation, TimerRemind}
