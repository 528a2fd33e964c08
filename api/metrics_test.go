package api_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// metrics reads what the metrics address serves.
func (e *env) metrics() string {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.srv.MetricsHandler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if rec.Code != http.StatusOK {
		e.t.Fatalf("metrics: status %d", rec.Code)
	}
	return rec.Body.String()
}

// TestMetricsAreNotPublic: /metrics is served on its own address only.
func TestMetricsAreNotPublic(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/metrics", "", nil).wantError(http.StatusNotFound, "not_found")
	if !strings.Contains(e.metrics(), "go_goroutines") {
		t.Fatal("the metrics handler serves no runtime metrics")
	}
}

// TestInventedMethodsShareOneLabel: a client that sends made-up methods
// cannot grow the metrics by one time series per method.
func TestInventedMethodsShareOneLabel(t *testing.T) {
	e := newEnv(t)
	for _, m := range []string{"BREW", "X-ATTACK-1", "X-ATTACK-2"} {
		for _, path := range []string{"/api/v1/stores", "/api/v1/nothing", "/healthz"} {
			if res := e.do(m, path, "", nil); res.Code < 400 {
				t.Fatalf("%s %s answered %d", m, path, res.Code)
			}
		}
	}
	e.do("DELETE", "/api/v1/stores", "", nil)
	body := e.metrics()
	for _, bad := range []string{"BREW", "X-ATTACK"} {
		if strings.Contains(body, bad) {
			t.Fatalf("an invented method %q is a label:\n%s", bad, body)
		}
	}
	for _, want := range []string{`method="other",route="/api/v1/stores",status="405"`, `method="DELETE",route="/api/v1/stores"`} {
		if !strings.Contains(body, want) {
			t.Fatalf("metrics lack %s:\n%s", want, body)
		}
	}
}
