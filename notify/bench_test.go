package notify_test

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"helpforce/notify"
)

// BenchmarkOutboxThroughput queues b.N alerts across 100 devices, then times
// the sender until the push service double has decrypted every one:
// encryption, VAPID signing, the double's own verification and PostgreSQL
// all share the machine.
func BenchmarkOutboxThroughput(b *testing.B) {
	r := newRig(b)
	p := r.sender(notify.Config{Workers: 32})
	users := benchUsers(b, r, p, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	b.ResetTimer()
	start := time.Now()
	for sent := 0; sent < b.N; {
		tx := r.db.MustBegin()
		for i := 0; i < len(users) && sent < b.N; i++ {
			if _, err := notify.ToUsers(ctx, tx, users[i:i+1], alert(strconv.Itoa(sent))); err != nil {
				b.Fatal(err)
			}
			sent++
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("%d alerts queued in %v", b.N, time.Since(start))
	start = time.Now()
	r.start(p)
	r.svc.Wait(b, b.N, 5*time.Minute)
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pushes/s")
}

// BenchmarkCommitToDelivery commits alerts one transaction each at 500 a
// second and reports the time from commit to the double holding the
// decrypted push.
func BenchmarkCommitToDelivery(b *testing.B) {
	r := newRig(b)
	p := r.sender(notify.Config{Workers: 32})
	users := benchUsers(b, r, p, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r.start(p)
	const rate = 500
	n := max(b.N, 1000)
	committed := make([]time.Time, n)
	b.ResetTimer()
	tick := time.NewTicker(time.Second / rate)
	defer tick.Stop()
	for i := 0; i < n; i++ {
		<-tick.C
		tx := r.db.MustBegin()
		if _, err := notify.ToUsers(ctx, tx, users[i%len(users):i%len(users)+1], alert(strconv.Itoa(i))); err != nil {
			b.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
		committed[i] = time.Now()
	}
	msgs := r.svc.Wait(b, n, time.Minute)
	lat := make([]float64, 0, n)
	for _, m := range msgs {
		i, err := strconv.Atoi(decode(b, m)["request_id"].(string))
		if err != nil {
			b.Fatal(err)
		}
		lat = append(lat, float64(m.At.Sub(committed[i]).Microseconds())/1000)
	}
	slices.Sort(lat)
	b.ReportMetric(lat[len(lat)/2], "p50-ms")
	b.ReportMetric(lat[len(lat)*99/100], "p99-ms")
}

func benchUsers(b *testing.B, r *rig, p *notify.Push, n int) []string {
	b.Helper()
	var users []string
	for i := 0; i < n; i++ {
		var id string
		if err := r.db.Get(&id, `INSERT INTO users (email, name, role, password_hash) VALUES ($1, 'Agent', 'agent', 'x') RETURNING id`,
			fmt.Sprintf("bench%d@example.com", i)); err != nil {
			b.Fatal(err)
		}
		s := r.svc.Subscribe()
		var in notify.Subscription
		in.Endpoint, in.Keys.P256dh, in.Keys.Auth = s.Endpoint, s.P256dh, s.Auth
		if err := p.Subscribe(context.Background(), notify.Owner{UserID: id}, in); err != nil {
			b.Fatal(err)
		}
		users = append(users, id)
	}
	return users
}
