package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"helpforce/fault"
	"helpforce/pg"
)

// The error catalog: every error a client sees has one of these codes.
const (
	CodeInvalidInput = "invalid_input"
	CodeUnauthorized = "unauthorized"
	CodeForbidden    = "forbidden"
	// CodePasswordChange (403): the person signed in with a temporary
	// password and must choose a new one before anything else.
	CodePasswordChange    = "password_change_required"
	CodeNotFound          = "not_found"
	CodeAlreadyTaken      = "already_taken"
	CodeAlreadyExists     = "already_exists"
	CodeInsufficientStock = "insufficient_stock"
	CodeInvalidState      = "invalid_state"
	CodeRateLimited       = "rate_limited"
	CodeTooLarge          = "payload_too_large"
	CodeMethodNotAllowed  = "method_not_allowed"
	CodeUnsupported       = "unsupported_media_type"
	CodeUnavailable       = "unavailable"
	CodeInternal          = "internal"
	// Abuse limits (see the README, "Security → Abuse limits").
	CodeConversationFull = "conversation_full"  // 409: the conversation has its most messages
	CodeMessageTooLarge  = "message_too_large"  // 422: a message past the byte cap
	CodeTooManyMoves     = "too_many_moves"     // 409: a request changed store too often
	CodeHoldLimitReached = "hold_limit_reached" // 409: units of a product held from one address today
)

// apiError is an error with everything the client is told.
type apiError struct {
	Status     int           `json:"-"`
	Code       string        `json:"code"`
	Message    string        `json:"message"`
	Field      string        `json:"field,omitempty"`
	RetryAfter time.Duration `json:"-"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func errInvalid(field, msg string) error {
	return &apiError{Status: http.StatusUnprocessableEntity, Code: CodeInvalidInput, Field: field, Message: msg}
}

func errUnauthorized() error {
	return &apiError{Status: http.StatusUnauthorized, Code: CodeUnauthorized, Message: "sign in first"}
}

func errForbidden(msg string) error {
	return &apiError{Status: http.StatusForbidden, Code: CodeForbidden, Message: msg}
}

func errNotFound(what string) error {
	return &apiError{Status: http.StatusNotFound, Code: CodeNotFound, Message: what + " not found"}
}

func errRateLimited(retry time.Duration) error {
	return &apiError{Status: http.StatusTooManyRequests, Code: CodeRateLimited,
		Message: "too many attempts; try again later", RetryAfter: retry}
}

// statusClientClosed is recorded for requests whose client hung up before
// the answer (nginx's 499): neither the server's fault nor the client's input.
const statusClientClosed = 499

// retryUnavailable is the Retry-After given with 503: the database usually
// returns within seconds of a restart or failover.
const retryUnavailable = 2 * time.Second

func errUnavailable() *apiError {
	return &apiError{Status: http.StatusServiceUnavailable, Code: CodeUnavailable,
		Message: "the service is briefly unavailable; try again in a moment", RetryAfter: retryUnavailable}
}

// fromFault maps a domain refusal to its HTTP status and code.
func fromFault(f *fault.Error) *apiError {
	e := &apiError{Code: f.Code, Message: f.Message, Field: f.Field}
	switch f.Kind {
	case fault.KindInvalid:
		e.Status = http.StatusUnprocessableEntity
		if e.Code == "" {
			e.Code = CodeInvalidInput
		}
	case fault.KindNotFound:
		e.Status, e.Code = http.StatusNotFound, CodeNotFound
	case fault.KindConflict:
		e.Status = http.StatusConflict
		if e.Code == "" {
			e.Code = CodeAlreadyExists
		}
	case fault.KindState:
		e.Status, e.Code = http.StatusConflict, CodeInvalidState
	case fault.KindForbidden:
		e.Status, e.Code = http.StatusForbidden, CodeForbidden
	}
	return e
}

// fromEcho maps Echo's own errors (routing, binding, body limit) into the catalog.
func fromEcho(he *echo.HTTPError) *apiError {
	msg := http.StatusText(he.Code)
	switch he.Code {
	case http.StatusNotFound:
		return &apiError{Status: he.Code, Code: CodeNotFound, Message: "no such endpoint"}
	case http.StatusMethodNotAllowed:
		return &apiError{Status: he.Code, Code: CodeMethodNotAllowed, Message: "method not allowed here"}
	case http.StatusRequestEntityTooLarge:
		return &apiError{Status: he.Code, Code: CodeTooLarge, Message: "the request body is too large"}
	case http.StatusUnsupportedMediaType:
		return &apiError{Status: he.Code, Code: CodeUnsupported, Message: "send application/json"}
	case http.StatusBadRequest:
		return &apiError{Status: he.Code, Code: CodeInvalidInput, Message: "the request is malformed"}
	case http.StatusUnauthorized:
		return &apiError{Status: he.Code, Code: CodeUnauthorized, Message: "sign in first"}
	case http.StatusServiceUnavailable:
		return errUnavailable()
	}
	if he.Code >= 500 {
		return nil
	}
	return &apiError{Status: he.Code, Code: CodeInvalidInput, Message: msg}
}

// handleError is the one place errors become responses.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	ae := s.describe(err, c)
	if ae.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(ae.RetryAfter.Seconds()+0.999)))
	}
	if c.Request().Method == http.MethodHead {
		err = c.NoContent(ae.Status)
	} else {
		err = c.JSON(ae.Status, map[string]any{"error": ae})
	}
	if err != nil {
		s.log.Warn("writing an error response failed", "request_id", requestID(c), "err", err)
	}
}

// describe maps any error to what the client is told. Internal errors are
// logged with the request id and answered with a generic message.
func (s *Server) describe(err error, c echo.Context) *apiError {
	var ae *apiError
	var he *echo.HTTPError
	var ute *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &ae):
	case errors.As(err, &ute):
		ae = &apiError{Status: http.StatusBadRequest, Code: CodeInvalidInput, Field: ute.Field,
			Message: "the field " + strconv.Quote(ute.Field) + " has the wrong type"}
	case errors.As(err, &se):
		ae = &apiError{Status: http.StatusBadRequest, Code: CodeInvalidInput, Message: "the body is not valid JSON"}
	default:
		if f, ok := fault.As(err); ok {
			ae = fromFault(f)
		} else if errors.As(err, &he) {
			ae = fromEcho(he)
		}
	}
	if ae == nil && errors.Is(err, context.Canceled) && c.Request().Context().Err() != nil {
		// The client hung up; nobody reads the answer. 499, as proxies log it.
		s.log.Debug("client went away", "request_id", requestID(c), "path", c.Path())
		ae = &apiError{Status: statusClientClosed, Code: CodeUnavailable, Message: "the client closed the request"}
	}
	if ae == nil && pg.Transient(err) {
		// A deadlock or serialization failure that survived the domain's own
		// retry: nothing was written, and trying again works.
		s.log.Warn("transaction rolled back by a conflict", "request_id", requestID(c), "method", c.Request().Method,
			"path", c.Path(), "err", err)
		ae = errUnavailable()
	}
	if ae == nil && pg.Unavailable(err) {
		// The database is down, restarting or out of reach: the client is told
		// to retry, and the log says so without calling it a bug.
		s.log.Warn("database unavailable", "request_id", requestID(c), "method", c.Request().Method,
			"path", c.Path(), "err", err)
		ae = errUnavailable()
	}
	if ae == nil {
		s.log.Error("request failed", "request_id", requestID(c), "method", c.Request().Method,
			"path", c.Path(), "err", err)
		ae = &apiError{Status: http.StatusInternalServerError, Code: CodeInternal,
			Message: "something went wrong on our side; try again, and quote request " + requestID(c)}
	}
	return ae
}
