package api

import (
	"time"

	"github.com/labstack/echo/v4"

	"helpforce/people"
)

// routes is the whole route table, with who may call what.
func (s *Server) routes() {
	e := s.echo
	e.Use(s.withRequestID, s.observe, s.recoverer(), securityHeaders, s.hsts, s.warnUntrustedProxy, s.bodyLimit(), s.admit,
		contextTimeout(30*time.Second, s.noDeadline), s.endWithServer, s.authenticate)

	e.GET("/healthz", s.Healthz)
	e.GET("/readyz", s.Readyz)
	e.GET("/api/openapi.yaml", s.OpenAPISpec)

	v1 := e.Group("/api/v1")
	admin := staff(people.RoleAdmin)
	adminOrManager := staff(people.RoleAdmin, people.RoleManager)

	// Accounts and presence.
	v1.POST("/auth/login", s.Login)
	v1.POST("/auth/logout", s.Logout, signedIn)
	v1.POST("/auth/logout-everywhere", s.LogoutEverywhere, staff())
	v1.GET("/me", s.Me, signedIn)
	v1.PUT("/me/password", s.ChangeMyPassword, staff())
	v1.PUT("/me/status", s.SetMyStatus, staff(people.RoleFloor, people.RoleManager, people.RoleAgent))
	v1.POST("/users", s.CreateUser, adminOrManager)
	v1.GET("/users", s.ListUsers, adminOrManager)
	v1.PATCH("/users/:id", s.UpdateUser, adminOrManager)
	v1.POST("/users/:id/password-reset", s.ResetPassword, adminOrManager)
	v1.GET("/settings/dispatch", s.DispatchSettings, admin)
	v1.PUT("/settings/dispatch", s.SetDispatchSettings, admin)
	s.declare(arrival, v1.POST("/shoppers", s.CreateShopper))

	// Stores and place.
	v1.POST("/stores", s.CreateStore, admin)
	v1.GET("/stores", s.ListStores, s.publicLimit)
	v1.GET("/stores/:id", s.GetStore)
	v1.PUT("/stores/:id", s.UpdateStore, admin)
	v1.POST("/stores/:id/departments", s.CreateDepartment, adminOrManager)
	v1.GET("/stores/:id/departments", s.ListDepartments)
	v1.GET("/stores/:id/hours", s.StoreHours)
	v1.PUT("/stores/:id/hours", s.SetStoreHours, adminOrManager)
	v1.GET("/locate", s.Locate, s.publicLimit)
	v1.POST("/stores/:id/spots", s.CreateSpot, adminOrManager)
	v1.GET("/stores/:id/spots", s.ListSpots, adminOrManager)
	v1.GET("/spots/:code", s.GetSpot)
	s.declare(tokenInQuery, v1.GET("/spots/:code/qr.svg", s.SpotQR))

	// Help requests.
	anyStaff := staff(people.RoleFloor, people.RoleManager, people.RoleAgent)
	s.declare(arrival, v1.POST("/help-requests", s.CreateHelpRequest, signedIn))
	v1.GET("/help-requests/:id", s.GetHelpRequest, signedIn)
	v1.PATCH("/help-requests/:id", s.UpdateHelpRequest, signedIn)
	v1.PUT("/help-requests/:id/product", s.AttachProduct, signedIn)
	s.declare(streaming|tokenInQuery, v1.GET("/help-requests/:id/events", s.HelpRequestEvents, signedIn))
	v1.POST("/help-requests/:id/accept", s.AcceptHelpRequest, anyStaff)
	v1.POST("/help-requests/:id/pass", s.PassHelpRequest, anyStaff)
	v1.POST("/help-requests/:id/messages", s.PostMessage, signedIn)
	v1.POST("/help-requests/:id/typing", s.TypingHelpRequest, signedIn)
	v1.POST("/help-requests/:id/seen", s.SeenHelpRequest, signedIn)
	s.declare(ownBodyLimit, v1.POST("/help-requests/:id/photos", s.UploadPhoto, signedIn))
	v1.GET("/photos/:id", s.GetPhoto, signedIn)
	v1.GET("/photos/:id/thumb", s.GetPhotoThumb, signedIn)
	v1.POST("/help-requests/:id/escalate", s.EscalateHelpRequest, anyStaff)
	v1.POST("/help-requests/:id/acknowledge", s.AcknowledgeHelpRequest, staff(people.RoleManager))
	v1.POST("/help-requests/:id/resolve", s.ResolveHelpRequest, anyStaff)
	v1.POST("/help-requests/:id/cancel", s.CancelHelpRequest, signedIn)
	v1.POST("/help-requests/:id/rating", s.RateHelpRequest, signedIn)
	v1.GET("/help-requests/:id/log", s.HelpRequestLog, staff())
	v1.GET("/queue", s.Queue, anyStaff)
	s.declare(streaming|tokenInQuery, v1.GET("/queue/events", s.QueueEvents, anyStaff))
	v1.GET("/me/requests", s.MyRequests, anyStaff)
	v1.GET("/stores/:id/floor", s.StoreFloor, adminOrManager)
	v1.GET("/stores/:id/requests", s.StoreRequests, staff(people.RoleManager, people.RoleAgent, people.RoleAdmin))
	v1.GET("/saved-replies", s.ListReplies, staff(people.RoleAgent, people.RoleAdmin))
	v1.POST("/saved-replies", s.CreateReply, admin)
	v1.PUT("/saved-replies/:id", s.UpdateReply, admin)
	v1.DELETE("/saved-replies/:id", s.DeleteReply, admin)

	// Inventory and holds.
	s.declare(streaming|ownBodyLimit|slowBody, v1.PUT("/stores/:id/inventory", s.ImportInventory, adminOrManager, s.largeBody()))
	v1.GET("/stores/:id/products", s.Products, s.publicLimit)
	v1.GET("/stores/:id/holds", s.StoreHolds, staff())
	v1.GET("/stores/:id/holds/by-code/:code", s.HoldByCode, staff())
	v1.POST("/holds", s.PlaceHold, signedIn)
	v1.GET("/holds/:id", s.GetHold, signedIn)
	s.declare(tokenInQuery, v1.GET("/holds/:id/qr.svg", s.HoldQR, signedIn))
	v1.POST("/holds/:id/ready", s.ReadyHold, staff())
	v1.POST("/holds/:id/pickup", s.PickupHold, staff())
	v1.POST("/holds/:id/cancel", s.CancelHold, signedIn)
	v1.GET("/me/holds", s.MyHolds, signedIn)

	// Reports.
	v1.GET("/reports/stores/:id", s.StoreReport, adminOrManager)
	v1.GET("/reports/stores", s.StoresReport, admin)

	// Push.
	v1.GET("/push/vapid-public-key", s.VAPIDPublicKey)
	v1.POST("/push/subscriptions", s.Subscribe, signedIn)
	v1.DELETE("/push/subscriptions", s.Unsubscribe, signedIn)

	// Everything else is the app (App answers unknown /api paths, and
	// /metrics, served on its own address, with 404).
	e.GET("/*", s.App)
}

// traits are what a route declares, in the table, beyond its handler and
// who may call it; the middleware reads them for the matched route.
type traits uint8

const (
	// streaming: the response streams events, or the work runs for minutes
	// (an inventory import), so the request has no 30 s deadline.
	streaming traits = 1 << iota
	// tokenInQuery: a GET a browser makes without headers (EventSource,
	// <img>), which may carry the bearer token as ?access_token=.
	tokenInQuery
	// ownBodyLimit: the route caps its body itself (largeBody, UploadPhoto)
	// rather than at BodyLimit.
	ownBodyLimit
	// slowBody: the body may take ImportTimeout to arrive, not ReadTimeout.
	slowBody
	// arrival: the request starts new work (a help request, a shopper's
	// identity); under overload it waits and is shed before work in
	// progress (admission.go).
	arrival
)

// declare gives route its traits.
func (s *Server) declare(t traits, route *echo.Route) {
	s.traits[route.Method+" "+route.Path] = t
}

// has reports whether the route c matched declared t.
func (s *Server) has(c echo.Context, t traits) bool {
	return s.traits[c.Request().Method+" "+c.Path()]&t != 0
}

// noDeadline reports whether the route c matched is streaming.
func (s *Server) noDeadline(c echo.Context) bool { return s.has(c, streaming) }
