package main

import (
	"fmt"
	"maps"
	"math"
	"sort"
	"strings"
	"time"
)

// Report is what one run measured; the JSON the tool writes.
type Report struct {
	Mode          string  `json:"mode"`
	Policy        string  `json:"policy"`
	Stores        int     `json:"stores"`
	StaffPerStore int     `json:"staff_per_store"`
	Agents        int     `json:"agents"`
	AgentCapacity int     `json:"agent_capacity"`
	ArrivalsS     float64 `json:"arrivals_s"` // how long shoppers arrived
	GraceS        float64 `json:"grace_s"`    // how long the run went on after the last arrival

	Arrivals    int     `json:"arrivals"` // shoppers who came
	Created     int     `json:"created"`  // requests the server created (201)
	Failed      int     `json:"failed"`   // POST /help-requests without a 201
	CreatedPerS float64 `json:"created_per_s"`

	Post         Pair `json:"post_help_request_ms"` // p50, p99 of POST /help-requests
	Accept       Pair `json:"accept_ms"`            // p50, p99 of POST …/accept, won or lost
	FirstAlert   Pair `json:"tap_to_first_alert_ms"`
	NeverAlerted int  `json:"never_alerted"` // requests no phone got an alert about
	// NeverAlertedLogs is the hand-off log of a few of them still waiting.
	NeverAlertedLogs map[string][]map[string]any `json:"never_alerted_logs,omitempty"`
	PushRefused      int                         `json:"push_refused"`     // pushes the double refused as invalid
	TimeToAccept     Pair                        `json:"time_to_accept_s"` // p50, p90: POST sent → the shopper sees it taken

	Taken          int     `json:"taken"`
	Resolved       int     `json:"resolved"`
	Abandoned      int     `json:"abandoned"`
	Cancelled      int     `json:"cancelled"`
	StillWaiting   int     `json:"still_waiting"`
	TakenShare     float64 `json:"taken_share"`
	AbandonedShare float64 `json:"abandoned_share"`

	Pushes           int     `json:"pushes"` // decrypted pushes about the run's requests
	PushesPerRequest float64 `json:"pushes_per_request"`

	WaitedWhileFree Pair `json:"waited_while_free_s"` // max, p90 over every request
	SetOnBreak      int  `json:"set_on_break_by_server"`
	Unanswered      int  `json:"alerts_withdrawn_unanswered"` // withdrawn while open on a phone

	CPU      CPUReport      `json:"cpu"`
	Errors   int            `json:"errors"`   // no answer, 5xx, and 4xx other than a lost race
	Statuses map[string]int `json:"statuses"` // every call: "route status code"
	// Statements are the heaviest in the database (-statements).
	Statements []StatementCost `json:"statements,omitempty"`
	Notes      []string        `json:"notes,omitempty"`
}

// Pair is two figures of one measure (p50/p99, p50/p90 or max/p90).
type Pair [2]float64

// CPUReport is CPU seconds used during the measured window.
type CPUReport struct {
	ServerS   *float64 `json:"server_s"`
	PostgresS *float64 `json:"postgres_s"`
	ToolS     float64  `json:"load_tool_s"` // this tool's own, its push service's decryption included
	Note      string   `json:"note,omitempty"`
}

func cpuReport(t *target, a, b cpuTimes, err error) CPUReport {
	var r CPUReport
	if err != nil {
		r.Note = "CPU not read: " + err.Error()
		return r
	}
	r.ToolS = b.Tool - a.Tool
	if t.serverPID > 0 {
		v := b.Server - a.Server
		r.ServerS = &v
	}
	if t.pgPID > 0 {
		v := b.Postgres - a.Postgres
		r.PostgresS = &v
	}
	if t.serverPID == 0 || t.pgPID == 0 {
		r.Note = "with -url, pass -server-pid and -pg-pid to measure CPU"
	}
	return r
}

// report gathers the run's figures.
func (w *world) report(arrivals int, arriving, grace time.Duration) *Report {
	o := w.o
	r := &Report{Mode: o.mode, Policy: o.policy, Stores: o.stores, StaffPerStore: o.staff, Agents: o.agents,
		AgentCapacity: o.agentCapacity, ArrivalsS: arriving.Seconds(), GraceS: grace.Seconds(), Arrivals: arrivals}
	r.Post = ms(w.stats.latencies("POST /help-requests"), 0.5, 0.99)
	r.Accept = ms(w.stats.latencies("POST /help-requests/{id}/accept"), 0.5, 0.99)

	w.mu.Lock()
	defer w.mu.Unlock()
	r.Created, r.Failed, r.SetOnBreak, r.Unanswered = len(w.reqs), w.failed, w.benched, w.unanswered
	r.CreatedPerS = float64(r.Created) / arriving.Seconds()
	var alerts, accepts, free []time.Duration
	for _, q := range w.reqs {
		if first, ok := w.firstPush[q.id]; ok {
			alerts = append(alerts, first.Sub(q.sent))
		} else {
			r.NeverAlerted++
		}
		r.Pushes += w.pushes[q.id]
		if !q.accepted.IsZero() {
			r.Taken++
			accepts = append(accepts, q.accepted.Sub(q.sent))
		}
		switch q.status {
		case "resolved":
			r.Resolved++
		case "abandoned":
			r.Abandoned++
		case "cancelled":
			r.Cancelled++
		case "waiting":
			r.StillWaiting++
		}
		free = append(free, q.waitedFree)
	}
	r.FirstAlert = ms(sorted(alerts), 0.5, 0.99)
	a := sorted(accepts)
	r.TimeToAccept = Pair{secs(pct(a, 0.5)), secs(pct(a, 0.9))}
	f := sorted(free)
	r.WaitedWhileFree = Pair{secs(pct(f, 1)), secs(pct(f, 0.9))}
	if r.Created > 0 {
		r.TakenShare = float64(r.Taken) / float64(r.Created)
		r.AbandonedShare = float64(r.Abandoned) / float64(r.Created)
		r.PushesPerRequest = float64(r.Pushes) / float64(r.Created)
	}
	w.stats.mu.Lock()
	r.Statuses = maps.Clone(w.stats.statuses)
	w.stats.mu.Unlock()
	for k, n := range r.Statuses {
		if isError(k) {
			r.Errors += n
		}
	}
	r.Notes = append(r.Notes, w.notes...)
	return r
}

// isError says whether a "route status code" key is a failure: no answer,
// a server error, or a refusal other than losing a race for a request.
func isError(key string) bool {
	f := strings.Fields(key)
	if len(f) < 3 || f[2] == "no" {
		return true
	}
	lost := f[2] == "409" && (strings.HasSuffix(f[1], "/accept") || strings.HasSuffix(f[1], "/pass"))
	return f[2] >= "400" && !lost
}

// Summary is the one line printed per run.
func (r *Report) Summary() string {
	return fmt.Sprintf("%s policy=%s created/s=%.2f post_p50/p99=%.0f/%.0fms alert_p50/p99=%.0f/%.0fms "+
		"accept_p50/p90=%.1f/%.1fs taken=%.0f%% abandoned=%.0f%% pushes/request=%.1f "+
		"waited_while_free_max/p90=%.1f/%.1fs cpu_server/pg=%s/%ss errors=%d cpu_tool=%.1fs "+
		"cpu_per_created_server/pg/tool=%s/%s/%sms",
		r.Mode, r.Policy, r.CreatedPerS, r.Post[0], r.Post[1], r.FirstAlert[0], r.FirstAlert[1],
		r.TimeToAccept[0], r.TimeToAccept[1], 100*r.TakenShare, 100*r.AbandonedShare, r.PushesPerRequest,
		r.WaitedWhileFree[0], r.WaitedWhileFree[1], cpuText(r.CPU.ServerS), cpuText(r.CPU.PostgresS), r.Errors, r.CPU.ToolS,
		r.perCreated(r.CPU.ServerS), r.perCreated(r.CPU.PostgresS), r.perCreated(&r.CPU.ToolS))
}

// perCreated is CPU seconds v as milliseconds per request created: what a
// lifecycle cost each process, the arrivals shed on the way included.
func (r *Report) perCreated(v *float64) string {
	if v == nil || r.Created == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", *v*1000/float64(r.Created))
}

// compareTable prints runs side by side, one column each.
func compareTable(rs []*Report) string {
	rows := []struct {
		name string
		val  func(*Report) string
	}{
		{"requests created/s", func(r *Report) string { return fmt.Sprintf("%.2f", r.CreatedPerS) }},
		{"POST p50/p99 ms", func(r *Report) string { return fmt.Sprintf("%.0f/%.0f", r.Post[0], r.Post[1]) }},
		{"tap → first alert p50/p99 ms", func(r *Report) string { return fmt.Sprintf("%.0f/%.0f", r.FirstAlert[0], r.FirstAlert[1]) }},
		{"time to accept p50/p90 s", func(r *Report) string { return fmt.Sprintf("%.1f/%.1f", r.TimeToAccept[0], r.TimeToAccept[1]) }},
		{"taken", func(r *Report) string { return fmt.Sprintf("%.0f%% (%d/%d)", 100*r.TakenShare, r.Taken, r.Created) }},
		{"abandoned", func(r *Report) string { return fmt.Sprintf("%.0f%%", 100*r.AbandonedShare) }},
		{"pushes per request", func(r *Report) string { return fmt.Sprintf("%.1f", r.PushesPerRequest) }},
		{"waited while free max/p90 s", func(r *Report) string {
			return fmt.Sprintf("%.1f/%.1f", r.WaitedWhileFree[0], r.WaitedWhileFree[1])
		}},
		{"CPU server/PostgreSQL s", func(r *Report) string { return cpuText(r.CPU.ServerS) + "/" + cpuText(r.CPU.PostgresS) }},
		{"CPU load tool s", func(r *Report) string { return fmt.Sprintf("%.1f", r.CPU.ToolS) }},
		{"CPU ms/created srv/pg/tool", func(r *Report) string {
			return r.perCreated(r.CPU.ServerS) + "/" + r.perCreated(r.CPU.PostgresS) + "/" + r.perCreated(&r.CPU.ToolS)
		}},
		{"errors", func(r *Report) string { return fmt.Sprint(r.Errors) }},
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| %-30s |", "")
	for _, r := range rs {
		fmt.Fprintf(&b, " %-14s |", r.Policy)
	}
	b.WriteString("\n|" + strings.Repeat("-", 32) + "|" + strings.Repeat(strings.Repeat("-", 16)+"|", len(rs)) + "\n")
	for _, row := range rows {
		fmt.Fprintf(&b, "| %-30s |", row.name)
		for _, r := range rs {
			fmt.Fprintf(&b, " %-14s |", row.val(r))
		}
		b.WriteString("\n")
	}
	return b.String()
}

func cpuText(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f", *v)
}

func sorted(d []time.Duration) []time.Duration {
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d
}

// pct is the nearest-rank percentile p (0 < p ≤ 1) of sorted d; 0 if empty.
func pct(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	i := int(math.Ceil(p*float64(len(d)))) - 1
	return d[max(i, 0)]
}

func ms(d []time.Duration, p, q float64) Pair {
	return Pair{float64(pct(d, p).Microseconds()) / 1000, float64(pct(d, q).Microseconds()) / 1000}
}

func secs(d time.Duration) float64 { return math.Round(d.Seconds()*100) / 100 }
