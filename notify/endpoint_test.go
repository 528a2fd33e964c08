package notify_test

import (
	"strings"
	"testing"

	"helpforce/fault"
	"helpforce/notify"
	"helpforce/notify/pushtest"
)

// TestEndpointGate is the SSRF matrix: the server POSTs to stored endpoints,
// so only browser push services (and allow-listed test hosts) get through.
func TestEndpointGate(t *testing.T) {
	allow := notify.NewAllowList([]string{"127.0.0.1:9999", "localhost:8088"})
	cases := []struct {
		endpoint string
		ok       bool
	}{
		{"https://fcm.googleapis.com/fcm/send/abc:def", true},
		{"https://fcm.googleapis.com/wp/abc", true},
		{"https://android.googleapis.com/gcm/send/abc", false},            // retired GCM, and not fcm
		{"https://storage.googleapis.com/bucket/object", false},           // a googleapis host that is no push service
		{"https://fcm.googleapis.com/v1/projects/p/messages:send", false}, // FCM, but not a browser endpoint
		{"https://fcm.googleapis.com/fcm/send/../../v1/x", false},         // climbing out of the prefix
		{"https://updates.push.services.mozilla.com/other", false},        // Mozilla, wrong path
		{"https://evil.push.services.mozilla.com/wpush/v2/x", false},      // not Mozilla's push host
		{"https://updates.push.services.mozilla.com/wpush/v2/gAAA", true},
		{"https://wns2-par02p.notify.windows.com/w/?token=BQYAAA", true},
		{"https://web.push.apple.com/QGz1", true},
		{"https://FCM.googleapis.com/fcm/send/x", true},
		{"http://127.0.0.1:9999/push/1", true},
		{"http://localhost:8088/push/1", true},
		{"http://fcm.googleapis.com/fcm/send/abc", false},                  // plain http
		{"https://fcm.googleapis.com:8443/fcm/send/abc", false},            // odd port
		{"https://evil.example.com/push", false},                           // not a push service
		{"https://googleapis.com.evil.example/push", false},                // suffix trick
		{"https://evilgoogleapis.com/push", false},                         // no dot boundary
		{"https://user:pw@fcm.googleapis.com/fcm/send/x", false},           // credentials
		{"https://142.250.74.10/fcm/send/x", false},                        // IP literal
		{"https://[2a00:1450::1]/fcm/send/x", false},                       // IPv6 literal
		{"http://127.0.0.1/push", false},                                   // loopback
		{"http://127.0.0.1:9998/push", false},                              // loopback, other port
		{"http://10.0.0.5:9999/push", false},                               // private
		{"http://169.254.169.254/latest/meta-data", false},                 // cloud metadata
		{"https://localhost/push", false},                                  // loopback name
		{"file:///etc/passwd", false},                                      // not http
		{"gopher://fcm.googleapis.com/x", false},                           // scheme
		{"fcm.googleapis.com/fcm/send/x", false},                           // not absolute
		{"", false},                                                        // empty
		{"https://fcm.googleapis.com/" + strings.Repeat("a", 2000), false}, // huge
	}
	for _, c := range cases {
		err := allow.CheckEndpoint(c.endpoint)
		if (err == nil) != c.ok {
			t.Errorf("%q: error %v, want ok=%v", c.endpoint, err, c.ok)
		}
		if err != nil {
			if f, isFault := fault.As(err); !isFault || f.Kind != fault.KindInvalid || f.Field != "endpoint" {
				t.Errorf("%q: refusal %v is not invalid input on endpoint", c.endpoint, err)
			}
		}
	}
}

func TestSubscriptionKeys(t *testing.T) {
	good := pushtest.New(t).Subscribe()
	offCurve := "BAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	cases := []struct {
		name, p256dh, auth string
		ok                 bool
	}{
		{"browser keys", good.P256dh, good.Auth, true},
		{"padded", good.P256dh + "=", good.Auth + "==", true},
		{"not base64", "!!!", good.Auth, false},
		{"compressed point", "A" + good.P256dh[1:44], good.Auth, false},
		{"off the curve", offCurve, good.Auth, false},
		{"short auth", good.P256dh, "AAAA", false},
		{"empty", "", "", false},
	}
	for _, c := range cases {
		if err := notify.CheckKeys(c.p256dh, c.auth); (err == nil) != c.ok {
			t.Errorf("%s: %v, want ok=%v", c.name, err, c.ok)
		}
	}
}

// TestDialerRefusesSpecialRanges: a push host that resolves into a special
// range (DNS rebinding) is not dialled.
func TestDialerRefusesSpecialRanges(t *testing.T) {
	allow := notify.NewAllowList(nil)
	for _, addr := range []string{"100.64.0.1:443", "100.127.255.254:443", "198.18.0.1:443", "198.19.255.1:443",
		"192.0.0.8:443", "[64:ff9b::a00:1]:443", "[2002:a00:1::1]:443", "127.0.0.1:443", "10.1.2.3:443",
		"[::ffff:169.254.169.254]:443", "[fd00::1]:443"} {
		if err := notify.DialControl(allow, "tcp", addr); err == nil {
			t.Errorf("dialling %s was allowed", addr)
		}
	}
	for _, addr := range []string{"142.250.74.10:443", "[2a00:1450:4007::1]:443", "100.128.0.1:443", "198.20.0.1:443"} {
		if err := notify.DialControl(allow, "tcp", addr); err != nil {
			t.Errorf("dialling the public %s was refused: %v", addr, err)
		}
	}
}
