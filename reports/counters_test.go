package reports_test

import "testing"

// The report reads counters kept on help_requests by triggers; they must
// follow the messages and ratings as the app writes them.
func TestCountersFollowMessagesAndRatings(t *testing.T) {
	fx := newFixture(t)
	id := fx.store("Lyon", "Europe/Paris", "tv", "TVs")
	fx.add(id, req{at: "2025-01-06T10:00:00Z", dept: "tv", status: "resolved", accepted: 10, resolved: 100,
		rating: 2, staff: 5, shopper: 3})
	type counters struct {
		Answers int  `db:"staff_answers"`
		Score   *int `db:"rating_score"`
	}
	read := func() counters {
		var c counters
		fx.must(fx.db.Get(&c, `SELECT staff_answers, rating_score FROM help_requests`))
		return c
	}
	if c := read(); c.Answers != 5 || c.Score == nil || *c.Score != 2 {
		t.Fatalf("after 5 staff and 3 shopper messages and a 2: %+v", c)
	}
	fx.db.MustExec(`UPDATE ratings SET score = 4`)
	if c := read(); c.Score == nil || *c.Score != 4 {
		t.Errorf("after the rating changed to 4: %+v", c)
	}
	fx.db.MustExec(`DELETE FROM ratings`)
	if c := read(); c.Score != nil {
		t.Errorf("after the rating was deleted: %+v", c)
	}
	// Deleting a request takes its messages and rating with it, triggers and all.
	fx.db.MustExec(`INSERT INTO ratings (request_id, score) SELECT id, 5 FROM help_requests`)
	fx.db.MustExec(`DELETE FROM help_requests`)
}
