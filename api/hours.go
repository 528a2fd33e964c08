package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"helpforce/stores"
)

// StoreHours returns a store's opening hours (public: they are on the door).
func (s *Server) StoreHours(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	h, err := s.stores.Hours(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}

// SetStoreHours replaces a store's opening hours whole (admin, or the
// store's manager).
func (s *Server) SetStoreHours(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	if !mayManageStore(caller(c), id) {
		return errForbidden("only an admin or this store's manager may set its opening hours")
	}
	var in stores.NewHours
	if err := bind(c, &in); err != nil {
		return err
	}
	h, err := s.stores.SetHours(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}
