package stores

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"time"

	"helpforce/fault"
)

// Limits on what one PUT of opening hours may hold.
const (
	// MaxRangesPerDay bounds the ranges of one weekday (a lunch break makes two).
	MaxRangesPerDay = 4
	// MaxExceptions bounds the exception dates a store keeps, past ones included
	// (they still shape past reports).
	MaxExceptions = 366
)

// DayRange is one range of opening hours on a day of the week, in the
// store's local time.
type DayRange struct {
	Day   int    `json:"day"`   // ISO: 1 Monday … 7 Sunday
	Open  string `json:"open"`  // "09:00"
	Close string `json:"close"` // "20:00"; "24:00" is the next midnight
}

// Exception replaces the weekly hours on one local date: closed all day, or
// open over its own range.
type Exception struct {
	Date   string `json:"date"` // YYYY-MM-DD, local
	Closed bool   `json:"closed"`
	Open   string `json:"open,omitempty"`
	Close  string `json:"close,omitempty"`
}

// NewHours is what replacing a store's opening hours takes. Both lists empty
// means no hours: the store is always open.
type NewHours struct {
	Weekly     []DayRange  `json:"weekly"`
	Exceptions []Exception `json:"exceptions"`
}

// clock is "HH:MM" on a 24-hour clock.
var clock = regexp.MustCompile(`^([01][0-9]|2[0-4]):([0-5][0-9])$`)

// minutes reads a time of day as minutes after midnight; 24:00 is allowed
// only where a range may end.
func minutes(s string, closing bool) (int, bool) {
	m := clock.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	min, _ := strconv.Atoi(m[2])
	if h == 24 && (min != 0 || !closing) {
		return 0, false
	}
	return h*60 + min, true
}

// span checks one range and returns it in minutes; field is the JSON path
// of the entry ("weekly[2]"), so that an error names what to fix.
func span(field, open, close string) (int, int, error) {
	o, ok := minutes(open, false)
	if !ok {
		return 0, 0, fault.Invalid(field+".open", "open must be a time from 00:00 to 23:59, such as 09:00")
	}
	c, ok := minutes(close, true)
	if !ok {
		return 0, 0, fault.Invalid(field+".close", "close must be a time from 00:01 to 24:00, such as 20:00")
	}
	if c <= o {
		return 0, 0, fault.Invalid(field+".close",
			"close must be after open on the same day; for hours past midnight, end the day at 24:00 and start the next at 00:00")
	}
	return o, c, nil
}

// validate checks every entry, in order, and refuses the first mistake with
// the field it is in. Nothing is written unless all of it is right.
func (n *NewHours) validate() error {
	type entry struct{ i, open, close int }
	byDay := map[int][]entry{}
	for i, r := range n.Weekly {
		field := fmt.Sprintf("weekly[%d]", i)
		if r.Day < 1 || r.Day > 7 {
			return fault.Invalid(field+".day", "day must be 1 (Monday) to 7 (Sunday)")
		}
		o, c, err := span(field, r.Open, r.Close)
		if err != nil {
			return err
		}
		if len(byDay[r.Day]) == MaxRangesPerDay {
			return fault.Invalid(field, "a day has at most %d ranges", MaxRangesPerDay)
		}
		byDay[r.Day] = append(byDay[r.Day], entry{i, o, c})
	}
	for day := 1; day <= 7; day++ {
		ranges := byDay[day]
		slices.SortFunc(ranges, func(a, b entry) int { return cmp.Compare(a.open, b.open) })
		for k := 1; k < len(ranges); k++ {
			if ranges[k].open < ranges[k-1].close {
				later := max(ranges[k].i, ranges[k-1].i)
				return fault.Invalid(fmt.Sprintf("weekly[%d]", later),
					"this range overlaps weekly[%d] on the same day", min(ranges[k].i, ranges[k-1].i))
			}
		}
	}
	if len(n.Exceptions) > MaxExceptions {
		return fault.Invalid("exceptions", "at most %d exception dates", MaxExceptions)
	}
	seen := map[string]int{}
	for i, e := range n.Exceptions {
		field := fmt.Sprintf("exceptions[%d]", i)
		d, err := time.Parse(time.DateOnly, e.Date)
		if err != nil || d.Year() < 2000 || d.Year() > 2999 {
			return fault.Invalid(field+".date", "date must be a calendar date as YYYY-MM-DD, such as 2026-12-25")
		}
		if j, dup := seen[e.Date]; dup {
			return fault.Invalid(field+".date", "%s is already exceptions[%d]", e.Date, j)
		}
		seen[e.Date] = i
		switch {
		case e.Closed && (e.Open != "" || e.Close != ""):
			return fault.Invalid(field+".closed", "a date is either closed or has open and close, not both")
		case e.Closed:
		case e.Open == "" && e.Close == "":
			return fault.Invalid(field, "give closed: true, or open and close")
		default:
			if _, _, err := span(field, e.Open, e.Close); err != nil {
				return err
			}
		}
	}
	return nil
}
