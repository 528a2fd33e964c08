package assist_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"helpforce/assist"
)

// BenchmarkRequestReads reads a taken request with four messages in the two
// ways a lifecycle of the lifecycle load reads a request, 7.5 times in all:
// whole (the answer to an accept or a resolve, a stream's first read) and
// snapshot (the read a change shares among the streams watching). Besides
// the server's time, pg-µs/op is the CPU its PostgreSQL backend spent on
// each, from /proc: the pool holds one connection.
func BenchmarkRequestReads(b *testing.B) {
	f := newFloor(b, assist.Config{})
	f.available("sam")
	ctx := context.Background()
	h := f.ask("tv")
	sam := f.staff["sam"]
	if _, err := f.desk.Accept(ctx, sam, h.ID); err != nil {
		b.Fatal(err)
	}
	for i := range 2 {
		for _, who := range []assist.Actor{sam, f.shopper} {
			if _, err := f.desk.Say(ctx, who, h.ID, fmt.Sprint("message ", i)); err != nil {
				b.Fatal(err)
			}
		}
	}
	meter := newBackendMeter(b, f)
	for _, read := range []struct {
		name string
		do   func() error
	}{
		{"whole", func() error { _, err := f.desk.HelpRequest(ctx, sam, h.ID); return err }},
		{"snapshot", func() error { _, err := f.desk.Snapshot(ctx, h.ID, 0); return err }},
	} {
		b.Run(read.name, func(b *testing.B) {
			meter.start()
			for b.Loop() {
				if err := read.do(); err != nil {
					b.Fatal(err)
				}
			}
			meter.report(b)
		})
	}
}

// backendMeter measures the CPU of the one PostgreSQL backend f's pool
// keeps once the meter is made.
type backendMeter struct {
	pid    int
	before int64
	ok     bool
}

func newBackendMeter(b *testing.B, f *floor) *backendMeter {
	f.db.SetMaxOpenConns(1)
	m := &backendMeter{}
	if err := f.db.Get(&m.pid, `SELECT pg_backend_pid()`); err != nil {
		b.Fatal(err)
	}
	return m
}

// start begins a measure.
func (m *backendMeter) start() { m.before, m.ok = backendCPU(m.pid) }

// report gives the CPU spent since start as pg-µs/op, unless /proc could
// not tell.
func (m *backendMeter) report(b *testing.B) {
	if after, ok := backendCPU(m.pid); m.ok && ok {
		b.ReportMetric(float64(after-m.before)*1e6/100/float64(b.N), "pg-µs/op")
	}
}

// backendCPU is a local process's user + system time in clock ticks (1/100 s).
func backendCPU(pid int) (int64, bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, false
	}
	f := bytes.Fields(b[bytes.LastIndexByte(b, ')')+1:])
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.ParseInt(string(f[11]), 10, 64)
	s, err2 := strconv.ParseInt(string(f[12]), 10, 64)
	return u + s, err1 == nil && err2 == nil
}

// BenchmarkLifecycleStatements runs a lifecycle's statements one after the
// other, in-process: a shopper asks, sam accepts, one message each way, sam
// resolves. pg-µs/op is what PostgreSQL spent on each lifecycle.
func BenchmarkLifecycleStatements(b *testing.B) {
	f := newFloor(b, assist.Config{})
	f.available("sam")
	ctx := context.Background()
	sam := f.staff["sam"]
	meter := newBackendMeter(b, f)
	meter.start()
	for b.Loop() {
		h := f.ask("tv")
		if _, err := f.desk.Accept(ctx, sam, h.ID); err != nil {
			b.Fatal(err)
		}
		for _, who := range []assist.Actor{sam, f.shopper} {
			if _, err := f.desk.Say(ctx, who, h.ID, "hello"); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := f.desk.Resolve(ctx, sam, h.ID); err != nil {
			b.Fatal(err)
		}
	}
	meter.report(b)
}
