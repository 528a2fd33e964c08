package notify

import (
	"context"
	"crypto/ecdh"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"strings"
	"syscall"

	"helpforce/fault"
)

// pushServices are the hosts of the browsers' push services. The server will
// POST to whatever endpoint it stores, so anything else is refused: this is
// the gate against server-side request forgery.
var pushServices = []string{
	"fcm.googleapis.com",         // Chrome, Edge on Android, Opera, Samsung Internet
	".googleapis.com",            // older Chrome endpoints (android.googleapis.com, …)
	".push.services.mozilla.com", // Firefox
	".notify.windows.com",        // Edge on Windows
	".push.apple.com",            // Safari
}

// AllowList holds the host:port pairs that may be used over plain http or on
// private addresses (HELPFORCE_PUSH_ALLOW_HOSTS: tests and development).
type AllowList struct {
	hosts map[string]bool // "host:port" as configured and as resolved to addresses
}

// NewAllowList resolves the configured host:port pairs once, so the dialer
// can match the addresses it connects to.
func NewAllowList(hostPorts []string) AllowList {
	a := AllowList{hosts: map[string]bool{}}
	for _, hp := range hostPorts {
		host, port, err := net.SplitHostPort(strings.ToLower(hp))
		if err != nil {
			continue
		}
		a.hosts[net.JoinHostPort(host, port)] = true
		addrs, _ := net.DefaultResolver.LookupHost(context.Background(), host)
		for _, ip := range addrs {
			a.hosts[net.JoinHostPort(ip, port)] = true
		}
	}
	return a
}

func (a AllowList) allows(hostPort string) bool { return a.hosts[strings.ToLower(hostPort)] }

// CheckEndpoint refuses any endpoint that is not https on a known push
// service (or an allow-listed host:port).
func (a AllowList) CheckEndpoint(raw string) error {
	bad := fault.Invalid("endpoint", "the endpoint must be an https URL of a browser push service")
	if len(raw) > 1024 {
		return bad
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" {
		return bad
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if port == "" {
		port = map[string]string{"https": "443", "http": "80"}[u.Scheme]
	}
	if a.allows(net.JoinHostPort(host, port)) && (u.Scheme == "https" || u.Scheme == "http") {
		return nil
	}
	if u.Scheme != "https" || port != "443" {
		return bad
	}
	if _, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		return bad // an IP literal is never a push service
	}
	for _, s := range pushServices {
		if host == s || (strings.HasPrefix(s, ".") && strings.HasSuffix(host, s)) {
			return nil
		}
	}
	return bad
}

// CheckKeys validates a subscription's keys: p256dh must be an uncompressed
// P-256 point on the curve, auth 16 bytes (RFC 8291 §3).
func CheckKeys(p256dh, auth string) error {
	pub, err := decodeB64(p256dh)
	if err != nil || len(pub) != 65 || pub[0] != 4 {
		return fault.Invalid("keys.p256dh", "p256dh must be a base64url uncompressed P-256 public key")
	}
	if _, err := ecdh.P256().NewPublicKey(pub); err != nil {
		return fault.Invalid("keys.p256dh", "p256dh is not a point on the P-256 curve")
	}
	if a, err := decodeB64(auth); err != nil || len(a) != 16 {
		return fault.Invalid("keys.auth", "auth must be 16 bytes, base64url encoded")
	}
	return nil
}

// dialControl refuses connections to loopback, private, link-local and other
// special addresses unless allow-listed, so a push service host that
// resolves somewhere inside (DNS rebinding) is not reached either.
func (a AllowList) dialControl(network, address string, _ syscall.RawConn) error {
	if a.allows(address) {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("notify: refusing to dial %s", address)
	}
	ip := ap.Addr().Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() || !ip.IsGlobalUnicast() {
		return fmt.Errorf("notify: refusing to dial the non-public address %s", address)
	}
	return nil
}
