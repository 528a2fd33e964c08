package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"helpforce/api"
	"helpforce/config"
	"helpforce/people"
)

// apiLimits turns the configured limits into the HTTP layer's.
func apiLimits(l config.Limits) *api.Limits {
	rate := func(r config.Rate) people.Rate { return people.Rate{Burst: r.Burst, Per: r.Per} }
	action := func(a config.ActionLimit) api.ActionLimit {
		return api.ActionLimit{Shopper: rate(a.Shopper), Address: rate(a.Address)}
	}
	return &api.Limits{Create: action(l.Create), Cancel: action(l.Cancel), Move: action(l.Move),
		Message: action(l.Message), Hold: action(l.Hold), Public: rate(l.Public),
		StreamsPerCaller: l.StreamsPerCaller, StreamsPerAddress: l.StreamsPerAddress,
		StreamWriteTimeout: l.StreamWriteTimeout}
}

// serveMetrics serves Prometheus metrics on their own listener until ctx ends.
func serveMetrics(ctx context.Context, log *slog.Logger, ln net.Listener, h http.Handler) {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second, ReadTimeout: 10 * time.Second,
		WriteTimeout: 30 * time.Second}
	go func() {
		<-ctx.Done()
		_ = srv.Close()
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Warn("metrics server stopped", "err", err)
	}
}
