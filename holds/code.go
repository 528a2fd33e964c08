package holds

import "crypto/rand"

// codeAlphabet leaves out characters easily taken for one another at a
// counter (0/O/Q, 1/I/L, 2/Z, 5/S, 6/G, 8/B), so a code read aloud or from
// a cracked screen is typed right the first time.
const codeAlphabet = "ACDEFHJKMNPRTUVWXY3479"

const codeLength = 6

// newPickupCode draws a code uniformly from the alphabet (22^6, about 113
// million codes). Uniqueness among a store's open holds is the database's
// job; a collision is retried with a new code.
func newPickupCode() string {
	// Bytes at or above the largest multiple of the alphabet's size are
	// dropped, so that every character is equally likely.
	const limit = 256 - 256%len(codeAlphabet)
	code := make([]byte, 0, codeLength)
	buf := make([]byte, 16)
	for len(code) < codeLength {
		_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go 1.24+)
		for _, b := range buf {
			if int(b) < limit && len(code) < codeLength {
				code = append(code, codeAlphabet[int(b)%len(codeAlphabet)])
			}
		}
	}
	return string(code)
}
