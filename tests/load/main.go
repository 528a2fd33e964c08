// Command load drives the real helpforce binary over HTTP as people do:
// shoppers ask for help, staff phones receive real encrypted web pushes
// (decrypted by the notify/pushtest double) and their owners tap Accept.
//
// -mode load measures the request lifecycle under open-loop arrivals;
// -mode sim plays a store day in compressed time with human delays, passes,
// breaks and shifts; -compare plays the standard day under each dispatch
// policy and prints them side by side; -mode streams opens many idle event
// streams and measures their memory, their cost to the database and how fast
// a change reaches them.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"
)

func main() {
	o, err := parseFlags(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stop, err := profileCPU(o.cpuProfile)
	if err == nil {
		err = mainRun(ctx, o, os.Stdout, os.Stderr)
		stop()
	}
	cancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "load: %v\n", err)
		os.Exit(1)
	}
}

// profileCPU writes the tool's own CPU profile to path (none when empty)
// until stop is called: where the tool spends what it takes from the
// machine it shares with the server.
func profileCPU(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// mainRun starts a server per policy (unless -url) and runs the mode on it.
func mainRun(ctx context.Context, o options, stdout, stderr io.Writer) error {
	if o.mode == "streams" {
		fmt.Fprintf(stderr, "== streams: starting\n")
		raiseOpenFiles() // before the server starts, so that it inherits the limit
		tg, err := openTarget(ctx, o, stderr)
		if err != nil {
			return err
		}
		rep, err := runStreams(ctx, tg, o, stderr)
		tg.stop()
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rep.Summary())
		return writeJSONValue(o, rep, stdout)
	}
	policies := []string{o.policy}
	if o.compare {
		policies = []string{"waves", "broadcast", "floor"}
	}
	var reports []*Report
	for _, p := range policies {
		o := o
		o.policy = p
		fmt.Fprintf(stderr, "== %s, policy %s: starting\n", o.mode, p)
		tg, err := openTarget(ctx, o, stderr)
		if err != nil {
			return err
		}
		rep, err := run(ctx, tg, o, stderr)
		tg.stop()
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, rep.Summary())
		if len(rep.Statements) > 0 {
			fmt.Fprint(stdout, statementsTable(rep.Statements))
		}
		reports = append(reports, rep)
	}
	if o.compare {
		fmt.Fprintln(stdout)
		fmt.Fprint(stdout, compareTable(reports))
	}
	return writeJSON(o, reports, stdout)
}

func writeJSON(o options, reports []*Report, stdout io.Writer) error {
	var v any = reports[0]
	if len(reports) > 1 {
		v = reports
	}
	return writeJSONValue(o, v, stdout)
}

func writeJSONValue(o options, v any, stdout io.Writer) error {
	if !o.jsonOut && o.out == "" {
		return nil
	}
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if o.jsonOut {
		if _, err := stdout.Write(b); err != nil {
			return err
		}
	}
	if o.out != "" {
		return os.WriteFile(o.out, b, 0o644)
	}
	return nil
}

// options are the flags of one run.
type options struct {
	mode, policy, url, bin string
	compare, jsonOut       bool
	out, ids               string
	keep                   bool

	stores, staff, agents, agentCapacity int
	rate                                 float64
	shoppers                             int
	streams                              int
	idle                                 time.Duration
	duration, grace, sample, warmup      time.Duration

	offerTimeout, overflowTimeout, abandonAfter time.Duration

	acceptDelay, helpTime, breakLen        span
	passProb, ignoreProb, breakProb, churn float64
	remoteShare                            float64
	seed                                   int64
	adminEmail, adminPassword, pushAddr    string
	serverPID, pgPID                       int
	logLevel                               string
	cpuProfile                             string
	statements                             int
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.mode, "mode", "sim", "load (lifecycle load), sim (a store day) or streams (idle event streams)")
	fs.IntVar(&o.streams, "streams", 10000, "streams: event streams to open, each from a shopper of its own waiting in one store")
	fs.DurationVar(&o.idle, "idle", 30*time.Second, "streams: how long the open streams stay idle while measured")
	fs.StringVar(&o.policy, "policy", "waves", "HELPFORCE_DISPATCH_POLICY for the started server: waves, broadcast or floor")
	fs.BoolVar(&o.compare, "compare", false, "run under waves, broadcast and floor and print them side by side")
	fs.StringVar(&o.url, "url", "", "drive a running server instead of starting bin (needs -admin-email, -admin-password, -push-addr)")
	fs.StringVar(&o.bin, "bin", "bin/helpforce", "the helpforce binary to start")
	fs.BoolVar(&o.jsonOut, "json", false, "print the JSON report to stdout")
	fs.StringVar(&o.out, "out", "", "write the JSON report to this file")
	fs.StringVar(&o.ids, "ids", "", "write the id of every request answered 201 to this file, one a line")
	fs.BoolVar(&o.keep, "keep", false, "keep the started server's data folder and log")
	fs.IntVar(&o.stores, "stores", 0, "stores (default: sim 10, load 100)")
	fs.IntVar(&o.staff, "staff", 0, "floor staff per store (default: sim 2, load 3)")
	fs.IntVar(&o.agents, "agents", -1, "remote agents (default: sim 2, load 0)")
	fs.IntVar(&o.agentCapacity, "agent-capacity", 3, "conversations an agent may own at once (PATCH /users/{id} capacity)")
	fs.Float64Var(&o.rate, "rate", 0, "arrivals per second (default: sim -shoppers over -duration, load 10)")
	fs.IntVar(&o.shoppers, "shoppers", 108, "sim: shoppers expected over -duration (Poisson), unless -rate")
	fs.DurationVar(&o.duration, "duration", 0, "how long shoppers arrive (default: sim 3m, load 30s)")
	fs.DurationVar(&o.warmup, "warmup", -1, "shoppers arrive at -rate this long first, left out of every figure and of the CPU time, so that connections planning their statements for the first time are not counted (default: load 3s, sim 0)")
	fs.DurationVar(&o.grace, "grace", 0, "after the last arrival, how long requests may still be taken (default: sim 30s, load 10s)")
	fs.DurationVar(&o.sample, "sample", 100*time.Millisecond, "sampling step of \"waited while free\"")
	fs.DurationVar(&o.offerTimeout, "offer-timeout", 4*time.Second, "HELPFORCE_OFFER_TIMEOUT of the started server")
	fs.DurationVar(&o.overflowTimeout, "overflow-timeout", 12*time.Second, "HELPFORCE_OVERFLOW_TIMEOUT of the started server")
	fs.DurationVar(&o.abandonAfter, "abandon-after", 4*time.Minute, "HELPFORCE_ABANDON_AFTER of the started server")
	o.acceptDelay, o.helpTime, o.breakLen = span{2 * time.Second, 12 * time.Second},
		span{10 * time.Second, 40 * time.Second}, span{10 * time.Second, 30 * time.Second}
	fs.Var(&o.acceptDelay, "accept-delay", "sim: how long a person takes to answer an alert, min-max")
	fs.Var(&o.helpTime, "help-time", "sim: how long helping takes before resolving, min-max")
	fs.Var(&o.breakLen, "break", "sim: length of a break, min-max")
	fs.Float64Var(&o.passProb, "pass", 0.05, "sim: probability a person passes on an alert")
	fs.Float64Var(&o.ignoreProb, "ignore", 0.05, "sim: probability a person never answers an alert")
	fs.Float64Var(&o.breakProb, "break-prob", 0.1, "sim: probability of a break after helping someone")
	fs.Float64Var(&o.churn, "churn", 0.2, "sim: share of people who start their shift late or end it early")
	fs.Float64Var(&o.remoteShare, "remote-share", -1, "share of shoppers who ask the remote team from the store, remote: true (default: sim 0.1, load 0)")
	fs.Int64Var(&o.seed, "seed", 1, "random seed")
	fs.StringVar(&o.adminEmail, "admin-email", "", "admin to sign in as (default: one created with helpforce admin create)")
	fs.StringVar(&o.adminPassword, "admin-password", "", "that admin's password")
	fs.StringVar(&o.pushAddr, "push-addr", "127.0.0.1:0", "where the push double listens (with -url: the host:port the server allows)")
	fs.IntVar(&o.serverPID, "server-pid", 0, "with -url: the server's process id, for its CPU time")
	fs.IntVar(&o.pgPID, "pg-pid", 0, "with -url: the PostgreSQL postmaster's process id, for the cluster's CPU time")
	fs.StringVar(&o.logLevel, "log-level", "warn", "HELPFORCE_LOG_LEVEL of the started server")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write the tool's own CPU profile (go tool pprof) to this file")
	fs.IntVar(&o.statements, "statements", 0, "start the server's PostgreSQL with pg_stat_statements and report the N statements that took the most time in the measured window (not with -url)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if err := o.defaults(); err != nil {
		fmt.Fprintln(stderr, "load:", err)
		return o, err
	}
	return o, nil
}

// defaults fills what depends on the mode and checks the rest.
func (o *options) defaults() error {
	sim := o.mode == "sim"
	if !sim && o.mode != "load" && o.mode != "streams" {
		return fmt.Errorf("-mode %q: want load, sim or streams", o.mode)
	}
	if o.mode == "streams" {
		if o.streams < 2 || o.idle <= 0 {
			return fmt.Errorf("-mode streams needs -streams of at least 2 and a positive -idle")
		}
		// Nobody answers: the requests must still be waiting when measured.
		o.abandonAfter = max(o.abandonAfter, 2*time.Hour)
		// Nor do their timers fire while measured (the floor's offers
		// expiring, the remote team reminded): for ten thousand requests
		// that is the timers' work, not the streams'.
		o.offerTimeout = max(o.offerTimeout, 2*time.Hour)
		o.overflowTimeout = max(o.overflowTimeout, 2*time.Hour)
	}
	switch o.policy {
	case "waves", "broadcast", "floor":
	default:
		return fmt.Errorf("-policy %q: want waves, broadcast or floor", o.policy)
	}
	pick := func(v *int, simV, loadV int) {
		if *v <= 0 {
			*v = map[bool]int{true: simV, false: loadV}[sim]
		}
	}
	pick(&o.stores, 10, 100)
	pick(&o.staff, 2, 3)
	if o.agents < 0 {
		o.agents = map[bool]int{true: 2, false: 0}[sim]
	}
	if o.remoteShare < 0 {
		o.remoteShare = map[bool]float64{true: 0.1, false: 0}[sim]
	}
	if o.duration <= 0 {
		o.duration = map[bool]time.Duration{true: 3 * time.Minute, false: 30 * time.Second}[sim]
	}
	if o.grace <= 0 {
		o.grace = map[bool]time.Duration{true: 30 * time.Second, false: 10 * time.Second}[sim]
	}
	if o.warmup < 0 {
		o.warmup = map[bool]time.Duration{true: 0, false: 3 * time.Second}[sim]
	}
	if o.rate <= 0 {
		o.rate = 10
		if sim {
			o.rate = float64(o.shoppers) / o.duration.Seconds()
		}
	}
	if o.url != "" && (o.adminEmail == "" || o.adminPassword == "" || strings.HasSuffix(o.pushAddr, ":0")) {
		return fmt.Errorf("-url needs -admin-email, -admin-password and a fixed -push-addr the server allows")
	}
	if o.url != "" && o.compare {
		return fmt.Errorf("-compare starts a server per policy; it cannot use -url")
	}
	if o.url != "" && o.statements > 0 {
		return fmt.Errorf("-statements starts the server's PostgreSQL; with -url, load pg_stat_statements in yours")
	}
	if o.sample <= 0 {
		return fmt.Errorf("-sample must be positive")
	}
	return nil
}
