package api

import (
	"bytes"
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"helpforce/reports"
)

// StoreReport answers a store's figures for a period (?from=&to=, RFC 3339
// or YYYY-MM-DD; the last 30 days by default), as JSON or, with
// ?format=csv, as a CSV file. A manager reads its own store only.
func (s *Server) StoreReport(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	if !mayManageStore(caller(c), id) {
		return errForbidden("a manager reads its own store's report only")
	}
	st, err := s.stores.Store(c.Request().Context(), id)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(st.Timezone)
	if err != nil {
		return fmt.Errorf("api: store %s has time zone %q: %w", id, st.Timezone, err)
	}
	p, err := reports.ParsePeriod(c.QueryParam("from"), c.QueryParam("to"), time.Now(), loc)
	if err != nil {
		return err
	}
	r, err := reports.Store(c.Request().Context(), s.db, id, p)
	if err != nil {
		return err
	}
	switch c.QueryParam("format") {
	case "", "json":
		return c.JSON(http.StatusOK, r)
	case "csv":
		var b bytes.Buffer
		if err := r.WriteCSV(&b); err != nil {
			return err
		}
		name := fmt.Sprintf("helpforce-report-%s-%s.csv", p.From.In(loc).Format(time.DateOnly), p.To.In(loc).Format(time.DateOnly))
		c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
		return c.Blob(http.StatusOK, "text/csv; charset=utf-8", b.Bytes())
	}
	return errInvalid("format", "format must be json or csv")
}

// StoresReport answers the headline figures of every store (admin); stores
// keep several time zones, so a date here is its midnight in UTC.
func (s *Server) StoresReport(c echo.Context) error {
	p, err := reports.ParsePeriod(c.QueryParam("from"), c.QueryParam("to"), time.Now(), time.UTC)
	if err != nil {
		return err
	}
	list, err := reports.Stores(c.Request().Context(), s.db, p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}
