package main

import (
	"fmt"
	"strings"
	"time"
)

// span is a range of durations, written "2s-12s", from which a person's
// delays are drawn uniformly.
type span struct{ min, max time.Duration }

func (s *span) String() string { return s.min.String() + "-" + s.max.String() }

func (s *span) Set(v string) error {
	lo, hi, ok := strings.Cut(v, "-")
	if !ok {
		hi = lo
	}
	a, err1 := time.ParseDuration(strings.TrimSpace(lo))
	b, err2 := time.ParseDuration(strings.TrimSpace(hi))
	if err1 != nil || err2 != nil || a < 0 || b < a {
		return fmt.Errorf("%q: want min-max durations, such as 2s-12s", v)
	}
	s.min, s.max = a, b
	return nil
}
