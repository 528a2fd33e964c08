package api

import (
	"net/http"

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
	var in assist.NewRequest
	if err := bind(c, &in); err != nil {
		return err
	}
	h, err := s.desk.Create(c.Request().Context(), actor(c), c.Request().Header.Get("Idempotency-Key"), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, h)
}

// GetHelpRequest returns a request to those who may see it.
func (s *Server) GetHelpRequest(c echo.Context) error {
	return s.requestAction(c, func(id string) (any, error) { return s.desk.HelpRequest(c.Request().Context(), actor(c), id) })
}

// UpdateHelpRequest lets the shopper correct the store while waiting.
func (s *Server) UpdateHelpRequest(c echo.Context) error {
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

// MyRequests lists what the caller owns and the escalations awaiting them.
func (s *Server) MyRequests(c echo.Context) error {
	assigned, escalations, err := s.desk.Mine(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"assigned": assigned, "escalations": escalations})
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
	return c.JSON(http.StatusOK, v)
}
