package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// TypingHelpRequest tells the other side of the conversation that the
// caller is writing. Nothing is stored; signals faster than one every 2
// seconds are dropped without an error, so clients need not count.
func (s *Server) TypingHelpRequest(c echo.Context) error {
	id, err := idParam(c, "id", "help request")
	if err != nil {
		return err
	}
	if err := s.desk.Typing(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// SeenHelpRequest records how far the caller has read the conversation.
func (s *Server) SeenHelpRequest(c echo.Context) error {
	var in struct {
		MessageID int64 `json:"message_id"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	id, err := idParam(c, "id", "help request")
	if err != nil {
		return err
	}
	if err := s.desk.Seen(c.Request().Context(), actor(c), id, in.MessageID); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// StoreFloor is the store right now, for its manager (and admins): who is
// available, busy or on a break, what waits, who helps whom since when.
func (s *Server) StoreFloor(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	f, err := s.desk.Floor(c.Request().Context(), actor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, f)
}
