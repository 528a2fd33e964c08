package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// OpenAPI is the interface description, kept in step with the route table by a test.
//
//go:embed openapi.yaml
var OpenAPI []byte

// OpenAPISpec serves the interface description.
func (s *Server) OpenAPISpec(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "application/yaml", OpenAPI)
}
