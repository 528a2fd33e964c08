package pushtest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ecdh"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
)

// The aes128gcm header (RFC 8188 §2.1): salt, record size, key id length.
const (
	saltLen   = 16
	headerLen = saltLen + 4 + 1
	tagLen    = 16
	asKeyLen  = 65 // an uncompressed P-256 point, the key id of RFC 8291 §4
)

// decrypt opens a web push payload as the user agent holding sub would
// (RFC 8291 §3.4 over RFC 8188) and returns it without padding.
func decrypt(body []byte, sub *subscriber) ([]byte, error) {
	if len(body) < headerLen {
		return nil, fmt.Errorf("%d bytes, shorter than the aes128gcm header (RFC 8188 §2.1)", len(body))
	}
	salt := body[:saltLen]
	rs := binary.BigEndian.Uint32(body[saltLen : saltLen+4])
	idlen := int(body[saltLen+4])
	// RFC 8188 §2.1: a record holds at least one octet and the tag.
	if rs < 18 {
		return nil, fmt.Errorf("record size %d, below the minimum of 18 (RFC 8188 §2.1)", rs)
	}
	// RFC 8291 §4: the key id carries the application server's ephemeral
	// public key, which the user agent needs for ECDH.
	if idlen != asKeyLen {
		return nil, fmt.Errorf("key id of %d octets, want the %d-octet application server key (RFC 8291 §4)", idlen, asKeyLen)
	}
	if len(body) < headerLen+idlen {
		return nil, errors.New("body ends inside the key id")
	}
	asPublic := body[headerLen : headerLen+idlen]
	record := body[headerLen+idlen:]
	// RFC 8291 §4: a push message is a single record, so it fits in rs.
	if len(record) > int(rs) {
		return nil, fmt.Errorf("%d octets of ciphertext exceed record size %d: more than one record (RFC 8291 §4)", len(record), rs)
	}
	if len(record) < tagLen+1 {
		return nil, errors.New("record shorter than a delimiter and the tag")
	}

	cek, nonce, err := deriveKeys(sub, asPublic, salt)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(cek)
	if err != nil {
		return nil, err
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	// The single record is also the first, so its sequence number is 0 and
	// the nonce is used as derived (RFC 8188 §2.3).
	plain, err := gcm.Open(nil, nonce, record, nil)
	if err != nil {
		return nil, errors.New("AES-128-GCM authentication failed: wrong keys or altered ciphertext")
	}
	return unpad(plain)
}

// deriveKeys computes the content encryption key and nonce of RFC 8291 §3.4.
func deriveKeys(sub *subscriber, asPublic, salt []byte) (cek, nonce []byte, err error) {
	as, err := ecdh.P256().NewPublicKey(asPublic)
	if err != nil {
		return nil, nil, fmt.Errorf("application server key: %v", err)
	}
	ecdhSecret, err := sub.key.ECDH(as)
	if err != nil {
		return nil, nil, fmt.Errorf("ECDH: %v", err)
	}
	uaPublic := sub.key.PublicKey().Bytes()

	// The auth secret salts the ECDH secret, so only a party that received
	// the subscription can derive the keys (RFC 8291 §3.3).
	prkKey, err := hkdf.Extract(sha256.New, ecdhSecret, sub.auth)
	if err != nil {
		return nil, nil, err
	}
	keyInfo := "WebPush: info\x00" + string(uaPublic) + string(asPublic)
	ikm, err := hkdf.Expand(sha256.New, prkKey, keyInfo, 32)
	if err != nil {
		return nil, nil, err
	}
	prk, err := hkdf.Extract(sha256.New, ikm, salt)
	if err != nil {
		return nil, nil, err
	}
	if cek, err = hkdf.Expand(sha256.New, prk, "Content-Encoding: aes128gcm\x00", 16); err != nil {
		return nil, nil, err
	}
	if nonce, err = hkdf.Expand(sha256.New, prk, "Content-Encoding: nonce\x00", 12); err != nil {
		return nil, nil, err
	}
	return cek, nonce, nil
}

// unpad strips the padding of RFC 8188 §2: zero octets after a delimiter,
// which is 0x02 in the last record, the only record of a push message.
func unpad(plain []byte) ([]byte, error) {
	end := len(plain)
	for end > 0 && plain[end-1] == 0 {
		end--
	}
	if end == 0 {
		return nil, errors.New("no padding delimiter (RFC 8188 §2)")
	}
	switch plain[end-1] {
	case 0x02:
		return plain[:end-1], nil
	case 0x01:
		return nil, errors.New("delimiter 0x01 marks a record that is not the last; push messages are one record (RFC 8291 §4)")
	default:
		return nil, fmt.Errorf("padding delimiter 0x%02x, want 0x02 (RFC 8188 §2)", plain[end-1])
	}
}
