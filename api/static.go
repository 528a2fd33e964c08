package api

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"

	"helpforce/pwa"
)

// App serves the installable app. The shell files are revalidated on every
// load (no-cache) so that a new release reaches phones at once; the service
// worker keeps them for offline use. A path without an extension is one of the
// app's own screens and gets index.html.
func (s *Server) App(c echo.Context) error {
	files := pwa.FS()
	name := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if name == "" {
		name = "index.html"
	}
	if strings.HasPrefix(name, "api/") || name == "metrics" {
		return errNotFound("endpoint")
	}
	if fi, err := fs.Stat(files, name); err != nil || fi.IsDir() {
		if path.Ext(name) != "" {
			return errNotFound("file")
		}
		name = "index.html"
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-cache")
	if name == "sw.js" {
		// Lets the worker control the whole origin from the root.
		h.Set("Service-Worker-Allowed", "/")
	}
	if path.Ext(name) == ".webmanifest" {
		h.Set(echo.HeaderContentType, "application/manifest+json")
	}
	http.ServeFileFS(c.Response(), c.Request(), files, name)
	return nil
}
