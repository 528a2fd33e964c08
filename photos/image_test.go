package photos_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"

	"helpforce/photos"
)

// gpsMarker is written into the EXIF block; it must not survive.
const gpsMarker = "GPS 48.8566N 2.3522E"

// exifJPEG is a phone-like JPEG: an APP1 Exif segment right after the start
// of image, with an IFD0 that points to a GPS IFD (GPSLatitudeRef "N",
// GPSLatitude 48/1 51/1 24/1) and an ImageDescription holding gpsMarker.
func exifJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, img, nil); err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	tiff := []byte("II*\x00")
	tiff = le.AppendUint32(tiff, 8) // IFD0 at 8
	// IFD0: two entries, then the next-IFD offset (0).
	const ifd0, gpsIFD = 8, 8 + 2 + 2*12 + 4 // 38
	const gpsEntries = 2
	const latAt = gpsIFD + 2 + gpsEntries*12 + 4 // 68: the three rationals
	const descAt = latAt + 24                    // 92: the description
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	tiff = le.AppendUint16(tiff, 2)
	tiff = entry(tiff, 0x010E, 2, uint32(len(gpsMarker)+1), descAt) // ImageDescription
	tiff = entry(tiff, 0x8825, 4, 1, gpsIFD)                        // GPSInfo IFD pointer
	tiff = le.AppendUint32(tiff, 0)
	tiff = le.AppendUint16(tiff, gpsEntries)
	tiff = entry(tiff, 0x0001, 2, 2, uint32('N')) // GPSLatitudeRef "N\0" inline
	tiff = entry(tiff, 0x0002, 5, 3, latAt)       // GPSLatitude
	tiff = le.AppendUint32(tiff, 0)
	for _, v := range []uint32{48, 1, 51, 1, 24, 1} {
		tiff = le.AppendUint32(tiff, v)
	}
	tiff = append(tiff, gpsMarker+"\x00"...)
	if len(tiff) != descAt+len(gpsMarker)+1 || ifd0 != 8 {
		t.Fatalf("EXIF layout is off: %d bytes", len(tiff))
	}
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := []byte{0xFF, 0xE1}
	seg = binary.BigEndian.AppendUint16(seg, uint16(len(app1)+2))
	seg = append(seg, app1...)
	out := append([]byte{0xFF, 0xD8}, seg...)
	return append(out, plain.Bytes()[2:]...)
}

func TestSanitizeDropsEXIFAndGPS(t *testing.T) {
	in := exifJPEG(t, 64, 48)
	if !bytes.Contains(in, []byte("Exif\x00\x00")) || !bytes.Contains(in, []byte(gpsMarker)) {
		t.Fatal("the test image carries no EXIF")
	}
	if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("the test image is not a valid JPEG: %v", err)
	}
	c, err := photos.Sanitize(in)
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{"image": c.JPEG, "thumbnail": c.Thumb} {
		if bytes.Contains(b, []byte("Exif")) || bytes.Contains(b, []byte(gpsMarker)) || hasSegment(b, 0xE1) {
			t.Errorf("the %s still carries EXIF", name)
		}
		if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
			t.Errorf("the %s does not decode: %v", name, err)
		}
	}
	if c.Width != 64 || c.Height != 48 {
		t.Errorf("size %dx%d, want 64x48", c.Width, c.Height)
	}
}

// hasSegment reports whether a JPEG has a marker segment (such as APP1)
// before its image data.
func hasSegment(b []byte, marker byte) bool {
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		if b[i+1] == marker {
			return true
		}
		if b[i+1] == 0xDA { // start of scan: no more headers
			return false
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	return false
}

func TestSanitizeShrinksAndThumbnails(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 2000, 1000))); err != nil {
		t.Fatal(err)
	}
	c, err := photos.Sanitize(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if c.Width != 1600 || c.Height != 800 {
		t.Errorf("kept %dx%d, want 1600x800", c.Width, c.Height)
	}
	th, err := jpeg.DecodeConfig(bytes.NewReader(c.Thumb))
	if err != nil || th.Width != 320 || th.Height != 160 {
		t.Errorf("thumbnail %dx%d (%v), want 320x160", th.Width, th.Height, err)
	}
	if photos.Kind(c.JPEG) != "jpeg" {
		t.Error("a PNG is not kept as JPEG")
	}
}

func TestSanitizeRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		in   []byte
		want error
	}{
		"text":           {[]byte("hello, this is not an image"), photos.ErrUnsupported},
		"gif":            {[]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), photos.ErrUnsupported},
		"truncated jpeg": {[]byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 16}, photos.ErrUnsupported},
		"png named jpeg": {append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 40)...), photos.ErrUnsupported},
		"webp header":    {[]byte("RIFF\x10\x00\x00\x00WEBPVP8 \x00\x00\x00\x00"), photos.ErrUnsupported},
		"over 3 MB":      {make([]byte, photos.MaxBytes+1), photos.ErrTooLarge},
	} {
		if _, err := photos.Sanitize(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", name, err, tc.want)
		}
	}
	if _, err := photos.Read(bytes.NewReader(make([]byte, photos.MaxBytes+1))); !errors.Is(err, photos.ErrTooLarge) {
		t.Errorf("Read of 3 MB + 1: %v", err)
	}
}

// A small file that claims a huge image is refused before it is decoded.
func TestSanitizeRefusesHugeImages(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 5000, 4000))); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > photos.MaxBytes {
		t.Fatalf("the test image is %d bytes", buf.Len())
	}
	if _, err := photos.Sanitize(buf.Bytes()); !errors.Is(err, photos.ErrTooManyPixels) {
		t.Fatalf("20 megapixels: %v", err)
	}
}
