// Package photos keeps the pictures shoppers and staff attach to a help
// request's conversation: each is checked, stripped of its metadata by
// decoding and encoding it again, shrunk, given a thumbnail, and stored in
// PostgreSQL so every replica serves it.
package photos

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	_ "image/png" // registers the PNG decoder
	"io"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // registers the WebP decoder
)

// Limits on what is accepted and kept.
const (
	MaxBytes  = 3 << 20 // the largest upload
	MaxSide   = 1600    // the longer side of a kept image
	ThumbSide = 320     // the longer side of a thumbnail
	// MaxPixels bounds what one decode may allocate (4 bytes a pixel): a
	// few bytes of PNG can claim a huge image, so this is checked first.
	MaxPixels   = 16_000_000
	jpegQuality = 82
)

var (
	// ErrTooLarge is an upload over MaxBytes.
	ErrTooLarge = errors.New("photos: the image is larger than 3 MB")
	// ErrTooManyPixels is an image over MaxPixels, whatever its bytes.
	ErrTooManyPixels = errors.New("photos: the image is larger than 16 megapixels")
	// ErrUnsupported is anything but a JPEG, PNG or WebP image that decodes.
	ErrUnsupported = errors.New("photos: send a JPEG, PNG or WebP image")
)

// Clean is an image ready to keep: JPEG bytes with no metadata, and a thumbnail.
type Clean struct {
	JPEG   []byte
	Thumb  []byte
	Width  int
	Height int
}

// Kind names an image format by its first bytes (its magic number), or "".
// The name or Content-Type a client sends is not trusted.
func Kind(b []byte) string {
	switch {
	case len(b) >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return "jpeg"
	case len(b) >= 8 && bytes.Equal(b[:8], []byte("\x89PNG\r\n\x1a\n")):
		return "png"
	case len(b) >= 12 && bytes.Equal(b[:4], []byte("RIFF")) && bytes.Equal(b[8:12], []byte("WEBP")):
		return "webp"
	}
	return ""
}

// Read takes at most MaxBytes from r; more is ErrTooLarge.
func Read(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("photos: read: %w", err)
	}
	if len(b) > MaxBytes {
		return nil, ErrTooLarge
	}
	return b, nil
}

// Sanitize checks an upload and renders it again. Only pixels survive the
// decode: EXIF (with GPS position, camera serial, time), XMP, ICC and
// comments are all left behind, whatever the format carried.
func Sanitize(b []byte) (Clean, error) {
	if len(b) > MaxBytes {
		return Clean{}, ErrTooLarge
	}
	kind := Kind(b)
	if kind == "" {
		return Clean{}, ErrUnsupported
	}
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil || format != kind || cfg.Width < 1 || cfg.Height < 1 {
		return Clean{}, ErrUnsupported
	}
	if cfg.Width*cfg.Height > MaxPixels {
		return Clean{}, ErrTooManyPixels
	}
	img, _, err := image.Decode(bytes.NewReader(b))
	if err != nil {
		return Clean{}, ErrUnsupported
	}
	full := shrink(img, MaxSide, draw.ApproxBiLinear)
	c := Clean{Width: full.Bounds().Dx(), Height: full.Bounds().Dy()}
	if c.JPEG, err = encode(full); err != nil {
		return Clean{}, err
	}
	if c.Thumb, err = encode(shrink(full, ThumbSide, draw.CatmullRom)); err != nil {
		return Clean{}, err
	}
	return c, nil
}

// shrink scales img so its longer side is at most side, onto an opaque
// white canvas (JPEG has no transparency; a PNG's clear parts turn white).
func shrink(img image.Image, side int, scaler draw.Scaler) image.Image {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > side || h > side {
		if w >= h {
			w, h = side, max(1, h*side/b.Dx())
		} else {
			w, h = max(1, w*side/b.Dy()), side
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(dst, dst.Bounds(), image.White, image.Point{}, draw.Src)
	scaler.Scale(dst, dst.Bounds(), img, b, draw.Over, nil)
	return dst
}

func encode(img image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: jpegQuality}); err != nil {
		return nil, fmt.Errorf("photos: encode: %w", err)
	}
	return buf.Bytes(), nil
}
