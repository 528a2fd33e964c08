package gtin_test

import (
	"testing"

	"helpforce/gtin"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"4006381333931", "4006381333931", true}, // EAN-13
		{"036000291452", "0036000291452", true},  // UPC-A, read as EAN-13
		{"96385074", "96385074", true},           // EAN-8
		{"4006381333932", "", false},             // wrong check digit
		{"036000291453", "", false},
		{"96385075", "", false},
		{"40063813339", "", false}, // 11 digits
		{"400638133393a", "", false},
		{"", "", false},
		{" 4006381333931", "", false},
	} {
		got, ok := gtin.Normalize(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}
