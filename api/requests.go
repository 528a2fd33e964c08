package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"helpforce/assist"
	"helpforce/people"
)

// actor is the caller as the domains see it.
func actor(c echo.Context) people.Actor {
	cl := caller(c)
	if cl == nil {
		return people.Actor{}
	}
	if cl.User == nil {
		return people.Actor{ShopperID: cl.ShopperID, Role: "shopper"}
	}
	a := people.Actor{UserID: cl.User.ID, Name: cl.User.Name, Role: cl.User.Role}
	if cl.User.StoreID != nil {
		a.StoreID = *cl.User.StoreID
	}
	return a
}

// CreateHelpRequest takes a shopper's request; a repeat with the same
// Idempotency-Key returns the first one and creates nothing.
func (s *Server) CreateHelpRequest(c echo.Context) error {
	if err := s.limit(c, "create", s.limits.Create); err != nil {
		return err
	}
	var in assist.NewRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	h, err := s.desk.Create(c.Request().Context(), actor(c), c.Request().Header.Get("Idempotency-Key"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, viewFor(actor(c), h))
}

// GetHelpRequest returns a request to those who may see it, with the latest
// page of its conversation, or with ?since= the page after a message.
func (s *Server) GetHelpRequest(c echo.Context) error {
	var page assist.Page
	if v := c.QueryParam("since"); v != "" {
		since, err := strconv.ParseInt(v, 10, 64)
		if err != nil || since < 0 {
			return &apiError{Status: http.StatusBadRequest, Code: CodeInvalidInput, Field: "since",
				Message: "since is the id of a message"}
		}
		page.Since, page.HasSince = since, true
	}
	if v := c.QueryParam("limit"); v != "" {
		limit, err := strconv.Atoi(v)
		if err != nil || limit < 1 {
			return &apiError{Status: http.StatusBadRequest, Code: CodeInvalidInput, Field: "limit",
				Message: "limit is a number of messages, at least 1"}
		}
		page.Limit = limit
	}
	return s.requestAction(c, func(id string) (any, error) {
		return s.desk.HelpRequestPage(c.Request().Context(), actor(c), id, page)
	})
}

// UpdateHelpRequest lets the shopper correct the store while waiting.
func (s *Server) UpdateHelpRequest(c echo.Context) error {
	if err := s.limit(c, "move", s.limits.Move); err != nil {
		return err
	}
	var in struct {
		StoreID string `json:"store_id"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	return s.requestAction(c, func(id string) (any, error) {
		return s.desk.ChangeStore(c.Request().Context(), actor(c), id, in.StoreID)
	})
}

// AcceptHelpRequest makes the caller the owner; the others get 409 already_taken.
func (s *Server) AcceptHelpRequest(c echo.Context) error {
	return s.requestAction(c, func(id string) (any, error) { return s.desk.Accept(c.Request().Context(), actor(c), id) })
}

// PassHelpRequest declines an offer.
func (s *Server) PassHelpRequest(c echo.Context) error {
	id, err := idParam(c, "id", "help request")
	if err != nil {
		return err
	}
	if err := s.desk.Pass(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// ResolveHelpRequest closes a request (its owner).
func (s *Server) ResolveHelpRequest(c echo.Context) error {
	return s.requestAction(c, func(id string) (any, error) { return s.desk.Resolve(c.Request().Context(), actor(c), id) })
}

// CancelHelpRequest withdraws the shopper's own request.
func (s *Server) CancelHelpRequest(c echo.Context) error {
	if err := s.limit(c, "cancel", s.limits.Cancel); err != nil {
		return err
	}
	return s.requestAction(c, func(id string) (any, error) { return s.desk.Cancel(c.Request().Context(), actor(c), id) })
}

// EscalateHelpRequest hands a request on (its owner).
func (s *Server) EscalateHelpRequest(c echo.Context) error {
	var in struct {
		To     string `json:"to"`
		Reason string `json:"reason"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	return s.requestAction(c, func(id string) (any, error) {
		return s.desk.Escalate(c.Request().Context(), actor(c), id, in.To, in.Reason)
	})
}

// AcknowledgeHelpRequest is the manager taking up an escalation.
func (s *Server) AcknowledgeHelpRequest(c echo.Context) error {
	return s.requestAction(c, func(id string) (any, error) { return s.desk.Acknowledge(c.Request().Context(), actor(c), id) })
}

// HelpRequestLog returns the hand-off log.
func (s *Server) HelpRequestLog(c echo.Context) error {
	return s.requestAction(c, func(id string) (any, error) { return s.desk.Log(c.Request().Context(), actor(c), id) })
}

// PostMessage adds to a request's conversation: text, photos, or both.
func (s *Server) PostMessage(c echo.Context) error {
	if err := s.limit(c, "message", s.limits.Message); err != nil {
		return err
	}
	var in struct {
		Body     string   `json:"body"`
		PhotoIDs []string `json:"photo_ids"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	id, err := idParam(c, "id", "help request")
	if err != nil {
		return err
	}
	m, err := s.desk.Say(c.Request().Context(), actor(c), id, in.Body, in.PhotoIDs...)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, m)
}

// RateHelpRequest records the shopper's satisfaction.
func (s *Server) RateHelpRequest(c echo.Context) error {
	var in struct {
		Score   int    `json:"score"`
		Comment string `json:"comment"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	id, err := idParam(c, "id", "help request")
	if err != nil {
		return err
	}
	if err := s.desk.Rate(c.Request().Context(), actor(c), id, in.Score, in.Comment); err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, map[string]any{"score": in.Score, "comment": in.Comment})
}

// Queue lists the waiting requests the caller may take.
func (s *Server) Queue(c echo.Context) error {
	list, err := s.desk.Queue(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// MyRequests lists the caller's open conversations (with their unread
// counts and last messages) and the escalations awaiting them.
func (s *Server) MyRequests(c echo.Context) error {
	mine, err := s.myRequests(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, mine)
}

// mine is what GET /me/requests answers.
type mine struct {
	Assigned    []assist.Conversation `json:"assigned"`
	Escalations []assist.HelpRequest  `json:"escalations"`
}

func (s *Server) myRequests(ctx context.Context, a people.Actor) (mine, error) {
	var m mine
	var err error
	if m.Assigned, err = s.desk.Conversations(ctx, a); err != nil {
		return m, err
	}
	m.Escalations, err = s.desk.Escalations(ctx, a)
	return m, err
}

func (s *Server) requestAction(c echo.Context, fn func(id string) (any, error)) error {
	id, err := idParam(c, "id", "help request")
	if err != nil {
		return err
	}
	v, err := fn(id)
	if err != nil {
		return err
	}
	if h, ok := v.(assist.HelpRequest); ok {
		v = viewFor(actor(c), h)
	}
	return c.JSON(http.StatusOK, v)
}

// viewFor is the request as the viewer may see it: a shopper sees who helps
// them by name and role, never staff ids or why the request was escalated.
func viewFor(a people.Actor, h assist.HelpRequest) assist.HelpRequest {
	if !a.IsShopper() {
		return h
	}
	if h.AssignedTo != nil {
		h.AssignedTo = &assist.Person{Name: h.AssignedTo.Name, Role: h.AssignedTo.Role}
	}
	if h.Escalation != nil {
		h.Escalation = &assist.Escalation{To: assist.Person{Name: h.Escalation.To.Name}, Acknowledged: h.Escalation.Acknowledged}
	}
	return h
}
