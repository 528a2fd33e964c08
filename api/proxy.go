package api

import (
	"net"
	"net/netip"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// fromTrustedProxy reports whether the connection comes from one of the
// configured proxies, whose X-Forwarded-* and X-Request-Id headers are believed.
func (s *Server) fromTrustedProxy(c echo.Context) bool {
	peer, ok := peerAddr(c)
	if !ok {
		return false
	}
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(peer) {
			return true
		}
	}
	return false
}

func peerAddr(c echo.Context) (netip.Addr, bool) {
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		host = c.Request().RemoteAddr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.Unmap(), true
}

// secure reports whether the client reached us over HTTPS: directly with TLS,
// or through a trusted proxy that says so. Anyone else's X-Forwarded-Proto is
// ignored.
func (s *Server) secure(c echo.Context) bool {
	if c.Request().TLS != nil {
		return true
	}
	return s.fromTrustedProxy(c) && strings.EqualFold(c.Request().Header.Get(echo.HeaderXForwardedProto), "https")
}

// scheme is the scheme the client used, as far as we may believe.
func (s *Server) scheme(c echo.Context) string {
	if s.secure(c) {
		return "https"
	}
	return "http"
}

// hsts tells browsers to use HTTPS only, on responses that came over HTTPS
// (a header sent over plain http would be ignored, and would be wrong).
func (s *Server) hsts(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.secure(c) {
			c.Response().Header().Set("Strict-Transport-Security", "max-age=31536000")
		}
		return next(c)
	}
}

// proxyWarning logs once when X-Forwarded-For arrives from a private or
// loopback address while no proxy is trusted: the server is most likely behind
// a proxy whose clients all count as the proxy's one address for rate limits.
type proxyWarning struct{ once sync.Once }

func (s *Server) warnUntrustedProxy(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(s.opts.TrustedProxies) == 0 && c.Request().Header.Get(echo.HeaderXForwardedFor) != "" {
			if peer, ok := peerAddr(c); ok && (peer.IsPrivate() || peer.IsLoopback()) {
				s.proxyWarned.once.Do(func() {
					s.log.Warn("X-Forwarded-For arrives from a private address but HELPFORCE_TRUSTED_PROXIES is unset: "+
						"every client behind the proxy shares its address for rate limits; set HELPFORCE_TRUSTED_PROXIES",
						"proxy", peer.String())
				})
			}
		}
		return next(c)
	}
}

// publicBase is the app's address as printed into shelf QR codes: the
// configured HELPFORCE_PUBLIC_URL, else the request's Host when it is one of
// HELPFORCE_ALLOWED_HOSTS (or, with no list, a loopback name for trying
// things out). Any other Host is refused: a forged Host must never end up
// printed on a shelf or in a cached image.
func (s *Server) publicBase(c echo.Context) (string, bool) {
	if s.opts.PublicURL != "" {
		return strings.TrimRight(s.opts.PublicURL, "/"), true
	}
	host := strings.ToLower(c.Request().Host)
	if len(s.opts.AllowedHosts) > 0 {
		for _, h := range s.opts.AllowedHosts {
			if strings.EqualFold(h, host) {
				return s.scheme(c) + "://" + host, true
			}
		}
		return "", false
	}
	name, _, err := net.SplitHostPort(host)
	if err != nil {
		name = host
	}
	name = strings.Trim(name, "[]")
	if a, err := netip.ParseAddr(name); (err == nil && a.IsLoopback()) || name == "localhost" {
		return s.scheme(c) + "://" + host, true
	}
	return "", false
}
