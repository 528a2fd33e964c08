package api_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"

	"helpforce/pwa"
)

func embedded(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(pwa.FS(), name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func decode(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch coding {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	case "":
	default:
		t.Fatalf("unexpected Content-Encoding %q", coding)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", coding, err)
	}
	return out
}

func TestAppCompressesByAcceptEncoding(t *testing.T) {
	e := newEnv(t)
	want := embedded(t, "js/app.js")
	for _, tc := range []struct{ accept, coding string }{
		{"gzip, deflate, br, zstd", "br"},
		{"br", "br"},
		{"gzip", "gzip"},
		{"br;q=0, gzip;q=0.8", "gzip"},
		{"BR;q=0.5", "br"},
		{"*", "br"},
		{"*, br;q=0", "gzip"},
		{"identity", ""},
		{"gzip;q=0, br;q=0", ""},
		{"", ""},
	} {
		res := e.do("GET", "/js/app.js", "", nil, "Accept-Encoding", tc.accept).want(200)
		h := res.Header()
		if got := h.Get("Content-Encoding"); got != tc.coding {
			t.Fatalf("Accept-Encoding %q: Content-Encoding %q, want %q", tc.accept, got, tc.coding)
		}
		if h.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("Accept-Encoding %q: Vary %q", tc.accept, h.Get("Vary"))
		}
		if !strings.HasPrefix(h.Get("Content-Type"), "text/javascript") {
			t.Fatalf("Content-Type %q", h.Get("Content-Type"))
		}
		body := res.Body.Bytes()
		if tc.coding != "" && len(body) >= len(want) {
			t.Fatalf("%s body of %d bytes is no smaller than the file (%d)", tc.coding, len(body), len(want))
		}
		if !bytes.Equal(decode(t, tc.coding, body), want) {
			t.Fatalf("Accept-Encoding %q: the body does not decode to js/app.js", tc.accept)
		}
	}

	// Images are compressed already: sent as they are, whatever is accepted.
	icon := e.do("GET", "/icons/icon-192.png", "", nil, "Accept-Encoding", "br, gzip").want(200)
	if icon.Header().Get("Content-Encoding") != "" || !bytes.Equal(icon.Body.Bytes(), embedded(t, "icons/icon-192.png")) {
		t.Fatalf("icon headers %v", icon.Header())
	}
	if icon.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("icon type %q", icon.Header().Get("Content-Type"))
	}
}

func TestAppAnswersRevalidationWith304(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/", "/help", "/sw.js", "/manifest.webmanifest", "/css/app.css", "/icons/icon-192.png"} {
		first := e.do("GET", path, "", nil, "Accept-Encoding", "br").want(200)
		etag := first.Header().Get("ETag")
		if !strings.HasPrefix(etag, `"`) || !strings.HasSuffix(etag, `"`) || len(etag) < 10 {
			t.Fatalf("%s: ETag %q is not a strong validator", path, etag)
		}
		// Revalidated on every load, so a release reaches phones at once.
		if cc := first.Header().Get("Cache-Control"); cc != "no-cache" {
			t.Fatalf("%s: Cache-Control %q", path, cc)
		}
		again := e.do("GET", path, "", nil, "Accept-Encoding", "br", "If-None-Match", etag).want(304)
		if again.Body.Len() != 0 || again.Header().Get("ETag") != etag {
			t.Fatalf("%s: 304 with body %d bytes and ETag %q", path, again.Body.Len(), again.Header().Get("ETag"))
		}
		e.do("GET", path, "", nil, "Accept-Encoding", "br", "If-None-Match", `"an-old-release"`).want(200)
	}

	// Each encoding is a representation of its own, with its own validator: a
	// cache must not answer a gzip request with brotli bytes.
	br := e.do("GET", "/js/app.js", "", nil, "Accept-Encoding", "br").Header().Get("ETag")
	gz := e.do("GET", "/js/app.js", "", nil, "Accept-Encoding", "gzip").Header().Get("ETag")
	plain := e.do("GET", "/js/app.js", "", nil).Header().Get("ETag")
	if br == gz || gz == plain || br == plain {
		t.Fatalf("ETags br %s, gzip %s, identity %s must differ", br, gz, plain)
	}
	e.do("GET", "/js/app.js", "", nil, "Accept-Encoding", "gzip", "If-None-Match", br).want(200)
	e.do("GET", "/js/app.js", "", nil, "Accept-Encoding", "gzip", "If-None-Match", gz).want(304)

	// A different file has a different validator.
	other := e.do("GET", "/js/dom.js", "", nil, "Accept-Encoding", "br").Header().Get("ETag")
	if other == br {
		t.Fatal("two files share an ETag")
	}
}

func TestAppKeepsPoliciesForDocumentsAndWorkers(t *testing.T) {
	e := newEnv(t)
	for path, document := range map[string]bool{
		"/": true, "/help": true, "/offline.html": true, "/sw.js": true,
		"/js/app.js": false, "/css/app.css": false, "/icons/icon-192.png": false, "/manifest.webmanifest": false,
	} {
		h := e.do("GET", path, "", nil).want(200).Header()
		hasCSP := strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'")
		if hasCSP != document || (h.Get("X-Frame-Options") == "DENY") != document {
			t.Fatalf("%s: CSP %q, X-Frame-Options %q", path, h.Get("Content-Security-Policy"), h.Get("X-Frame-Options"))
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
			t.Fatalf("%s: headers %v", path, h)
		}
	}
}
