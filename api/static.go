package api

import (
	"bytes"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"helpforce/pwa"
)

// App serves the installable app. Every file carries a strong ETag and
// Cache-Control: no-cache, so a phone revalidates in one small request and
// gets 304 Not Modified until a release changes the file; the service worker
// keeps the shell for offline use. Text files go out brotli- or
// gzip-compressed, as the browser accepts, from bytes compressed once at
// start. A path without an extension is one of the app's own screens and gets
// index.html.
func (s *Server) App(c echo.Context) error {
	name := strings.TrimPrefix(path.Clean("/"+c.Param("*")), "/")
	if name == "" {
		name = "index.html"
	}
	if strings.HasPrefix(name, "api/") || name == "metrics" {
		return errNotFound("endpoint")
	}
	a, ok := s.assets[name]
	if !ok {
		if path.Ext(name) != "" {
			return errNotFound("file")
		}
		a = s.assets["index.html"]
	}
	h := c.Response().Header()
	if !runsAsDocument(a.Name) {
		// These policies act only on documents and workers: on a module or a
		// stylesheet they are bytes a weak signal carries for nothing.
		for _, k := range documentOnlyHeaders {
			h.Del(k)
		}
	}
	h.Set("Cache-Control", "no-cache")
	h.Set(echo.HeaderContentType, a.ContentType)
	if name == "sw.js" {
		// Lets the worker control the whole origin from the root.
		h.Set("Service-Worker-Allowed", "/")
	}
	body, coding := a.Body, ""
	if a.Gzip != nil || a.Brotli != nil {
		// The same URL answers differently by Accept-Encoding: caches must know.
		h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		body, coding = pickEncoding(a, c.Request().Header.Get(echo.HeaderAcceptEncoding))
	}
	// Each encoding is its own representation, so each has its own strong ETag.
	if coding != "" {
		h.Set(echo.HeaderContentEncoding, coding)
		h.Set("ETag", `"`+a.Hash+"-"+coding+`"`)
	} else {
		h.Set("ETag", `"`+a.Hash+`"`)
	}
	// ServeContent answers If-None-Match with 304, HEAD and ranges.
	http.ServeContent(c.Response(), c.Request(), a.Name, time.Time{}, bytes.NewReader(body))
	return nil
}

// documentOnlyHeaders are the security headers browsers read only on a
// document or a worker script.
var documentOnlyHeaders = []string{"Content-Security-Policy", "X-Frame-Options", "Permissions-Policy"}

// runsAsDocument tells the files a browser may run as a page or a worker,
// which keep every security header.
func runsAsDocument(name string) bool {
	switch path.Ext(name) {
	case ".html", ".svg":
		return true
	}
	return name == "sw.js"
}

// pickEncoding chooses brotli, then gzip, then the file as it is, among what
// the Accept-Encoding header allows (a coding with q=0 is refused).
func pickEncoding(a *pwa.Asset, accept string) ([]byte, string) {
	allowed := acceptedCodings(accept)
	if a.Brotli != nil && allowed["br"] {
		return a.Brotli, "br"
	}
	if a.Gzip != nil && allowed["gzip"] {
		return a.Gzip, "gzip"
	}
	return a.Body, ""
}

// acceptedCodings reads an Accept-Encoding header (RFC 9110 section 12.5.3)
// into the codings it allows; "*" allows any coding not named.
func acceptedCodings(header string) map[string]bool {
	named := map[string]bool{}
	star := false
	for _, part := range strings.Split(header, ",") {
		coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding == "" {
			continue
		}
		ok := true
		for _, p := range strings.Split(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(strings.TrimSpace(k), "q") {
				q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				ok = err == nil && q > 0
			}
		}
		if coding == "*" {
			star = ok
			continue
		}
		named[coding] = ok
	}
	if star {
		for _, c := range []string{"br", "gzip"} {
			if _, said := named[c]; !said {
				named[c] = true
			}
		}
	}
	return named
}
