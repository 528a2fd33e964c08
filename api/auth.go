package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpforce/people"
)

type loginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

type loginResponse struct {
	Token     string      `json:"token"`
	CSRFToken string      `json:"csrf_token"`
	User      people.User `json:"user"`
}

// maxEmail is the longest address RFC 5321 lets through; anything longer is
// refused before it is hashed into a key or looked up.
const maxEmail = 254

// Login exchanges an email and password for a token and a session cookie.
// Attempts are limited per address and per account-and-address, and counted
// before the password is checked: guessing stops long before it succeeds,
// and nobody can lock a person out from somewhere else.
func (s *Server) Login(c echo.Context) error {
	var in loginRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if email == "" {
		return errInvalid("email", "email is required")
	}
	if len(email) > maxEmail {
		return errInvalid("email", "an email address is at most 254 characters")
	}
	if in.Password == "" {
		return errInvalid("password", "password is required")
	}
	ctx := c.Request().Context()
	addr := clientKey(c)
	ok, retry, err := s.people.Hit(ctx, "login:ip:"+addr, s.opts.LoginPerIP)
	if err != nil {
		return err
	}
	if !ok {
		return errRateLimited(retry)
	}
	pairKey := "login:" + addr + ":" + email
	if ok, retry, err = s.people.CountAttempt(ctx, pairKey, s.opts.LoginBackoff); err != nil {
		return err
	} else if !ok {
		return errRateLimited(retry)
	}
	user, err := s.people.Authenticate(ctx, email, in.Password)
	if errors.Is(err, people.ErrBadCredentials) {
		return &apiError{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Message: "email or password is wrong"}
	}
	if err != nil {
		return err
	}
	if err := s.people.ClearAttempts(ctx, pairKey); err != nil {
		return err
	}
	// Signing in on a browser signs out whoever was signed in on it before,
	// with their device's push subscription, so a shared phone alerts only
	// the person now holding it.
	if ck, err := c.Request().Cookie(sessionCookie); err == nil && ck.Value != "" {
		if err := s.people.EndSession(ctx, ck.Value); err != nil {
			return err
		}
	}
	token, csrf, err := s.people.NewSession(ctx, user.ID, s.people.SessionTTL)
	if err != nil {
		return err
	}
	s.setSessionCookies(c, token, csrf, s.people.SessionTTL)
	return c.JSON(http.StatusOK, loginResponse{Token: token, CSRFToken: csrf, User: user})
}

// Logout revokes the caller's token and clears the cookies. The push
// subscription this device registered with the session goes with it.
func (s *Server) Logout(c echo.Context) error {
	if err := s.people.EndSession(c.Request().Context(), caller(c).Token); err != nil {
		return err
	}
	s.setSessionCookies(c, "", "", -1)
	return c.NoContent(http.StatusNoContent)
}

// LogoutEverywhere ends every session of the caller, this one included.
func (s *Server) LogoutEverywhere(c echo.Context) error {
	if err := s.people.EndSessions(c.Request().Context(), caller(c).User.ID); err != nil {
		return err
	}
	s.setSessionCookies(c, "", "", -1)
	return c.NoContent(http.StatusNoContent)
}

// ChangeMyPassword replaces the caller's password and ends their other sessions.
func (s *Server) ChangeMyPassword(c echo.Context) error {
	var in struct {
		Current string `json:"current_password"`
		New     string `json:"new_password"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Current == "" {
		return errInvalid("current_password", "current_password is required")
	}
	cl := caller(c)
	ctx := c.Request().Context()
	// A stolen session must not become a password oracle: wrong current
	// passwords count like failed sign-ins.
	key := "password:" + cl.User.ID
	if ok, retry, err := s.people.CountAttempt(ctx, key, s.opts.LoginBackoff); err != nil {
		return err
	} else if !ok {
		return errRateLimited(retry)
	}
	if err := s.people.ChangePassword(ctx, cl.User.ID, cl.Token, in.Current, in.New); err != nil {
		return err
	}
	if err := s.people.ClearAttempts(ctx, key); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// Me returns the signed-in member of staff, read afresh (a session may be
// kept in memory, and the account's presence and load move all day), or
// the shopper's identity.
func (s *Server) Me(c echo.Context) error {
	cl := caller(c)
	if cl.User == nil {
		return c.JSON(http.StatusOK, map[string]string{"id": cl.ShopperID, "role": "shopper"})
	}
	u, err := s.people.User(c.Request().Context(), cl.User.ID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, u)
}

// SetMyStatus sets the caller's presence.
func (s *Server) SetMyStatus(c echo.Context) error {
	var in struct {
		Status string `json:"status"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u, err := s.people.SetStatus(ctx, caller(c).User.ID, in.Status)
	if err != nil {
		return err
	}
	if u.Status == "available" {
		// Free again: offered the oldest request they may take, at once.
		if err := s.desk.FreeAgain(ctx, u.ID); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, u)
}

// CreateShopper issues an anonymous identity for one device.
func (s *Server) CreateShopper(c echo.Context) error {
	ctx := c.Request().Context()
	id, token, retry, err := s.people.NewShopperWithin(ctx, s.opts.ShopperTTL, "shopper:ip:"+clientKey(c), s.opts.ShoppersPerIP)
	if err != nil {
		return err
	}
	if id == "" {
		return errRateLimited(retry)
	}
	return c.JSON(http.StatusCreated, map[string]string{"id": id, "token": token})
}

// setSessionCookies sets (or, with maxAge < 0, clears) the PWA's cookies.
func (s *Server) setSessionCookies(c echo.Context, token, csrf string, ttl time.Duration) {
	maxAge := int(ttl.Seconds())
	if ttl < 0 {
		maxAge = -1
	}
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", MaxAge: maxAge,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteStrictMode})
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: csrf, Path: "/", MaxAge: maxAge,
		Secure: true, SameSite: http.SameSiteStrictMode})
}
