package api

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"helpforce/fault"
	"helpforce/geo"
	"helpforce/stores"
)

// Locate places a phone's position in a store, honestly: inside one store,
// ambiguous between a few, near some, or nowhere.
func (s *Server) Locate(c echo.Context) error {
	pt, acc, err := geo.ParseQuery(c.QueryParam("lat"), c.QueryParam("lng"), c.QueryParam("accuracy"))
	var in *geo.InputError
	if errors.As(err, &in) {
		return &apiError{Status: http.StatusBadRequest, Code: CodeInvalidInput, Field: in.Field, Message: in.Error()}
	}
	if err != nil {
		return err
	}
	m := s.places.Locate(pt, acc)
	if m.Confidence == string(geo.None) {
		// Nothing within walking distance: the closest stores still help a
		// shopper at home choose one.
		m.Candidates = s.places.Nearest(pt, stores.HomeRadiusKm, geo.NearbyLimit)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, m)
}

// CreateSpot adds a shelf spot and answers with its code and the URL its QR
// code carries (the store's manager, or an admin).
func (s *Server) CreateSpot(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	if !mayManageStore(caller(c), id) {
		return errForbidden("only an admin or this store's manager may add spots")
	}
	if _, err := s.stores.Store(c.Request().Context(), id); err != nil {
		return err
	}
	var in struct {
		Department string `json:"department"`
		Label      string `json:"label"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	spot, err := s.stores.CreateSpot(c.Request().Context(), id, in.Department, in.Label)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, s.spotView(c, spot.Code, spot))
}

// ListSpots lists a store's spots, for the printable sheet.
func (s *Server) ListSpots(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	if !mayManageStore(caller(c), id) {
		return errForbidden("only an admin or this store's manager may list spots")
	}
	list, err := s.stores.Spots(c.Request().Context(), id)
	if err != nil {
		return err
	}
	out := make([]any, 0, len(list))
	for _, sp := range list {
		out = append(out, s.spotView(c, sp.Code, sp))
	}
	return c.JSON(http.StatusOK, out)
}

// GetSpot says which store and department a shelf code stands for (public).
func (s *Server) GetSpot(c echo.Context) error {
	spot, err := s.stores.Spot(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	st, ok := s.places.Summary(spot.StoreID)
	if !ok {
		return fault.NotFound("spot")
	}
	// The store's departments come along, so a shopper who scanned the code
	// sees the request form after one round trip, not two.
	deps, err := s.stores.Departments(c.Request().Context(), spot.StoreID)
	if err != nil {
		return err
	}
	v := map[string]any{"code": spot.Code, "store": st, "department": spot.Department,
		"department_name": spot.DepartmentName, "label": spot.Label, "departments": deps}
	if link, ok := s.spotURL(c, spot.Code); ok {
		v["url"] = link
	}
	return c.JSON(http.StatusOK, v)
}

// SpotQR draws a spot's QR code as SVG.
func (s *Server) SpotQR(c echo.Context) error {
	spot, err := s.stores.Spot(c.Request().Context(), c.Param("code"))
	if err != nil {
		return err
	}
	link, ok := s.spotURL(c, spot.Code)
	if !ok {
		return errNoPublicURL()
	}
	svg, err := qrSVG(link, spot.Label)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=86400")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

func (s *Server) spotView(c echo.Context, code string, spot any) map[string]any {
	v := map[string]any{"code": code, "qr_url": "/api/v1/spots/" + code + "/qr.svg", "spot": spot}
	if link, ok := s.spotURL(c, code); ok {
		v["url"] = link
	}
	return v
}

// spotURL is what the QR code carries: the app's Get help, pre-filled; not
// ok when the app's public address is unknown (see publicBase).
func (s *Server) spotURL(c echo.Context, code string) (string, bool) {
	base, ok := s.publicBase(c)
	if !ok {
		return "", false
	}
	return base + "/help?spot=" + url.QueryEscape(code), true
}

func errNoPublicURL() error {
	return &apiError{Status: http.StatusConflict, Code: CodeInvalidState,
		Message: "this address is not one the app answers to; set HELPFORCE_PUBLIC_URL or HELPFORCE_ALLOWED_HOSTS"}
}
