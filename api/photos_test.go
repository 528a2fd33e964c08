package api_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"mime/multipart"
	"net/http/httptest"
	"testing"
	"time"

	"helpforce/photos"
)

// jpegOf is a small JPEG of w×h pixels.
func jpegOf(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// upload posts data as the multipart field "photo".
func (e *env) upload(requestID, token string, data []byte) response {
	e.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("photo", "IMG_0001.jpg")
	if err != nil {
		e.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", "/api/v1/help-requests/"+requestID+"/photos", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	return e.send(e.srv, req)
}

// TestPhotosInConversation: a shopper uploads a photo and sends it in a
// message; staff of the store see it in the conversation and may load it;
// people who may not read the request may not load it either.
func TestPhotosInConversation(t *testing.T) {
	e := newEnv(t)
	shopper, other := e.shopper(), e.shopper()
	id := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).want(201).json()["id"].(string)

	p := e.upload(id, shopper, jpegOf(t, 2400, 1200)).want(201).json()
	pid := p["id"].(string)
	if p["width"] != 1600.0 || p["height"] != 800.0 || p["url"] != "/api/v1/photos/"+pid || p["thumb_url"] != "/api/v1/photos/"+pid+"/thumb" {
		t.Fatalf("uploaded %v", p)
	}
	e.upload(id, other, jpegOf(t, 10, 10)).wantError(404, "not_found")

	msgs := "/api/v1/help-requests/" + id + "/messages"
	e.do("POST", msgs, shopper, map[string]any{}).wantError(422, "invalid_input")
	m := e.do("POST", msgs, shopper, map[string]any{"photo_ids": []string{pid}}).want(201).json()
	if ph := m["photos"].([]any); len(ph) != 1 || ph[0].(map[string]any)["id"] != pid {
		t.Fatalf("message %v", m)
	}
	// A photo is linked once, and only by its uploader.
	e.do("POST", msgs, shopper, map[string]any{"body": "again", "photo_ids": []string{pid}}).wantError(422, "invalid_input")
	staffPhoto := e.upload(id, e.tokens["floor"], jpegOf(t, 20, 20)).want(201).json()["id"].(string)
	e.do("POST", msgs, shopper, map[string]any{"photo_ids": []string{staffPhoto}}).wantError(422, "invalid_input")
	e.do("POST", msgs, e.tokens["floor"], map[string]any{"body": "This one?", "photo_ids": []string{staffPhoto}}).want(201)
	if n := e.count(`SELECT count(*) FROM request_messages WHERE request_id = $1`, id); n != 2 {
		t.Fatalf("%d messages, want 2 (refused ones write nothing)", n)
	}

	// The latest page and a page since the start read the same photos.
	for _, query := range []string{"", "?since=0"} {
		seen := e.do("GET", "/api/v1/help-requests/"+id+query, e.tokens["floor"], nil).want(200).json()
		ms := seen["messages"].([]any)
		first, second := ms[0].(map[string]any), ms[1].(map[string]any)
		if first["body"] != "" || len(first["photos"].([]any)) != 1 || first["photos"].([]any)[0].(map[string]any)["id"] != pid ||
			len(second["photos"].([]any)) != 1 {
			t.Fatalf("staff see%s %v", query, ms)
		}
	}

	img := e.do("GET", "/api/v1/photos/"+pid, e.tokens["floor"], nil).want(200)
	if img.Header().Get("Content-Type") != "image/jpeg" || img.Header().Get("Cache-Control") != "private, max-age=31536000, immutable" {
		t.Fatalf("headers %v", img.Header())
	}
	if cfg, err := jpeg.DecodeConfig(img.Body); err != nil || cfg.Width != 1600 {
		t.Fatalf("served %v %v", cfg, err)
	}
	thumb := e.do("GET", "/api/v1/photos/"+pid+"/thumb", shopper, nil).want(200)
	if cfg, err := jpeg.DecodeConfig(thumb.Body); err != nil || cfg.Width != 320 {
		t.Fatalf("thumbnail %v %v", cfg, err)
	}
	e.do("GET", "/api/v1/photos/"+pid, e.tokens["agent"], nil).want(200)
	e.do("GET", "/api/v1/photos/"+pid, other, nil).wantError(404, "not_found")
	e.do("GET", "/api/v1/photos/"+pid, "", nil).wantError(401, "unauthorized")
	e.do("POST", "/api/v1/users", e.tokens["admin"], map[string]any{"email": "elsewhere@example.com", "name": "Lou",
		"password": testPassword, "role": "floor", "store_id": e.other.ID}).want(201)
	e.do("GET", "/api/v1/photos/"+pid+"/thumb", e.login("elsewhere@example.com", testPassword), nil).wantError(404, "not_found")
}

func TestPhotoUploadRefusals(t *testing.T) {
	e := newEnv(t)
	shopper := e.shopper()
	id := e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).want(201).json()["id"].(string)
	e.upload(id, shopper, []byte("%PDF-1.7 not a photo")).wantError(415, "unsupported_media_type")
	e.upload(id, shopper, append(jpegOf(t, 8, 8), make([]byte, photos.MaxBytes)...)).wantError(413, "payload_too_large")
	e.do("POST", "/api/v1/help-requests/"+id+"/photos", shopper, map[string]string{"photo": "x"}).wantError(415, "unsupported_media_type")
	small := jpegOf(t, 8, 8)
	for range 30 {
		e.upload(id, shopper, small).want(201)
	}
	e.upload(id, shopper, small).wantError(409, "invalid_state")
	e.do("POST", "/api/v1/help-requests/"+id+"/messages", shopper, map[string]any{"photo_ids": []string{"a", "b", "c", "d"}}).wantError(422, "invalid_input")
	e.do("POST", "/api/v1/help-requests/"+id+"/cancel", shopper, nil).want(200)
	e.upload(id, shopper, small).wantError(409, "invalid_state")
}

// TestPhotoRetention: the sweep deletes the photos of requests closed longer
// than the retention ago, and keeps the others.
func TestPhotoRetention(t *testing.T) {
	e := newEnv(t)
	shopper := e.shopper()
	ids := make([]string, 3)
	for i := range ids {
		ids[i] = e.do("POST", "/api/v1/help-requests", shopper, map[string]any{"department": "tv", "store_id": e.store.ID}).want(201).json()["id"].(string)
		e.upload(ids[i], shopper, jpegOf(t, 8, 8)).want(201)
	}
	e.db.MustExec(`UPDATE help_requests SET status = 'cancelled', closed_at = now() - interval '2 hours' WHERE id = $1`, ids[0])
	e.db.MustExec(`UPDATE help_requests SET status = 'cancelled', closed_at = now() - interval '30 minutes' WHERE id = $1`, ids[1])
	if err := photos.New(e.db, photos.Config{Retention: time.Hour}).Sweep(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, want := range []int{0, 1, 1} {
		if n := e.count(`SELECT count(*) FROM photos WHERE request_id = $1`, ids[i]); n != want {
			t.Errorf("request %d keeps %d photos, want %d", i, n, want)
		}
	}
}
