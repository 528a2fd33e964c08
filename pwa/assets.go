package pwa

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"runtime"
	"sync"

	"github.com/andybalholm/brotli"
)

// Asset is one file of the app, ready to serve: its bytes as they are and,
// for text, compressed once with gzip and brotli.
type Asset struct {
	Name        string // path under public/, without a leading slash
	ContentType string
	Body        []byte
	Gzip        []byte // nil when gzip would not make the file smaller
	Brotli      []byte // nil when brotli would not make the file smaller
	// Hash is a digest of Body; ETags are built from it, so a file keeps its
	// validator across restarts and replicas until its content changes.
	Hash string
}

// Assets returns every file of the app, compressed on the first call and
// kept for the life of the process: the files are embedded and never change,
// so no request pays for compression.
var Assets = sync.OnceValues(func() (map[string]*Asset, error) { return load(FS()) })

// compressible lists the types worth compressing; images are compressed already.
var compressible = map[string]bool{
	".html": true, ".js": true, ".css": true, ".webmanifest": true,
	".json": true, ".svg": true, ".txt": true,
}

func load(files fs.FS) (map[string]*Asset, error) {
	var names []string
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			names = append(names, name)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("pwa: list assets: %w", err)
	}
	// Brotli's best setting is slow; spreading the files over the cores keeps
	// the start short.
	assets := make([]*Asset, len(names))
	errs := make([]error, len(names))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				body, err := fs.ReadFile(files, names[i])
				if err == nil {
					assets[i], err = prepare(names[i], body)
				}
				errs[i] = err
			}
		})
	}
	for i := range names {
		work <- i
	}
	close(work)
	wg.Wait()
	out := make(map[string]*Asset, len(names))
	for i, a := range assets {
		if errs[i] != nil {
			return nil, fmt.Errorf("pwa: prepare %s: %w", names[i], errs[i])
		}
		out[a.Name] = a
	}
	return out, nil
}

func prepare(name string, body []byte) (*Asset, error) {
	ext := path.Ext(name)
	sum := sha256.Sum256(body)
	a := &Asset{Name: name, ContentType: contentType(ext), Body: body,
		Hash: base64.RawURLEncoding.EncodeToString(sum[:12])}
	if !compressible[ext] {
		return a, nil
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	var br bytes.Buffer
	bw := brotli.NewWriterLevel(&br, brotliLevel)
	if _, err := bw.Write(body); err != nil {
		return nil, err
	}
	if err := bw.Close(); err != nil {
		return nil, err
	}
	if gz.Len() < len(body) {
		a.Gzip = gz.Bytes()
	}
	if br.Len() < len(body) {
		a.Brotli = br.Bytes()
	}
	return a, nil
}

func contentType(ext string) string {
	switch ext {
	case ".webmanifest":
		return "application/manifest+json"
	case ".js":
		// Module scripts need a JavaScript type; some systems' mime tables map
		// .js to something else.
		return "text/javascript; charset=utf-8"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// brotliLevel trades a little size for a quick start: brotli's best (11) is
// some 8% smaller on these files but takes seconds of CPU at every start.
const brotliLevel = 5
