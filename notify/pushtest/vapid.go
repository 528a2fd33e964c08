package pushtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// maxExp is how far ahead a VAPID token may expire (RFC 8292 §2).
const maxExp = 24 * time.Hour

// verifyVAPID checks the application server's self-identification (RFC 8292)
// and returns the JWT claims and the k= key as sent. A missing header is 401
// and any fault in it 403, the codes RFC 8292 §4.2 suggests for absent and
// invalid authentication.
func verifyVAPID(h http.Header, origin string, required []byte, now time.Time) (map[string]any, string, error) {
	token, k, err := authorization(h)
	if err != nil {
		return nil, "", err
	}
	key, err := decodeKey(k)
	if err != nil {
		return nil, "", refuse(http.StatusForbidden, "vapid: k=: %v", err)
	}
	if required != nil && !bytes.Equal(key, required) {
		// RFC 8292 §4.2: a restricted subscription takes only its own key.
		return nil, "", refuse(http.StatusForbidden, "vapid: k= is not the key the subscription is restricted to")
	}
	claims, err := verifyJWT(token, key)
	if err != nil {
		return nil, "", refuse(http.StatusForbidden, "vapid: %v", err)
	}
	if err := checkClaims(claims, origin, now); err != nil {
		return nil, "", refuse(http.StatusForbidden, "vapid: %v", err)
	}
	return claims, k, nil
}

// authorization extracts the token and key. RFC 8292 §3 puts both in
// "Authorization: vapid t=…, k=…"; the "WebPush <jwt>" scheme with the key
// in "Crypto-Key: p256ecdsa=…" is the form of its earlier drafts, which some
// senders still use.
func authorization(h http.Header) (token, key string, err error) {
	auth := strings.TrimSpace(h.Get("Authorization"))
	if auth == "" {
		return "", "", refuse(http.StatusUnauthorized, "vapid: no Authorization header")
	}
	scheme, params, _ := strings.Cut(auth, " ")
	switch strings.ToLower(scheme) {
	case "vapid":
		for p := range strings.SplitSeq(params, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(p), "=")
			value = strings.Trim(strings.TrimSpace(value), `"`)
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "t":
				token = value
			case "k":
				key = value
			}
		}
	case "webpush":
		token = strings.TrimSpace(params)
		for p := range strings.FieldsFuncSeq(h.Get("Crypto-Key"), func(r rune) bool { return r == ',' || r == ';' }) {
			if name, value, _ := strings.Cut(strings.TrimSpace(p), "="); strings.EqualFold(name, "p256ecdsa") {
				key = strings.Trim(value, `"`)
			}
		}
	default:
		return "", "", refuse(http.StatusForbidden, "vapid: Authorization scheme %q, want vapid (RFC 8292 §3)", scheme)
	}
	if token == "" || key == "" {
		return "", "", refuse(http.StatusForbidden, "vapid: Authorization needs both t= and k= (RFC 8292 §3.1, §3.2)")
	}
	return token, key, nil
}

// verifyJWT checks a compact JWS signed with ES256 against key and returns
// its claims.
func verifyJWT(token string, key []byte) (map[string]any, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errors.New("JWT is not three dot-separated parts")
	}
	var header struct {
		Alg string `json:"alg"`
	}
	if err := decodeJSON(parts[0], &header); err != nil {
		return nil, errors.New("JWT header: " + err.Error())
	}
	// RFC 8292 §2: the token is signed with ECDSA on P-256 and SHA-256.
	if header.Alg != "ES256" {
		return nil, errors.New("JWT alg " + header.Alg + ", want ES256 (RFC 8292 §2)")
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, errors.New("JWT signature: " + err.Error())
	}
	// RFC 7518 §3.4: an ES256 signature is R and S as two 32-octet
	// big-endian integers, not the DER form crypto libraries produce.
	if len(sig) != 64 {
		return nil, errors.New("JWT signature is not 64 octets of R||S (RFC 7518 §3.4)")
	}
	pub, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), key)
	if err != nil {
		return nil, errors.New("k= is not a P-256 public key: " + err.Error())
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub, digest[:], r, s) {
		return nil, errors.New("JWT signature does not verify against k=")
	}
	var claims map[string]any
	if err := decodeJSON(parts[1], &claims); err != nil {
		return nil, errors.New("JWT claims: " + err.Error())
	}
	return claims, nil
}

// checkClaims applies RFC 8292 §2 to the claims a valid signature vouches for.
func checkClaims(claims map[string]any, origin string, now time.Time) error {
	// §2: aud is the origin of the push resource, so a token cannot be
	// replayed against another push service.
	if !hasAudience(claims["aud"], origin) {
		return errors.New("aud " + describe(claims["aud"]) + ", want " + origin + " (RFC 8292 §2)")
	}
	exp, ok := claims["exp"].(float64)
	if !ok {
		return errors.New("exp missing or not a number (RFC 8292 §2)")
	}
	expires := time.Unix(int64(exp), 0)
	if !expires.After(now) {
		return errors.New("exp " + expires.UTC().Format(time.RFC3339) + " has passed")
	}
	if expires.Sub(now) > maxExp {
		return errors.New("exp " + expires.UTC().Format(time.RFC3339) + " is more than 24 h ahead (RFC 8292 §2)")
	}
	// §2.1 only says SHOULD, but push services differ in how strictly they
	// enforce it; insisting here catches a missing contact before one does.
	sub, _ := claims["sub"].(string)
	if !strings.HasPrefix(sub, "mailto:") && !strings.HasPrefix(sub, "https:") {
		return errors.New("sub " + describe(claims["sub"]) + ", want a mailto: or https: URI (RFC 8292 §2.1)")
	}
	return nil
}

// hasAudience accepts aud as a string or, as RFC 7519 §4.1.3 allows, an
// array of strings.
func hasAudience(aud any, origin string) bool {
	switch aud := aud.(type) {
	case string:
		return aud == origin
	case []any:
		for _, a := range aud {
			if a == origin {
				return true
			}
		}
	}
	return false
}

func describe(v any) string {
	if v == nil {
		return "missing"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func decodeJSON(segment string, v any) error {
	raw, err := base64.RawURLEncoding.DecodeString(segment)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// decodeKey decodes a base64url uncompressed P-256 public key, with or
// without padding, and checks it is one.
func decodeKey(s string) ([]byte, error) {
	key, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return nil, errors.New("not base64url: " + err.Error())
	}
	if _, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), key); err != nil {
		return nil, errors.New("not an uncompressed P-256 public key: " + err.Error())
	}
	return key, nil
}
