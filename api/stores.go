package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"helpforce/people"
	"helpforce/stores"
)

// CreateStore adds a store (admin).
func (s *Server) CreateStore(c echo.Context) error {
	var in stores.NewStore
	if err := bind(c, &in); err != nil {
		return err
	}
	st, err := s.stores.CreateStore(c.Request().Context(), in)
	if err != nil {
		return err
	}
	s.indexStore(st)
	return c.JSON(http.StatusCreated, st)
}

// UpdateStore replaces a store's description and area (admin).
func (s *Server) UpdateStore(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	var in stores.NewStore
	if err := bind(c, &in); err != nil {
		return err
	}
	st, err := s.stores.UpdateStore(c.Request().Context(), id, in)
	if err != nil {
		return err
	}
	s.indexStore(st)
	return c.JSON(http.StatusOK, st)
}

// isAdmin: only admins, who draw footprints, see a store's H3 cells; to
// anyone else they are a map of where the stores are, to the metre.
func isAdmin(c echo.Context) bool {
	cl := caller(c)
	return cl != nil && cl.User != nil && cl.User.Role == people.RoleAdmin
}

// GetStore returns one store.
func (s *Server) GetStore(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	st, err := s.stores.Store(c.Request().Context(), id)
	if err != nil {
		return err
	}
	if !isAdmin(c) {
		st.Cells = nil
	}
	return c.JSON(http.StatusOK, st)
}

// CreateDepartment adds a department (admin, or the store's manager).
func (s *Server) CreateDepartment(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	if !mayManageStore(caller(c), id) {
		return errForbidden("only an admin or this store's manager may add departments")
	}
	var in struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	if err := bind(c, &in); err != nil {
		return err
	}
	d, err := s.stores.CreateDepartment(c.Request().Context(), id, in.Code, in.Name)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, d)
}

// ListDepartments lists a store's departments (public: shoppers choose one).
func (s *Server) ListDepartments(c echo.Context) error {
	id, err := idParam(c, "id", "store")
	if err != nil {
		return err
	}
	if _, err := s.stores.Store(c.Request().Context(), id); err != nil {
		return err
	}
	list, err := s.stores.Departments(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, list)
}

// indexStore files a store this replica just wrote, so the next lookup here
// sees it; other replicas hear of it through the database.
func (s *Server) indexStore(st stores.Store) {
	if err := s.places.Put(st); err != nil {
		s.log.Warn("store not indexed", "store_id", st.ID, "err", err)
	}
}
