package assist_test

import (
	"slices"
	"testing"

	"helpforce/assist"
	"helpforce/pg/pgtest"
)

// TestValuesAreTheSchemas: the statuses, channels and timer kinds the code
// names are exactly those the database's CHECK constraints allow, so a
// migration that adds one cannot go unnoticed by the Go types, nor the
// reverse; and only they are Known.
func TestValuesAreTheSchemas(t *testing.T) {
	db := pgtest.New(t)
	for _, c := range []struct {
		table, column string
		code          []string
	}{
		{"help_requests", "status", texts(assist.Statuses)},
		{"help_requests", "channel", texts(assist.Channels)},
		{"timers", "kind", texts(assist.TimerKinds)},
	} {
		want := pgtest.Allowed(t, db, c.table, c.column)
		got := slices.Sorted(slices.Values(c.code))
		if !slices.Equal(got, want) {
			t.Errorf("%s.%s: the code names %q, the schema allows %q", c.table, c.column, got, want)
		}
	}
	for _, s := range assist.Statuses {
		if !s.Known() {
			t.Errorf("status %q is not Known", s)
		}
	}
	for _, c := range assist.Channels {
		if !c.Known() {
			t.Errorf("channel %q is not Known", c)
		}
	}
	for _, v := range []string{"", "open", "Waiting", "manager"} {
		if assist.Status(v).Known() || assist.Channel(v).Known() {
			t.Errorf("%q is Known", v)
		}
	}
}

// TestOpenStatuses: a request's conversation goes on while it waits or is
// assigned, and ends with it.
func TestOpenStatuses(t *testing.T) {
	for _, s := range assist.Statuses {
		want := s == "waiting" || s == "assigned"
		if s.Open() != want {
			t.Errorf("%s: Open() = %v", s, s.Open())
		}
	}
}

func texts[S ~string](values []S) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = string(v)
	}
	return out
}
