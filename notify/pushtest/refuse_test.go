package pushtest_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"helpforce/notify/pushtest"
)

// rewrite is an HTTP client that alters a genuine webpush-go request before
// sending it, to hand-craft one fault at a time.
type rewrite func(*http.Request)

func (f rewrite) Do(r *http.Request) (*http.Response, error) {
	f(r)
	return http.DefaultClient.Do(r)
}

func header(name, value string) rewrite {
	return func(r *http.Request) {
		if value == "" {
			r.Header.Del(name)
		} else {
			r.Header.Set(name, value)
		}
	}
}

func body(change func([]byte) []byte) rewrite {
	return func(r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		b = change(b)
		r.Body, r.ContentLength, r.GetBody = io.NopCloser(bytes.NewReader(b)), int64(len(b)), nil
	}
}

// token is a VAPID token made by hand, to reach the checks webpush-go never
// fails.
type token struct {
	alg    string
	claims map[string]any
	signer *ecdsa.PrivateKey // signs the token
	key    *ecdsa.PrivateKey // whose public key goes in k=
	der    bool              // sign in ASN.1 DER instead of R||S
}

func (tk token) authorization(t *testing.T) rewrite {
	t.Helper()
	enc := base64.RawURLEncoding
	h, _ := json.Marshal(map[string]string{"typ": "JWT", "alg": tk.alg})
	c, _ := json.Marshal(tk.claims)
	signed := enc.EncodeToString(h) + "." + enc.EncodeToString(c)
	digest := sha256.Sum256([]byte(signed))
	var sig []byte
	if tk.der {
		var err error
		if sig, err = ecdsa.SignASN1(rand.Reader, tk.signer, digest[:]); err != nil {
			t.Fatal(err)
		}
	} else {
		r, s, err := ecdsa.Sign(rand.Reader, tk.signer, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		sig = make([]byte, 64)
		r.FillBytes(sig[:32])
		s.FillBytes(sig[32:])
	}
	pub, err := tk.key.PublicKey.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	return header("Authorization", "vapid t="+signed+"."+enc.EncodeToString(sig)+", k="+enc.EncodeToString(pub))
}

func p256(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestRefusesInvalidRequests(t *testing.T) {
	signer, other := p256(t), p256(t)
	claims := func(change func(map[string]any)) func(origin string) map[string]any {
		return func(origin string) map[string]any {
			c := map[string]any{"aud": origin, "exp": time.Now().Add(time.Hour).Unix(), "sub": "mailto:ops@example.com"}
			if change != nil {
				change(c)
			}
			return c
		}
	}
	forged := func(alg string, cl func(string) map[string]any, signer, key *ecdsa.PrivateKey, der bool) func(*testing.T, string) rewrite {
		return func(t *testing.T, origin string) rewrite {
			return token{alg: alg, claims: cl(origin), signer: signer, key: key, der: der}.authorization(t)
		}
	}
	plain := func(rw rewrite) func(*testing.T, string) rewrite {
		return func(*testing.T, string) rewrite { return rw }
	}

	tests := []struct {
		name    string
		rewrite func(*testing.T, string) rewrite
		status  int
		reason  string
	}{
		{"forged but valid token", forged("ES256", claims(nil), signer, signer, false), 201, ""},
		{"no Authorization", plain(header("Authorization", "")), 401, "no Authorization"},
		{"unknown scheme", plain(header("Authorization", "Bearer abc")), 403, "scheme"},
		{"no k=", plain(header("Authorization", "vapid t=a.b.c")), 403, "k="},
		{"alg not ES256", forged("HS256", claims(nil), signer, signer, false), 403, "ES256"},
		{"signed by another key", forged("ES256", claims(nil), other, signer, false), 403, "does not verify"},
		{"DER signature", forged("ES256", claims(nil), signer, signer, true), 403, "R||S"},
		{"aud of another origin", forged("ES256", claims(func(c map[string]any) { c["aud"] = "https://push.example.net" }), signer, signer, false), 403, "aud"},
		{"expired", forged("ES256", claims(func(c map[string]any) { c["exp"] = time.Now().Add(-time.Minute).Unix() }), signer, signer, false), 403, "has passed"},
		{"exp beyond 24 h", forged("ES256", claims(func(c map[string]any) { c["exp"] = time.Now().Add(25 * time.Hour).Unix() }), signer, signer, false), 403, "24 h"},
		{"no sub", forged("ES256", claims(func(c map[string]any) { delete(c, "sub") }), signer, signer, false), 403, "sub missing"},
		{"sub without scheme", forged("ES256", claims(func(c map[string]any) { c["sub"] = "ops@example.com" }), signer, signer, false), 403, "sub"},
		{"no TTL", plain(header("TTL", "")), 400, "TTL header missing"},
		{"negative TTL", plain(header("TTL", "-1")), 400, "TTL"},
		{"fractional TTL", plain(header("TTL", "1.5")), 400, "TTL"},
		{"unknown Urgency", plain(header("Urgency", "urgent")), 400, "Urgency"},
		{"Topic too long", plain(header("Topic", strings.Repeat("a", 33))), 400, "Topic"},
		{"Topic outside base64url", plain(header("Topic", "req 123")), 400, "Topic"},
		{"aesgcm coding", plain(header("Content-Encoding", "aesgcm")), 415, "aes128gcm"},
		{"no Content-Encoding", plain(header("Content-Encoding", "")), 415, "aes128gcm"},
		{"tampered ciphertext", plain(body(func(b []byte) []byte { b[len(b)-20] ^= 1; return b })), 400, "authentication failed"},
		{"body over 4096", plain(body(func(b []byte) []byte { return append(b, 0) })), 413, "4096"},
		{"truncated header", plain(body(func(b []byte) []byte { return b[:40] })), 400, "key id"},
		{"key id not a P-256 key", plain(body(func(b []byte) []byte { b[20] = 64; return b })), 400, "key id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := pushtest.New(t)
			resp, err := send(t, svc.Subscribe(), newVAPIDKeys(t), "hello", tt.rewrite(t, svc.URL()))
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d; rejections %q", resp.StatusCode, tt.status, svc.Rejections())
			}
			if tt.status == http.StatusCreated {
				if m := svc.Wait(t, 1, time.Second); string(m[0].Plaintext) != "hello" {
					t.Errorf("plaintext %q", m[0].Plaintext)
				}
				return
			}
			if tt.status == http.StatusUnauthorized && resp.Header.Get("WWW-Authenticate") == "" {
				t.Error("401 without a WWW-Authenticate challenge")
			}
			assertOneRejection(t, svc, tt.reason)
		})
	}
}

func TestAcceptsLegacyWebPushScheme(t *testing.T) {
	svc := pushtest.New(t)
	legacy := rewrite(func(r *http.Request) {
		tk, k, _ := strings.Cut(strings.TrimPrefix(r.Header.Get("Authorization"), "vapid t="), ", k=")
		r.Header.Set("Authorization", "WebPush "+tk)
		r.Header.Set("Crypto-Key", "dh=unused;p256ecdsa="+k)
	})
	resp, err := send(t, svc.Subscribe(), newVAPIDKeys(t), "legacy", legacy)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d, want 201; rejections %q", resp.StatusCode, svc.Rejections())
	}
	if m := svc.Wait(t, 1, time.Second); string(m[0].Plaintext) != "legacy" {
		t.Errorf("plaintext %q", m[0].Plaintext)
	}
}
