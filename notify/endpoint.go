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

// pushServices are the browsers' push services: a host (or, starting with a
// dot, a domain's hosts) and the path every one of its endpoints starts with.
// The server will POST to whatever endpoint it stores, so anything else is
// refused: this is the gate against server-side request forgery, and it is
// narrow on purpose (storage.googleapis.com is not a push service).
var pushServices = []struct{ host, path string }{
	{"fcm.googleapis.com", "/fcm/send/"},             // Chrome, Edge on Android, Opera, Samsung Internet
	{"fcm.googleapis.com", "/wp/"},                   // Chrome's newer endpoints
	{"updates.push.services.mozilla.com", "/wpush/"}, // Firefox
	{".notify.windows.com", "/w/"},                   // Edge on Windows
	{"web.push.apple.com", "/"},                      // Safari
}

// refused are special-purpose ranges that Go's address predicates do not
// cover: carrier-grade NAT, benchmarking, IETF protocol assignments, and the
// NAT64 and 6to4 prefixes, which embed an IPv4 address of any kind.
var refused = []netip.Prefix{
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("2002::/16"),
}

// public reports whether ip is an ordinary public unicast address.
func public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsMulticast() || ip.IsUnspecified() || ip.IsInterfaceLocalMulticast() || !ip.IsGlobalUnicast() {
		return false
	}
	for _, p := range refused {
		if p.Contains(ip) {
			return false
		}
	}
	return true
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
		onHost := host == s.host || (strings.HasPrefix(s.host, ".") && strings.HasSuffix(host, s.host))
		if onHost && strings.HasPrefix(u.EscapedPath(), s.path) && !strings.Contains(u.Path, "/../") {
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
// special addresses (see public) unless allow-listed, so a push service host that
// resolves somewhere inside (DNS rebinding) is not reached either.
func (a AllowList) dialControl(network, address string, _ syscall.RawConn) error {
	if a.allows(address) {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("notify: refusing to dial %s", address)
	}
	if !public(ap.Addr()) {
		return fmt.Errorf("notify: refusing to dial the non-public address %s", address)
	}
	return nil
}
