package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"helpforce/pg"
)

// Healthz says the process is up.
func (s *Server) Healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

// Readyz says whether this replica can serve: the database answers and its
// schema is the one this binary expects.
func (s *Server) Readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	applied, latest, err := pg.SchemaStatus(ctx, s.db)
	if err != nil {
		s.log.Warn("readiness: database unreachable", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "database": "unreachable"})
	}
	if applied != latest {
		return c.JSON(http.StatusServiceUnavailable, map[string]any{"status": "unavailable",
			"database": "schema behind", "schema_version": applied, "expected_version": latest})
	}
	return c.JSON(http.StatusOK, map[string]any{"status": "ready", "schema_version": applied})
}

// MetricsHandler serves Prometheus metrics. It is kept off the public
// address: serve it on an address only the monitoring reaches.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	return mux
}
