package geo

import (
	"fmt"
	"strconv"
	"strings"
)

// Point is a WGS84 position in degrees.
type Point struct{ Lat, Lng float64 }

// valid reports whether p is a finite position on Earth; NaN fails every
// comparison, so the range checks reject it too.
func (p Point) valid() bool {
	return p.Lat >= -90 && p.Lat <= 90 && p.Lng >= -180 && p.Lng <= 180
}

// Accuracy bounds of GET /locate, in metres.
const (
	// DefaultAccuracyM stands in for a missing accuracy: a typical indoor
	// browser fix.
	DefaultAccuracyM = 50
	// MaxAccuracyM is the largest accuracy accepted; browsers report up to a
	// few tens of kilometres for IP-based positions.
	MaxAccuracyM = 100_000
)

// InputError is a client mistake in one field. Message is human text meant
// to sit next to the field; Error joins the two for logs.
type InputError struct{ Field, Message string }

// Error returns the field followed by the message.
func (e *InputError) Error() string { return e.Field + " " + e.Message }

// ParseQuery parses the lat, lng and accuracy parameters of GET /locate.
// lat and lng are required; an empty accuracy means DefaultAccuracyM.
// Surrounding spaces are ignored. Errors are *InputError naming the field.
func ParseQuery(lat, lng, accuracy string) (Point, float64, error) {
	la, err := parseNumber("lat", lat, -90, 90)
	if err != nil {
		return Point{}, 0, err
	}
	ln, err := parseNumber("lng", lng, -180, 180)
	if err != nil {
		return Point{}, 0, err
	}
	acc := float64(DefaultAccuracyM)
	if strings.TrimSpace(accuracy) != "" {
		if acc, err = parseNumber("accuracy", accuracy, 0, MaxAccuracyM); err != nil {
			return Point{}, 0, err
		}
	}
	return Point{Lat: la, Lng: ln}, acc, nil
}

func parseNumber(field, s string, lo, hi float64) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, &InputError{Field: field, Message: "is required"}
	}
	v, err := strconv.ParseFloat(s, 64)
	// ParseFloat accepts "NaN" and "Inf"; the range check refuses both.
	if err != nil || !(v >= lo && v <= hi) {
		return 0, &InputError{Field: field, Message: fmt.Sprintf("must be a number from %g to %g", lo, hi)}
	}
	// Adding zero turns -0 into 0 so that it never shows up in a response.
	return v + 0, nil
}
