package holds

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"helpforce/fault"
	"helpforce/gtin"
)

// item is one checked product of an import.
type item struct {
	sku, name string
	onHand    int
	price     string // a decimal as written; empty keeps the stored price
	gtin      string // normalised barcode number; empty keeps the stored one
}

// source yields the products of an import one at a time, checked, and
// io.EOF after the last.
type source interface {
	next() (item, error)
	// at says where the last product was: ("line", 7) or ("item", 7).
	at() (unit string, n int)
}

const maxOnHand = 1_000_000

// check validates one product; unit and at name it in messages ("line 7").
func check(unit string, at int, sku, name, onHand, price string) (item, error) {
	it := item{sku: strings.TrimSpace(sku), name: strings.TrimSpace(name), price: strings.TrimSpace(price)}
	bad := func(format string, args ...any) (item, error) {
		return item{}, fault.Invalid("body", fmt.Sprintf("%s %d: ", unit, at)+format, args...)
	}
	switch {
	case it.sku == "":
		return bad("sku is empty")
	case !isText(it.sku):
		return bad("sku has characters that are not text")
	case utf8.RuneCountInString(it.sku) > 64:
		return bad("sku is longer than 64 characters")
	case it.name == "":
		return bad("name is empty")
	case !isText(it.name):
		return bad("name has characters that are not text")
	case utf8.RuneCountInString(it.name) > 200:
		return bad("name is longer than 200 characters")
	}
	n, err := strconv.Atoi(strings.TrimSpace(onHand))
	if err != nil || n < 0 {
		return bad("on_hand must be a whole number ≥ 0")
	}
	if n > maxOnHand {
		return bad("on_hand is more than 1,000,000")
	}
	it.onHand = n
	if it.price != "" && !isPrice(it.price) {
		return bad("price must be a decimal ≥ 0 with at most 2 decimals, such as 12.99")
	}
	return it, nil
}

// checkGTIN validates an optional barcode number on a checked item.
func checkGTIN(it item, err error, unit string, at int, code string) (item, error) {
	if err != nil {
		return it, err
	}
	if code = strings.TrimSpace(code); code == "" {
		return it, nil
	}
	n, ok := gtin.Normalize(code)
	if !ok {
		return item{}, fault.Invalid("body", "%s %d: gtin must be the 8, 12 or 13 digits of an EAN-8, UPC-A or EAN-13 barcode, with its check digit", unit, at)
	}
	it.gtin = n
	return it, nil
}

// isPrice reports whether s is a decimal that fits numeric(12, 2): up to
// ten digits before the point and two after.
func isPrice(s string) bool {
	whole, frac, _ := strings.Cut(s, ".")
	return len(whole) <= 10 && len(frac) <= 2 && len(whole)+len(frac) > 0 && digits(whole) && digits(frac)
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isText refuses invalid UTF-8 and control characters, which PostgreSQL
// would refuse (NUL) or which break a list on screen.
func isText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, b := range []byte(s) { // every byte of a multi-byte rune is 0x80 or more
		if b < 0x20 || b == 0x7f {
			return false
		}
	}
	return true
}
