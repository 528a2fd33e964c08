// Package gtin reads the numbers under product barcodes: EAN-13, UPC-A
// and EAN-8, all GTINs with a mod-10 check digit (GS1 General
// Specifications, 7.9.1).
package gtin

// Normalize returns s as a GTIN if it is one: 8 or 13 digits, or 12 (UPC-A,
// returned as the EAN-13 a scanner also reads from it, with a leading 0),
// with a valid check digit. Anything else returns false.
func Normalize(s string) (string, bool) {
	switch len(s) {
	case 8, 13:
	case 12:
		s = "0" + s
	default:
		return "", false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return "", false
		}
	}
	if CheckDigit(s[:len(s)-1]) != s[len(s)-1] {
		return "", false
	}
	return s, true
}

// CheckDigit computes the check digit of the digits before it: from the
// right, weights 3, 1, 3, 1…; the digit brings the sum to a multiple of 10.
func CheckDigit(body string) byte {
	sum := 0
	for i := range len(body) {
		d := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte('0' + (10-sum%10)%10)
}
