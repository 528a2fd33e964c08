package api

import (
	"errors"
	"io"
	"mime/multipart"
	"net/http"

	"github.com/labstack/echo/v4"

	"helpforce/photos"
)

// uploadLimit is the largest photo upload body: the photo and the
// multipart framing around it.
const uploadLimit = photos.MaxBytes + 64<<10

// UploadPhoto takes one photo (multipart field "photo") for a request's
// conversation; a message then shows it through photo_ids.
func (s *Server) UploadPhoto(c echo.Context) error {
	id, err := idParam(c, "id", "help request")
	if err != nil {
		return err
	}
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, uploadLimit)
	mr, err := req.MultipartReader()
	if err != nil {
		return photoError(err)
	}
	var data []byte
	for data == nil {
		part, err := mr.NextPart()
		if err == io.EOF {
			return errInvalid("photo", "send the image in the multipart field \"photo\"")
		}
		if err != nil {
			return photoError(err)
		}
		if part.FormName() == "photo" {
			if data, err = photos.Read(part); err != nil {
				return photoError(err)
			}
		}
		_ = part.Close()
	}
	p, err := s.photos.Add(req.Context(), actor(c), id, data)
	if err != nil {
		return photoError(err)
	}
	return c.JSON(http.StatusCreated, p)
}

// photoError turns an upload's failures into the catalog's codes.
func photoError(err error) error {
	var mbe *http.MaxBytesError
	switch {
	case errors.Is(err, photos.ErrTooLarge) || errors.As(err, &mbe):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: CodeTooLarge,
			Message: "the photo is larger than 3 MB; send a smaller one"}
	case errors.Is(err, photos.ErrTooManyPixels):
		return &apiError{Status: http.StatusRequestEntityTooLarge, Code: CodeTooLarge,
			Message: "the photo is larger than 16 megapixels; send a smaller one"}
	case errors.Is(err, photos.ErrUnsupported):
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupported,
			Message: "send a JPEG, PNG or WebP photo"}
	case errors.Is(err, http.ErrNotMultipart), errors.Is(err, http.ErrMissingBoundary), errors.Is(err, multipart.ErrMessageTooLarge):
		return &apiError{Status: http.StatusUnsupportedMediaType, Code: CodeUnsupported,
			Message: "send the photo as multipart/form-data in the field \"photo\""}
	}
	return err
}

// GetPhoto serves a photo to those who may read its request.
func (s *Server) GetPhoto(c echo.Context) error { return s.servePhoto(c, false) }

// GetPhotoThumb serves a photo's thumbnail, with the same rule.
func (s *Server) GetPhotoThumb(c echo.Context) error { return s.servePhoto(c, true) }

func (s *Server) servePhoto(c echo.Context, thumb bool) error {
	id, err := idParam(c, "id", "photo")
	if err != nil {
		return err
	}
	b, err := s.photos.Image(c.Request().Context(), actor(c), id, thumb)
	if err != nil {
		return err
	}
	// A photo never changes under its id: the browser keeps it, for this
	// person only (shared caches must not, as it is not public).
	h := c.Response().Header()
	h.Set("Cache-Control", "private, max-age=31536000, immutable")
	h.Set("Vary", "Authorization, Cookie")
	return c.Blob(http.StatusOK, "image/jpeg", b)
}
