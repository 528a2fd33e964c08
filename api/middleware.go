package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

const requestIDKey = "request_id"

var sane = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID keeps a well-formed incoming X-Request-Id from a trusted
// proxy (anyone else could plant ids in our logs) or makes one.
func (s *Server) withRequestID(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if !sane.MatchString(id) || !s.fromTrustedProxy(c) {
			b := make([]byte, 8)
			_, _ = rand.Read(b)
			id = hex.EncodeToString(b)
		}
		c.Set(requestIDKey, id)
		c.Response().Header().Set(echo.HeaderXRequestID, id)
		return next(c)
	}
}

func requestID(c echo.Context) string {
	id, _ := c.Get(requestIDKey).(string)
	return id
}

// contentSecurityPolicy allows only the app's own files: no inline script,
// no third-party origin, and no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("Permissions-Policy", "geolocation=(self), camera=(self), microphone=()")
		return next(c)
	}
}

// observe logs every request with its id and feeds the request metrics.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			s.handleError(err, c)
		}
		status := c.Response().Status
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		elapsed := time.Since(start)
		s.metrics.observe(methodLabel(c.Request().Method), route, strconv.Itoa(status), elapsed)
		level := slog.LevelDebug
		if status >= 500 {
			level = slog.LevelWarn
		}
		if ctx := c.Request().Context(); s.log.Enabled(ctx, level) {
			s.log.Log(ctx, level, "request", "request_id", requestID(c), "method", c.Request().Method, "route", route,
				"status", status, "duration_ms", float64(elapsed.Microseconds())/1000, "ip", c.RealIP())
		}
		return nil
	}
}

// methodLabel maps a request's method to a fixed set: a client may send any
// token as a method, and each new label value would be a new time series.
func methodLabel(m string) string {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return m
	}
	return "other"
}

func (s *Server) recoverer() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableStackAll:   true,
		DisablePrintStack: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			s.log.Error("panic", "request_id", requestID(c), "err", err, "stack", string(stack))
			return err
		},
	})
}

// bodyLimit caps every request body, except on routes declared with their
// own cap (ownBodyLimit): an inventory import's (largeBody), a photo's
// (UploadPhoto).
func (s *Server) bodyLimit() echo.MiddlewareFunc {
	return middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{
		Limit:   strconv.FormatInt(s.opts.BodyLimit, 10) + "B",
		Skipper: func(c echo.Context) bool { return s.has(c, ownBodyLimit) },
	})
}

// largeBody allows an inventory file of 100,000 rows and more.
func (s *Server) largeBody() echo.MiddlewareFunc {
	return middleware.BodyLimit(strconv.FormatInt(s.opts.ImportLimit, 10) + "B")
}

func contextTimeout(d time.Duration, skip func(echo.Context) bool) echo.MiddlewareFunc {
	return middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{Timeout: d, Skipper: skip})
}

// endWithServer ends a streaming request (an event stream, an inventory
// import) when the server shuts down: it would never finish by itself, and
// Shutdown waits for the requests under way. Every other request is left to
// finish, so that a stopping server answers what it took.
func (s *Server) endWithServer(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.has(c, streaming) {
			return next(c)
		}
		ctx, cancel := context.WithCancel(c.Request().Context())
		defer cancel()
		defer context.AfterFunc(s.stopping, cancel)()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}
