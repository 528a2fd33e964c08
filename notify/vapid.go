// Package notify reaches people's phones with web push (RFC 8030, 8291,
// 8292): VAPID keys, the subscriptions browsers hand over, and a
// transactional outbox that workers on every replica drain.
package notify

import (
	"context"
	"crypto/ecdh"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/SherClockHolmes/webpush-go"
	"github.com/jmoiron/sqlx"
)

// Keys is the VAPID key pair, base64url encoded as webpush-go and browsers expect.
type Keys struct {
	Public  string
	Private string
}

// GenerateKeys makes a fresh VAPID key pair.
func GenerateKeys() (Keys, error) {
	priv, pub, err := webpush.GenerateVAPIDKeys()
	if err != nil {
		return Keys{}, fmt.Errorf("notify: generate VAPID keys: %w", err)
	}
	return Keys{Public: pub, Private: priv}, nil
}

// LoadKeys returns the configured keys, or the pair kept in the database,
// generating and storing one the first time. Replicas starting together
// agree on one pair: the first insert wins and everyone reads it back.
func LoadKeys(ctx context.Context, db *sqlx.DB, configured Keys) (Keys, error) {
	if configured.Public != "" || configured.Private != "" {
		if err := configured.check(); err != nil {
			return Keys{}, err
		}
		return configured, nil
	}
	fresh, err := GenerateKeys()
	if err != nil {
		return Keys{}, err
	}
	_, err = db.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES
		('vapid_public_key', $1), ('vapid_private_key', $2) ON CONFLICT (key) DO NOTHING`, fresh.Public, fresh.Private)
	if err != nil {
		return Keys{}, fmt.Errorf("notify: store VAPID keys: %w", err)
	}
	var k Keys
	err = db.GetContext(ctx, &k.Public, `SELECT value FROM settings WHERE key = 'vapid_public_key'`)
	if err == nil {
		err = db.GetContext(ctx, &k.Private, `SELECT value FROM settings WHERE key = 'vapid_private_key'`)
	}
	if err != nil {
		return Keys{}, fmt.Errorf("notify: read VAPID keys: %w", err)
	}
	return k, k.check()
}

// check makes sure the pair is a P-256 key pair that belongs together.
func (k Keys) check() error {
	pub, err := decodeB64(k.Public)
	if err != nil {
		return fmt.Errorf("notify: the VAPID public key is not base64url: %w", err)
	}
	priv, err := decodeB64(k.Private)
	if err != nil {
		return fmt.Errorf("notify: the VAPID private key is not base64url: %w", err)
	}
	sk, err := ecdh.P256().NewPrivateKey(priv)
	if err != nil {
		return fmt.Errorf("notify: the VAPID private key is not a P-256 key: %w", err)
	}
	if string(sk.PublicKey().Bytes()) != string(pub) {
		return fmt.Errorf("notify: the VAPID public key does not belong to the private key")
	}
	return nil
}

// decodeB64 accepts base64url with or without padding, and standard base64,
// since keys are copied around by hand.
func decodeB64(s string) ([]byte, error) {
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	if b, err := base64.RawURLEncoding.DecodeString(s); err == nil {
		return b, nil
	}
	return base64.RawStdEncoding.DecodeString(s)
}
