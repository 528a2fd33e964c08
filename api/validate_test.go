package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"helpforce/api"
)

// described is api/openapi.yaml loaded once for the whole test binary, with
// a router that finds the operation a request names.
var described = sync.OnceValues(func() (routers.Router, error) {
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	// The document's one server is "/": matching requests by path alone
	// spares the router from guessing a host for httptest's requests.
	doc.Servers = nil
	// Photos and QR codes are checked for their status and type only.
	for _, ct := range []string{"image/jpeg", "image/svg+xml"} {
		openapi3filter.RegisterBodyDecoder(ct, openapi3filter.FileBodyDecoder)
	}
	return legacy.NewRouter(doc)
})

// checkDescribed fails the test when a response to req is not one that
// api/openapi.yaml describes: an undocumented status, a missing or malformed
// header, a content type or a body shape the document does not give, or a
// body where the document says there is none. Requests for paths or methods
// the document does not describe (unknown endpoints, the app's files) have
// nothing to be checked against; TestOpenAPIMatchesRoutes keeps those to
// what the route table does not serve.
func checkDescribed(t testing.TB, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	router, err := described()
	if err != nil {
		t.Errorf("api/openapi.yaml: %v", err)
		return
	}
	route, params, err := router.FindRoute(req)
	var unrouted *routers.RouteError
	if errors.As(err, &unrouted) && (unrouted.Reason == routers.ErrPathNotFound.Error() ||
		unrouted.Reason == routers.ErrMethodNotAllowed.Error()) {
		return
	}
	if err != nil {
		t.Errorf("openapi: %s %s: %v", req.Method, req.URL.Path, err)
		return
	}
	if (rec.Code == http.StatusInternalServerError || rec.Code == http.StatusServiceUnavailable) &&
		route.Operation.Responses.Status(rec.Code) == nil {
		checkServerFailure(t, req, rec)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route,
		},
		Status:  rec.Code,
		Header:  rec.Header(),
		Body:    io.NopCloser(bytes.NewReader(rec.Body.Bytes())),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		t.Errorf("openapi: %s %s answered %d, which api/openapi.yaml does not describe: %v\nbody: %s",
			req.Method, req.URL.Path, rec.Code, err, clip(rec.Body.String()))
		return
	}
	// ValidateResponse accepts any body for a response the document gives no
	// content; a body there is a shape clients are not told about.
	if res := route.Operation.Responses.Status(rec.Code); res != nil && len(res.Value.Content) == 0 &&
		rec.Body.Len() > 0 && req.Method != http.MethodHead {
		t.Errorf("openapi: %s %s answered %d with a body (%s) that api/openapi.yaml does not describe: %s",
			req.Method, req.URL.Path, rec.Code, rec.Header().Get("Content-Type"), clip(rec.Body.String()))
	}
}

// checkServerFailure holds a 500 or 503 to what the document's description
// promises of every operation: the Error body with the code internal or
// unavailable.
func checkServerFailure(t testing.TB, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	want := map[int]string{http.StatusInternalServerError: "internal", http.StatusServiceUnavailable: "unavailable"}[rec.Code]
	var body struct {
		Error struct{ Code, Message string }
	}
	err := json.Unmarshal(rec.Body.Bytes(), &body)
	if err != nil || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") || body.Error.Code != want || body.Error.Message == "" {
		t.Errorf("openapi: %s %s answered %d without the Error body of code %s (%v): %s",
			req.Method, req.URL.Path, rec.Code, want, err, clip(rec.Body.String()))
	}
}

// clip keeps a failure message readable when a body is large.
func clip(s string) string {
	const max = 600
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

// TestResponsesAreCheckedAgainstTheDocument shows the check fails on what
// the document does not describe, so that a quiet run of the API tests means
// every response was described.
func TestResponsesAreCheckedAgainstTheDocument(t *testing.T) {
	cases := []struct {
		name, method, path string
		status             int
		contentType, body  string
		fails              bool
	}{
		{"described", "GET", "/api/v1/push/vapid-public-key", 200, "application/json", `{"key":"abc"}`, false},
		{"undocumented status", "GET", "/api/v1/push/vapid-public-key", 418, "application/json", `{"key":"abc"}`, true},
		{"wrong shape", "GET", "/api/v1/push/vapid-public-key", 200, "application/json", `{"key":7}`, true},
		{"wrong type", "GET", "/api/v1/push/vapid-public-key", 200, "text/html", `<p>key</p>`, true},
		{"error without its code", "POST", "/api/v1/shoppers", 429, "application/json", `{"error":{"message":"slow down"}}`, true},
		{"body where none is described", "POST", "/api/v1/auth/logout", 204, "application/json", `{"ok":true}`, true},
		{"undescribed path", "GET", "/api/v1/nowhere", 404, "application/json", `{}`, false},
		{"a server failure", "GET", "/api/v1/push/vapid-public-key", 500, "application/json", `{"error":{"code":"internal","message":"internal error"}}`, false},
		{"a server failure with another code", "GET", "/api/v1/push/vapid-public-key", 503, "application/json", `{"error":{"code":"internal","message":"x"}}`, true},
		{"a server failure without the Error body", "GET", "/api/v1/push/vapid-public-key", 500, "text/plain", `oops`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("Content-Type", c.contentType)
			if c.status == 429 {
				rec.Header().Set("Retry-After", "3")
			}
			rec.WriteHeader(c.status)
			rec.WriteString(c.body)
			probe := &recordingTB{TB: t}
			checkDescribed(probe, httptest.NewRequest(c.method, c.path, strings.NewReader("")), rec)
			if probe.failed != c.fails {
				t.Fatalf("check failed=%v, want %v (%s)", probe.failed, c.fails, probe.msg)
			}
		})
	}
}

// recordingTB notes a failure instead of failing the test around it.
type recordingTB struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.failed = true
	r.msg = fmt.Sprintf(format, args...)
}

// TestAHoldOfNoNumberIsRefusedAsDescribed: a quantity that is not a number
// is 400 invalid_input, which the document gives for POST /api/v1/holds
// (every e.do response is checked against it).
func TestAHoldOfNoNumberIsRefusedAsDescribed(t *testing.T) {
	e := newEnv(t)
	e.do("PUT", "/api/v1/stores/"+e.store.ID+"/inventory", e.tokens["manager"],
		`[{"sku":"TV-1","name":"OLED 55","on_hand":5,"price":999}]`).want(200)
	shopper := e.shopper()
	e.do("POST", "/api/v1/holds", shopper,
		map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": "two"}).wantError(400, "invalid_input")
	e.do("POST", "/api/v1/holds", shopper,
		map[string]any{"store_id": e.store.ID, "sku": "TV-1", "quantity": 2}).want(201)
}
