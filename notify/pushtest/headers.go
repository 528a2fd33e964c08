package pushtest

import (
	"net/http"
	"strconv"
	"strings"
)

// urgencies are the values RFC 8030 §5.3 defines, lowest first.
var urgencies = map[string]bool{"very-low": true, "low": true, "normal": true, "high": true}

// pushHeaders checks the request header fields RFC 8030 §5 gives a sender.
func pushHeaders(h http.Header) (ttl int, urgency, topic string, err error) {
	// §5.2: TTL is required; it is how long the push service may keep the
	// message for an offline user agent, as delta-seconds.
	values := h.Values("TTL")
	if len(values) == 0 {
		return 0, "", "", refuse(http.StatusBadRequest, "TTL header missing (RFC 8030 §5.2)")
	}
	v := strings.TrimSpace(values[0])
	if !digits(v) {
		return 0, "", "", refuse(http.StatusBadRequest, "TTL %q is not a non-negative integer (RFC 8030 §5.2)", values[0])
	}
	if ttl, err = strconv.Atoi(v); err != nil {
		return 0, "", "", refuse(http.StatusBadRequest, "TTL %q: %v", v, err)
	}

	if values := h.Values("Urgency"); len(values) > 0 {
		urgency = strings.TrimSpace(values[0])
		if !urgencies[urgency] {
			return 0, "", "", refuse(http.StatusBadRequest, "Urgency %q, want very-low, low, normal or high (RFC 8030 §5.3)", values[0])
		}
	}

	// §5.4: a topic replaces a pending message with the same topic; it is
	// at most 32 characters of the URL-safe base64 alphabet.
	if values := h.Values("Topic"); len(values) > 0 {
		topic = strings.TrimSpace(values[0])
		if topic == "" || len(topic) > 32 || !base64URL(topic) {
			return 0, "", "", refuse(http.StatusBadRequest, "Topic %q, want 1 to 32 base64url characters (RFC 8030 §5.4)", values[0])
		}
	}
	return ttl, urgency, topic, nil
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func base64URL(s string) bool {
	for _, c := range s {
		ok := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
		if !ok {
			return false
		}
	}
	return true
}
