package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"helpforce/notify"
	"helpforce/people"
)

// VAPIDPublicKey is the key the app subscribes with.
func (s *Server) VAPIDPublicKey(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.JSON(http.StatusOK, map[string]string{"key": s.push.PublicKey()})
}

// Subscribe stores the caller's push subscription for this device.
func (s *Server) Subscribe(c echo.Context) error {
	var in notify.Subscription
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.push.Subscribe(c.Request().Context(), owner(caller(c)), in); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]string{"endpoint": in.Endpoint})
}

// Unsubscribe forgets one of the caller's devices.
func (s *Server) Unsubscribe(c echo.Context) error {
	var in struct {
		Endpoint string `json:"endpoint"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	if in.Endpoint == "" {
		return errInvalid("endpoint", "endpoint is required")
	}
	if err := s.push.Unsubscribe(c.Request().Context(), owner(caller(c)), in.Endpoint); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func owner(cl *Caller) notify.Owner {
	session := people.TokenHash(cl.Token)
	if cl.User != nil {
		return notify.Owner{UserID: cl.User.ID, Session: session}
	}
	return notify.Owner{ShopperID: cl.ShopperID, Session: session}
}
