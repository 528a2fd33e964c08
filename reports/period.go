package reports

import (
	"strings"
	"time"

	"helpforce/fault"
)

const (
	// DefaultDays is the length of the period when none is given: the last
	// 30 days, ending now.
	DefaultDays = 30
	// MaxDays bounds a period: a little over a year, enough to compare a
	// month with the same month a year before.
	MaxDays = 400
)

const day = 24 * time.Hour

// Period is the half-open interval [From, To) of creation times a report covers.
type Period struct {
	From, To time.Time
}

// ParsePeriod reads a period from the from and to of a query string. Each is
// an RFC 3339 time (2025-03-01T00:00:00+01:00) or a date (2025-03-01). A
// date is its midnight in loc (a store's time zone, or UTC for reports over
// stores in several), and to is excluded, so from=2025-03-01&to=2025-04-01
// is all of March. An empty to is now; an empty from is DefaultDays before
// to. The period must run forwards and cover at most MaxDays.
func ParsePeriod(from, to string, now time.Time, loc *time.Location) (Period, error) {
	var p Period
	var ok bool
	if p.To, ok = parseBound(to, now, loc); !ok {
		return Period{}, fault.Invalid("to", "give a time such as 2025-03-31T23:00:00Z or a date such as 2025-03-31")
	}
	if p.From, ok = parseBound(from, p.To.Add(-DefaultDays*day), loc); !ok {
		return Period{}, fault.Invalid("from", "give a time such as 2025-03-01T00:00:00Z or a date such as 2025-03-01")
	}
	p.From, p.To = p.From.UTC(), p.To.UTC()
	if !p.From.Before(p.To) {
		return Period{}, fault.Invalid("to", "to must come after from")
	}
	if p.To.Sub(p.From) > MaxDays*day {
		return Period{}, fault.Invalid("from", "a report covers at most %d days", MaxDays)
	}
	return p, nil
}

// parseBound reads one end of a period; a date means its midnight in loc.
func parseBound(s string, missing time.Time, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return missing, true
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, true
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	return t, err == nil
}
