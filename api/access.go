package api

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"helpforce/people"
)

// Cookie names the PWA uses: the session (HttpOnly) and the CSRF token the
// app's script echoes in X-CSRF-Token on every write. The __Host- prefix makes
// browsers accept them only Secure, for this host alone and the whole path, so
// a sibling subdomain cannot plant or overwrite them.
const (
	sessionCookie = "__Host-helpforce_session"
	csrfCookie    = "__Host-helpforce_csrf"
	csrfHeader    = "X-CSRF-Token"
	callerKey     = "caller"
)

// Caller is who a request speaks for, if anyone.
type Caller struct {
	User      *people.User
	ShopperID string
	Token     string
}

func caller(c echo.Context) *Caller {
	if cl, ok := c.Get(callerKey).(*Caller); ok {
		return cl
	}
	return nil
}

// authenticate resolves a bearer token or the session cookie to a caller. It
// rejects nothing by itself, except a cookie-authenticated write without the
// matching CSRF token: cookies ride along with cross-site requests, headers do not.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		token, viaCookie := "", false
		if h := req.Header.Get(echo.HeaderAuthorization); h != "" {
			scheme, value, ok := strings.Cut(h, " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || value == "" {
				return errUnauthorized()
			}
			token = strings.TrimSpace(value)
		} else if ck, err := req.Cookie(sessionCookie); err == nil && ck.Value != "" {
			token, viaCookie = ck.Value, true
		} else if s.has(c, tokenInQuery) && safeMethod(req.Method) {
			// A browser's EventSource and <img> cannot send headers; a
			// shopper's stream or pickup QR carries its token in the URL instead.
			token = c.QueryParam("access_token")
		}
		if token == "" {
			return next(c)
		}
		sess, err := s.people.SessionByToken(req.Context(), token)
		if errors.Is(err, people.ErrNoSession) {
			if viaCookie {
				return next(c) // a stale cookie is no session, not an error
			}
			return errUnauthorized()
		}
		if err != nil {
			return err
		}
		if viaCookie && !safeMethod(req.Method) && !people.SameToken(req.Header.Get(csrfHeader), sess.CSRFToken) {
			return errForbidden("missing or wrong " + csrfHeader + " header")
		}
		if sess.User != nil && sess.User.MustChangePassword && !beforePasswordChange[c.Path()] &&
			strings.HasPrefix(c.Path(), "/api/") {
			return &apiError{Status: http.StatusForbidden, Code: CodePasswordChange,
				Message: "choose a new password first (PUT /api/v1/me/password)"}
		}
		c.Set(callerKey, &Caller{User: sess.User, ShopperID: sess.ShopperID, Token: token})
		return next(c)
	}
}

// beforePasswordChange are the routes a person with a temporary password may
// use: who am I, choose a new password, sign out.
var beforePasswordChange = map[string]bool{
	"/api/v1/me":                     true,
	"/api/v1/me/password":            true,
	"/api/v1/auth/login":             true,
	"/api/v1/auth/logout":            true,
	"/api/v1/auth/logout-everywhere": true,
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// staff admits signed-in staff with one of roles (any role when none is given).
func staff(roles ...people.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			cl := caller(c)
			if cl == nil {
				return errUnauthorized()
			}
			if cl.User == nil {
				return errForbidden("this is for staff")
			}
			if len(roles) > 0 && !slices.Contains(roles, cl.User.Role) {
				return errForbidden("your role may not do this")
			}
			return next(c)
		}
	}
}

// signedIn admits anyone with a session, staff or shopper.
func signedIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if caller(c) == nil {
			return errUnauthorized()
		}
		return next(c)
	}
}

// mayManageStore reports whether the caller may change store storeID:
// admins everywhere, managers in their own store.
func mayManageStore(cl *Caller, storeID string) bool {
	if cl == nil || cl.User == nil {
		return false
	}
	return cl.User.Role == people.RoleAdmin || (cl.User.Role == people.RoleManager && cl.User.InStore(storeID))
}
