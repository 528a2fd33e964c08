// Package pwa holds the installable web app, embedded into the binary.
package pwa

import (
	"embed"
	"io/fs"
)

//go:embed public
var files embed.FS

// FS returns the app's files, rooted at public/.
func FS() fs.FS {
	sub, _ := fs.Sub(files, "public")
	return sub
}
