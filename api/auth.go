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

// Login exchanges an email and password for a token and a session cookie.
// Attempts are limited per IP and, for failures, per account, so that
// guessing a password stops long before it succeeds.
func (s *Server) Login(c echo.Context) error {
	var in loginRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	if strings.TrimSpace(in.Email) == "" {
		return errInvalid("email", "email is required")
	}
	if in.Password == "" {
		return errInvalid("password", "password is required")
	}
	ctx := c.Request().Context()
	ok, retry, err := s.people.Hit(ctx, "login:ip:"+c.RealIP(), s.opts.LoginPerIP)
	if err != nil {
		return err
	}
	if !ok {
		return errRateLimited(retry)
	}
	accountKey := "login:account:" + strings.ToLower(strings.TrimSpace(in.Email))
	exceeded, retry, err := s.people.Exceeded(ctx, accountKey, s.opts.LoginPerAccount)
	if err != nil {
		return err
	}
	if exceeded {
		return errRateLimited(retry)
	}
	user, err := s.people.Authenticate(ctx, in.Email, in.Password)
	if errors.Is(err, people.ErrBadCredentials) {
		if _, _, err := s.people.Hit(ctx, accountKey, s.opts.LoginPerAccount); err != nil {
			return err
		}
		return &apiError{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Message: "email or password is wrong"}
	}
	if err != nil {
		return err
	}
	token, csrf, err := s.people.NewSession(ctx, user.ID, "", s.people.SessionTTL)
	if err != nil {
		return err
	}
	s.setSessionCookies(c, token, csrf, s.people.SessionTTL)
	return c.JSON(http.StatusOK, loginResponse{Token: token, CSRFToken: csrf, User: user})
}

// Logout revokes the caller's token and clears the cookies.
func (s *Server) Logout(c echo.Context) error {
	if err := s.people.EndSession(c.Request().Context(), caller(c).Token); err != nil {
		return err
	}
	s.setSessionCookies(c, "", "", -1)
	return c.NoContent(http.StatusNoContent)
}

// Me returns the signed-in member of staff, or the shopper's identity.
func (s *Server) Me(c echo.Context) error {
	cl := caller(c)
	if cl.User == nil {
		return c.JSON(http.StatusOK, map[string]string{"id": cl.ShopperID, "role": "shopper"})
	}
	return c.JSON(http.StatusOK, cl.User)
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
	ok, retry, err := s.people.Hit(ctx, "shopper:ip:"+c.RealIP(), s.opts.ShoppersPerIP)
	if err != nil {
		return err
	}
	if !ok {
		return errRateLimited(retry)
	}
	id, token, err := s.people.NewShopper(ctx, s.opts.ShopperTTL)
	if err != nil {
		return err
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
