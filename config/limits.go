package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Rate is a token bucket: Burst actions at once, and Burst more every Per.
// A zero Rate ("off") limits nothing.
type Rate struct {
	Burst int
	Per   time.Duration
}

// ActionLimit is how often one shopper, and one client address, may act.
type ActionLimit struct {
	Shopper, Address Rate
}

// Limits are the abuse limits (see the README, "Security → Abuse limits").
type Limits struct {
	Create, Cancel, Move, Message, Hold ActionLimit
	Public                              Rate // per address, per replica
	StreamsPerCaller, StreamsPerAddress int  // per replica; 0: no cap
	StreamWriteTimeout                  time.Duration
	StreamRecheck                       time.Duration
	Messages, MessageBytes              int // per conversation, per message
	HoldUnits                           int // per product, address, store and day; 0: no cap
	HoldFirstTTL                        time.Duration
}

// limitVars are the limit settings, with their defaults.
var limitVars = []Var{
	{"HELPFORCE_LIMIT_CREATE", "6/10m,60/10m", "help requests created per shopper, per client address"},
	{"HELPFORCE_LIMIT_CANCEL", "6/10m,60/10m", "cancellations per shopper, per client address"},
	{"HELPFORCE_LIMIT_MOVE", "6/10m,60/10m", "store changes of a request per shopper, per client address"},
	{"HELPFORCE_LIMIT_MESSAGE", "30/5m,300/5m", "messages sent per shopper, per client address"},
	{"HELPFORCE_LIMIT_HOLD", "10/10m,100/10m", "holds placed per shopper, per client address"},
	{"HELPFORCE_LIMIT_PUBLIC", "600/1m", "store list, product searches and /locate per client address (per replica)"},
	{"HELPFORCE_LIMIT_STREAMS", "5,50", "live event streams open at once per person or shopper, per client address (per replica)"},
	{"HELPFORCE_STREAM_WRITE_TIMEOUT", "10s", "a live stream whose client reads nothing for this long is dropped"},
	{"HELPFORCE_STREAM_RECHECK", "1m", "how often a replica looks for changes to what its live streams follow that no notification announced"},
	{"HELPFORCE_LIMIT_MESSAGES", "200", "messages in one conversation"},
	{"HELPFORCE_LIMIT_MESSAGE_BYTES", "6000", "bytes in one message (besides the 2000-character rule)"},
	{"HELPFORCE_LIMIT_HOLD_UNITS", "10", "units of one product held from one client address at one store in 24 hours; off: no cap"},
	{"HELPFORCE_HOLD_FIRST_TTL", "2h", "hold lifetime for a shopper with no live request and no past pickup"},
}

func init() { Vars = append(Vars, limitVars...) }

// readLimits parses the limit settings, adding what is wrong to errs.
func readLimits(get func(string) string, c *Config, errs *[]error) {
	bad := func(name, want string) {
		*errs = append(*errs, fmt.Errorf("%s=%q: want %s", name, get(name), want))
	}
	action := func(name string, dst *ActionLimit) {
		parts := strings.Split(get(name), ",")
		if len(parts) == 1 && strings.TrimSpace(parts[0]) == "off" {
			*dst = ActionLimit{}
			return
		}
		var err1, err2 error
		if len(parts) == 2 {
			dst.Shopper, err1 = parseRate(parts[0])
			dst.Address, err2 = parseRate(parts[1])
		}
		if len(parts) != 2 || err1 != nil || err2 != nil {
			bad(name, "two rates, per shopper and per client address, such as 6/10m,60/10m (either may be off)")
		}
	}
	action("HELPFORCE_LIMIT_CREATE", &c.Limits.Create)
	action("HELPFORCE_LIMIT_CANCEL", &c.Limits.Cancel)
	action("HELPFORCE_LIMIT_MOVE", &c.Limits.Move)
	action("HELPFORCE_LIMIT_MESSAGE", &c.Limits.Message)
	action("HELPFORCE_LIMIT_HOLD", &c.Limits.Hold)
	var err error
	if c.Limits.Public, err = parseRate(get("HELPFORCE_LIMIT_PUBLIC")); err != nil {
		bad("HELPFORCE_LIMIT_PUBLIC", "a rate such as 600/1m, or off")
	}
	streams := strings.Split(get("HELPFORCE_LIMIT_STREAMS"), ",")
	var e1, e2 error
	if len(streams) == 2 {
		c.Limits.StreamsPerCaller, e1 = count(streams[0])
		c.Limits.StreamsPerAddress, e2 = count(streams[1])
	}
	if len(streams) != 2 || e1 != nil || e2 != nil {
		bad("HELPFORCE_LIMIT_STREAMS", "two numbers, per person or shopper and per client address, such as 5,50 (0: no cap)")
	}
	positive := func(name string, dst *int) {
		if n, err := strconv.Atoi(get(name)); err != nil || n < 1 {
			bad(name, "a whole number, at least 1")
		} else {
			*dst = n
		}
	}
	positive("HELPFORCE_LIMIT_MESSAGES", &c.Limits.Messages)
	positive("HELPFORCE_LIMIT_MESSAGE_BYTES", &c.Limits.MessageBytes)
	if get("HELPFORCE_LIMIT_HOLD_UNITS") != "off" {
		positive("HELPFORCE_LIMIT_HOLD_UNITS", &c.Limits.HoldUnits)
	}
	for name, dst := range map[string]*time.Duration{"HELPFORCE_STREAM_WRITE_TIMEOUT": &c.Limits.StreamWriteTimeout,
		"HELPFORCE_STREAM_RECHECK": &c.Limits.StreamRecheck, "HELPFORCE_HOLD_FIRST_TTL": &c.Limits.HoldFirstTTL} {
		if d, err := time.ParseDuration(get(name)); err != nil || d <= 0 {
			bad(name, "a positive Go duration such as 10s or 2h")
		} else {
			*dst = d
		}
	}
}

// parseRate reads "N/DURATION" (N actions, refilled over DURATION) or "off".
func parseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return Rate{}, nil
	}
	n, d, ok := strings.Cut(s, "/")
	burst, err := strconv.Atoi(n)
	if !ok || err != nil || burst < 1 {
		return Rate{}, fmt.Errorf("config: rate %q", s)
	}
	per, err := time.ParseDuration(d)
	if err != nil || per <= 0 {
		return Rate{}, fmt.Errorf("config: rate %q", s)
	}
	return Rate{Burst: burst, Per: per}, nil
}

func count(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < 0 {
		return 0, fmt.Errorf("config: count %q", s)
	}
	return n, nil
}
