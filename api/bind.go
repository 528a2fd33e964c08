package api

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpforce/pg"
)

// bind decodes a JSON body into v: a body not labelled application/json is
// 415 (a cross-site form can send text/plain without a preflight, never
// application/json), wrong types and malformed JSON are 400 invalid_input,
// anything but one JSON value is refused, an oversize body is 413.
func bind(c echo.Context, v any) error {
	req := c.Request()
	ct := req.Header.Get(echo.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if (ct != "" || req.ContentLength != 0) && (err != nil || (mt != echo.MIMEApplicationJSON && mt != "application/merge-patch+json")) {
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupported,
			Message: "send the body as application/json"}
	}
	dec := json.NewDecoder(req.Body)
	if err := dec.Decode(v); err != nil {
		var he *echo.HTTPError
		var mbe *http.MaxBytesError
		switch {
		case errors.As(err, &he), errors.As(err, &mbe):
			return echo.ErrStatusRequestEntityTooLarge
		case errors.Is(err, io.EOF):
			return &apiError{Status: http.StatusBadRequest, Code: CodeInvalidInput, Message: "a JSON body is required"}
		}
		var ute *json.UnmarshalTypeError
		if errors.As(err, &ute) {
			return err
		}
		return &apiError{Status: http.StatusBadRequest, Code: CodeInvalidInput, Message: "the body is not valid JSON"}
	}
	if dec.More() {
		return &apiError{Status: http.StatusBadRequest, Code: CodeInvalidInput, Message: "the body must be a single JSON value"}
	}
	return nil
}

// idParam reads an id from the path; a malformed id names nothing, so it is 404.
func idParam(c echo.Context, name, what string) (string, error) {
	id := c.Param(name)
	if !pg.IsID(id) {
		return "", errNotFound(what)
	}
	return id, nil
}
