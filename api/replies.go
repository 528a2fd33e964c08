package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type replyInput struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

// ListReplies lists the saved replies (agents, admins).
func (s *Server) ListReplies(c echo.Context) error {
	list, err := s.desk.Replies(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// CreateReply adds a saved reply (admin).
func (s *Server) CreateReply(c echo.Context) error {
	var in replyInput
	if err := bind(c, &in); err != nil {
		return err
	}
	r, err := s.desk.SaveReply(c.Request().Context(), "", in.Title, in.Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, r)
}

// UpdateReply replaces a saved reply (admin).
func (s *Server) UpdateReply(c echo.Context) error {
	id, err := idParam(c, "id", "saved reply")
	if err != nil {
		return err
	}
	var in replyInput
	if err := bind(c, &in); err != nil {
		return err
	}
	r, err := s.desk.SaveReply(c.Request().Context(), id, in.Title, in.Body)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, r)
}

// DeleteReply removes a saved reply (admin).
func (s *Server) DeleteReply(c echo.Context) error {
	id, err := idParam(c, "id", "saved reply")
	if err != nil {
		return err
	}
	if err := s.desk.DeleteReply(c.Request().Context(), id); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// StoreRequests lists a store's recent requests (its manager, agents, admins).
func (s *Server) StoreRequests(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	list, err := s.desk.StoreRequests(c.Request().Context(), actor(c), id, c.QueryParam("status"), 100)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}
