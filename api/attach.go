package api

import (
	"github.com/labstack/echo/v4"
)

// AttachProduct makes an open request about a product scanned or typed in its
// chat (`{gtin}`); both sides then see it on the request's card. It counts
// against the message limit: each change reaches every screen of the request.
func (s *Server) AttachProduct(c echo.Context) error {
	if err := s.limit(c, "message", s.limits.Message); err != nil {
		return err
	}
	var in struct {
		GTIN string `json:"gtin"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	return s.requestAction(c, func(id string) (any, error) {
		return s.desk.AttachProduct(c.Request().Context(), actor(c), id, in.GTIN)
	})
}
