package geo

import (
	"math"
	"testing"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		lat, lng, acc string
		want          Point
		wantAcc       float64
		field         string // "" when valid
	}{
		{"45.7606", "4.8597", "35", Point{45.7606, 4.8597}, 35, ""},
		{" 45.7606 ", "4.8597", "", Point{45.7606, 4.8597}, DefaultAccuracyM, ""},
		{"-90", "180", "0", Point{-90, 180}, 0, ""},
		{"90", "-180", "100000", Point{90, -180}, MaxAccuracyM, ""},
		{"-0", "-0", "-0", Point{0, 0}, 0, ""},
		{"", "4.8", "", Point{}, 0, "lat"},
		{"45", "", "", Point{}, 0, "lng"},
		{"90.0001", "4.8", "", Point{}, 0, "lat"},
		{"45", "-180.5", "", Point{}, 0, "lng"},
		{"NaN", "4.8", "", Point{}, 0, "lat"},
		{"45", "Inf", "", Point{}, 0, "lng"},
		{"45", "4.8", "nan", Point{}, 0, "accuracy"},
		{"45", "4.8", "+Inf", Point{}, 0, "accuracy"},
		{"45", "4.8", "-1", Point{}, 0, "accuracy"},
		{"45", "4.8", "100001", Point{}, 0, "accuracy"},
		{"45", "4.8", "1e400", Point{}, 0, "accuracy"},
		{"45,76", "4.8", "", Point{}, 0, "lat"},
		{"45.7°", "4.8", "", Point{}, 0, "lat"},
	}
	for _, tc := range tests {
		p, acc, err := ParseQuery(tc.lat, tc.lng, tc.acc)
		if tc.field != "" {
			ie, ok := err.(*InputError)
			if !ok || ie.Field != tc.field || ie.Message == "" {
				t.Errorf("ParseQuery(%q, %q, %q) = %v, want an InputError on %s", tc.lat, tc.lng, tc.acc, err, tc.field)
			}
			continue
		}
		if err != nil || p != tc.want || acc != tc.wantAcc || math.Signbit(p.Lat) && p.Lat == 0 || math.Signbit(acc) {
			t.Errorf("ParseQuery(%q, %q, %q) = %v, %v, %v", tc.lat, tc.lng, tc.acc, p, acc, err)
		}
	}
}

func TestInputErrorText(t *testing.T) {
	_, _, err := ParseQuery("91", "0", "")
	if got := err.Error(); got != "lat must be a number from -90 to 90" {
		t.Errorf("error text %q", got)
	}
}

func FuzzParseQuery(f *testing.F) {
	f.Add("45.7606", "4.8597", "35")
	f.Add("-90", "180", "")
	f.Add("NaN", "Inf", "-0")
	f.Add("0x1p-2", "1e308", "1_000")
	f.Fuzz(func(t *testing.T, lat, lng, acc string) {
		p, a, err := ParseQuery(lat, lng, acc)
		if err != nil {
			if _, ok := err.(*InputError); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		if !p.valid() || math.IsInf(p.Lat, 0) || math.IsInf(p.Lng, 0) {
			t.Fatalf("point %v out of range", p)
		}
		if !(a >= 0 && a <= MaxAccuracyM) {
			t.Fatalf("accuracy %v out of range", a)
		}
	})
}
