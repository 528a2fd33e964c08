package holds_test

import (
	"context"
	"strings"
	"testing"

	"helpforce/fault"
	"helpforce/holds"
	"helpforce/pg/pgtest"
)

func TestProductSearch(t *testing.T) {
	s := newShop(t, holds.Config{})
	for _, p := range []struct {
		sku, name string
	}{
		{"TV-55", "Téléviseur OLED 55 pouces Samsung"},
		{"TV-550", "Support mural TV"},
		{"tv-5", "Télécommande universelle"},
		{"PH-1", "Smartphone Samsung Galaxy"},
		{"PH-2", "Coque smartphone"},
		{"TVX", "Câble HDMI pour TV"},
		{"100%", "Pure cotton towel"},
	} {
		s.stock(p.sku, p.name, 3)
	}
	ctx := context.Background()
	skus := func(q string, limit int) string {
		t.Helper()
		list, err := s.k.Products(ctx, s.store.ID, q, limit)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range list {
			out = append(out, p.SKU)
		}
		return strings.Join(out, " ")
	}
	for q, want := range map[string]string{
		// The exact SKU, then SKU prefixes, then names that have every word.
		"tv-5":              "tv-5 TV-55 TV-550",
		"TV-55":             "TV-55 TV-550",
		"ph":                "PH-1 PH-2",
		"samsung":           "PH-1 TV-55",
		"samsung oled":      "TV-55",
		"OLED   SAMSUNG":    "TV-55",
		"televiseur":        "TV-55",     // without its accents
		"télécommande":      "tv-5",      // with them
		"smartphone":        "PH-2 PH-1", // the closer name first
		"tv":                "tv-5 TV-55 TV-550 TVX",
		"samsung projector": "",
		"100%":              "100%",
		"%":                 "", // matched literally, not as a wildcard
		"_":                 "",
	} {
		if got := skus(q, 0); got != want {
			t.Errorf("q %q: %q, want %q", q, got, want)
		}
	}
	// By name, whatever the case and accents.
	if got := skus("", 3); got != "TVX PH-2 100%" {
		t.Errorf("by name: %q", got)
	}
	list, err := s.k.Products(ctx, s.store.ID, "", 500)
	if err != nil || len(list) != 7 {
		t.Errorf("%d products listed (%v)", len(list), err)
	}
	list, err = s.k.Products(ctx, s.other.ID, "tv", 0)
	if err != nil || list == nil || len(list) != 0 {
		t.Errorf("another store: %v %v", list, err)
	}
	_, err = s.k.Products(ctx, "6f1c8a8e-2b7e-4a53-9d1f-7c2f5d1e0a11", "", 0)
	pgtest.WantFault(t, err, fault.KindNotFound, "")
}
