package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"helpforce/people"
	"helpforce/pg"
)

// CreateUser adds an account. Admins create anyone; a manager creates floor
// staff and managers of its own store only.
func (s *Server) CreateUser(c echo.Context) error {
	var in people.NewUser
	if err := bind(c, &in); err != nil {
		return err
	}
	cl := caller(c)
	if cl.User.Role == people.RoleManager {
		if in.Role != people.RoleFloor && in.Role != people.RoleManager {
			return errForbidden("managers create floor staff and managers only")
		}
		if in.StoreID == nil || !cl.User.InStore(*in.StoreID) {
			return errForbidden("managers create accounts in their own store only")
		}
	}
	if in.StoreID != nil && *in.StoreID != "" && !pg.IsID(*in.StoreID) {
		return errInvalid("store_id", "no such store")
	}
	u, err := s.people.CreateUser(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, u)
}

// ListUsers lists accounts: a manager sees its store's, an admin everyone's
// or one store's with ?store_id=.
func (s *Server) ListUsers(c echo.Context) error {
	cl := caller(c)
	storeID := c.QueryParam("store_id")
	if cl.User.Role == people.RoleManager {
		storeID = *cl.User.StoreID
	} else if storeID != "" && !pg.IsID(storeID) {
		return errInvalid("store_id", "no such store")
	}
	users, err := s.people.Users(c.Request().Context(), storeID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, users)
}

// UpdateUser changes a person's name, skills or whether they may sign in.
// A manager changes the floor staff of its own store only.
func (s *Server) UpdateUser(c echo.Context) error {
	id, err := idParam(c, "id", "user")
	if err != nil {
		return err
	}
	var in people.Change
	if err := bind(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	target, err := s.people.User(ctx, id)
	if err != nil {
		return err
	}
	cl := caller(c)
	if beyondManager(*cl.User, target) {
		return errForbidden("managers change the floor staff of their own store only")
	}
	if cl.User.Role == people.RoleManager && in.Capacity != nil {
		return errForbidden("only an admin sets a person's capacity")
	}
	if target.ID == cl.User.ID && in.Active != nil && !*in.Active {
		return errInvalid("active", "you cannot deactivate yourself")
	}
	u, err := s.people.UpdateUser(ctx, id, in)
	if err != nil {
		return err
	}
	if in.Capacity != nil && u.Status == "available" {
		if err := s.desk.FreeAgain(ctx, u.ID); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, u)
}

// ResetPassword gives a person a temporary password they must change at their
// next sign-in, and signs them out everywhere. Admins reset anyone but
// themselves; a manager resets the floor staff of its own store.
func (s *Server) ResetPassword(c echo.Context) error {
	id, err := idParam(c, "id", "user")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	target, err := s.people.User(ctx, id)
	if err != nil {
		return err
	}
	cl := caller(c)
	if beyondManager(*cl.User, target) {
		return errForbidden("managers reset the passwords of their own store's floor staff only")
	}
	if target.ID == cl.User.ID {
		return errInvalid("id", "change your own password with PUT /api/v1/me/password")
	}
	temp, err := s.people.ResetPassword(ctx, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]string{"temporary_password": temp})
}

// DispatchSettings returns the chain's dispatch defaults.
func (s *Server) DispatchSettings(c echo.Context) error {
	d, err := s.people.Dispatch(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// SetDispatchSettings changes the chain's dispatch defaults: the capacity new
// remote agents take.
func (s *Server) SetDispatchSettings(c echo.Context) error {
	var in people.DispatchSettings
	if err := bind(c, &in); err != nil {
		return err
	}
	d, err := s.people.SetDispatch(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// beyondManager reports whether cl is a manager and target is not one of the
// floor staff of its store, the only people a manager manages.
func beyondManager(cl, target people.User) bool {
	return cl.Role == people.RoleManager && (target.Role != people.RoleFloor || target.StoreID == nil || !cl.InStore(*target.StoreID))
}
