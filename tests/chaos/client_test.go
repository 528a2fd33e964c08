package chaos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// client calls the API as one device, from its own address (X-Forwarded-For).
type client struct {
	base  string
	token string
	ip    string
	http  *http.Client
}

var nextIP atomic.Int64

func (w *world) client(token string) *client {
	n := nextIP.Add(1)
	return &client{base: w.base(), token: token, ip: fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255),
		http: &http.Client{Timeout: 5 * time.Second}}
}

// reply is an answer: status, headers and the decoded JSON body (if any).
type reply struct {
	Status int
	Header http.Header
	Body   map[string]any
	Raw    []byte
}

// code is the error code of an error answer.
func (r reply) code() string {
	e, _ := r.Body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}

func (r reply) str(key string) string { s, _ := r.Body[key].(string); return s }

// call sends a JSON request; a transport error is returned as is.
func (c *client) call(method, path string, body any, headers ...string) (reply, error) {
	var rd io.Reader
	if text, ok := body.(string); ok {
		rd = strings.NewReader(text)
	} else if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return reply{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("X-Forwarded-For", c.ip)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return reply{}, err
	}
	r := reply{Status: res.StatusCode, Header: res.Header, Raw: raw}
	_ = json.Unmarshal(raw, &r.Body)
	return r, nil
}

// must sends a request that has to answer want.
func (c *client) must(t testing.TB, want int, method, path string, body any, headers ...string) reply {
	t.Helper()
	r, err := c.call(method, path, body, headers...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	if r.Status != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, r.Status, want, r.Raw)
	}
	return r
}
