package api

import (
	"encoding/json"
	"mime"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"helpforce/holds"
)

// ImportInventory replaces a store's counts from CSV (text/csv: sku,name,on_hand[,price][,gtin])
// or JSON, in one transaction. A client that accepts application/x-ndjson
// gets progress lines ({"rows": n}) while the import runs, then the result
// ({"upserted": n, "below_held": […]}) or {"error": {…}} as the last line.
func (s *Server) ImportInventory(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	if !mayManageStore(caller(c), id) {
		return errForbidden("only an admin or this store's manager may import inventory")
	}
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	importer := s.holds.ImportJSON
	switch mt {
	case "text/csv":
		importer = s.holds.ImportCSV
	case echo.MIMEApplicationJSON:
	default:
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupported,
			Message: "send text/csv (sku,name,on_hand[,price][,gtin]) or application/json"}
	}
	ctx := c.Request().Context()
	if c.Request().Header.Get(echo.HeaderAccept) != "application/x-ndjson" {
		res, err := importer(ctx, id, c.Request().Body, nil)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, res)
	}
	w := c.Response()
	// HTTP/1.1 servers stop reading a request once the response has begun;
	// progress lines go out while the upload is still being read.
	if err := http.NewResponseController(w).EnableFullDuplex(); err != nil {
		return err
	}
	w.Header().Set(echo.HeaderContentType, "application/x-ndjson")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	res, err := importer(ctx, id, c.Request().Body, func(rows int) {
		_ = enc.Encode(map[string]int{"rows": rows})
		w.Flush()
	})
	if err != nil {
		ae := s.describe(err, c)
		return enc.Encode(map[string]any{"error": ae})
	}
	return enc.Encode(res)
}

// Products searches a store's products by SKU prefix or name (public).
func (s *Server) Products(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	if code := c.QueryParam("gtin"); code != "" {
		list, err := s.holds.ProductsByGTIN(c.Request().Context(), id, code)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, list)
	}
	limit, _ := strconv.Atoi(c.QueryParam("limit"))
	list, err := s.holds.Products(c.Request().Context(), id, c.QueryParam("q"), limit)
	if err != nil {
		return err
	}
	if a := actor(c); a.StaffOf(id) || a.Central() {
		return c.JSON(http.StatusOK, list)
	}
	// Anyone else learns whether they can have it, not the store's counts
	// (what a competitor would scrape).
	out := make([]publicProduct, len(list))
	for i, p := range list {
		out[i] = publicProduct{SKU: p.SKU, Name: p.Name, Price: p.Price, Available: p.Available}
	}
	return c.JSON(http.StatusOK, out)
}

// publicProduct is a product as shoppers and strangers see it.
type publicProduct struct {
	SKU       string   `json:"sku"`
	Name      string   `json:"name"`
	Price     *float64 `json:"price"`
	Available int      `json:"available"`
}

// PlaceHold puts units aside; a repeat with the same Idempotency-Key
// returns the first hold.
func (s *Server) PlaceHold(c echo.Context) error {
	if err := s.limit(c, "hold", s.limits.Hold); err != nil {
		return err
	}
	var in holds.NewHold
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Client = clientKey(c)
	h, err := s.holds.Place(c.Request().Context(), actor(c), c.Request().Header.Get("Idempotency-Key"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, h)
}

// GetHold returns a hold to its shopper and the store's staff.
func (s *Server) GetHold(c echo.Context) error {
	return s.holdAction(c, func(id string) (holds.Hold, error) { return s.holds.Hold(c.Request().Context(), actor(c), id) })
}

// HoldQR draws the hold's pickup code as a QR code for the desk to scan.
func (s *Server) HoldQR(c echo.Context) error {
	id, err := idParam(c, "id", "hold")
	if err != nil {
		return err
	}
	h, err := s.holds.Hold(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	svg, err := qrSVG(h.PickupCode, "Pickup code "+h.PickupCode)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "private, no-cache")
	return c.Blob(http.StatusOK, "image/svg+xml", svg)
}

// ReadyHold marks a hold ready at the pickup desk (staff of the store).
func (s *Server) ReadyHold(c echo.Context) error {
	return s.holdAction(c, func(id string) (holds.Hold, error) { return s.holds.Ready(c.Request().Context(), actor(c), id) })
}

// PickupHold hands the units over against the pickup code (staff of the store).
func (s *Server) PickupHold(c echo.Context) error {
	var in struct {
		PickupCode string `json:"pickup_code"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	return s.holdAction(c, func(id string) (holds.Hold, error) {
		return s.holds.Pickup(c.Request().Context(), actor(c), id, in.PickupCode)
	})
}

// CancelHold releases a hold's units.
func (s *Server) CancelHold(c echo.Context) error {
	return s.holdAction(c, func(id string) (holds.Hold, error) { return s.holds.Cancel(c.Request().Context(), actor(c), id) })
}

// StoreHolds lists a store's holds, by status (staff).
func (s *Server) StoreHolds(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	list, err := s.holds.StoreHolds(c.Request().Context(), actor(c), id, c.QueryParam("status"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// HoldByCode finds an open hold of the store from its pickup code, as the
// pickup screen scans it (staff).
func (s *Server) HoldByCode(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	h, err := s.holds.HoldByCode(c.Request().Context(), actor(c), id, c.Param("code"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}

// MyHolds lists the shopper's holds.
func (s *Server) MyHolds(c echo.Context) error {
	list, err := s.holds.ShopperHolds(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

func (s *Server) holdAction(c echo.Context, fn func(id string) (holds.Hold, error)) error {
	id, err := idParam(c, "id", "hold")
	if err != nil {
		return err
	}
	h, err := fn(id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, h)
}
