package notify

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"helpforce/fault"
	"helpforce/pg"
)

// MaxSubscriptions is how many devices one person may register; the least
// recently used beyond it are dropped.
const MaxSubscriptions = 10

// Owner is whose device a subscription is: a member of staff or a shopper,
// and the session (its token hash) the device registered from.
type Owner struct {
	UserID    string
	ShopperID string
	Session   []byte
}

// Subscription is what a browser's PushManager.subscribe() hands over.
type Subscription struct {
	Endpoint string `json:"endpoint"`
	Keys     struct {
		P256dh string `json:"p256dh"`
		Auth   string `json:"auth"`
	} `json:"keys"`
	// Lang is the app's language, "en" (the default) or "fr": alerts to
	// this device are written in it.
	Lang string `json:"lang"`
}

// Subscribe validates and stores a subscription. An endpoint already
// registered by someone else is refused, never moved: whoever learns another
// device's endpoint must not be able to take its alerts away. The same owner
// registering again renews the keys and ties the subscription to the session
// it came from, so that ending the session removes it.
func (p *Push) Subscribe(ctx context.Context, who Owner, sub Subscription) error {
	sub.Endpoint = strings.TrimSpace(sub.Endpoint)
	if err := p.allow.CheckEndpoint(sub.Endpoint); err != nil {
		return err
	}
	if err := CheckKeys(sub.Keys.P256dh, sub.Keys.Auth); err != nil {
		return err
	}
	if sub.Lang == "" {
		sub.Lang = LangEnglish
	}
	if !ValidLang(sub.Lang) {
		return fault.Invalid("lang", "lang is en or fr")
	}
	return pg.InTx(ctx, p.db, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO push_subscriptions AS s (endpoint, p256dh, auth, user_id, shopper_id, session_hash, lang)
			VALUES ($1, $2, $3, NULLIF($4, '')::uuid, NULLIF($5, '')::uuid, $6, $7)
			ON CONFLICT (endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
				session_hash = EXCLUDED.session_hash, lang = EXCLUDED.lang, last_used_at = now(), warned_at = NULL
			WHERE s.user_id IS NOT DISTINCT FROM EXCLUDED.user_id
			  AND s.shopper_id IS NOT DISTINCT FROM EXCLUDED.shopper_id`,
			sub.Endpoint, sub.Keys.P256dh, sub.Keys.Auth, who.UserID, who.ShopperID, who.Session, sub.Lang)
		if err != nil {
			return fmt.Errorf("notify: save subscription: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fault.Conflict("already_exists", "this push endpoint is registered to someone else; "+
				"they must sign out on this device first")
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM push_subscriptions WHERE id IN (
			SELECT id FROM push_subscriptions
			WHERE user_id = NULLIF($1, '')::uuid OR shopper_id = NULLIF($2, '')::uuid
			ORDER BY last_used_at DESC, id DESC OFFSET $3)`, who.UserID, who.ShopperID, MaxSubscriptions)
		if err != nil {
			return fmt.Errorf("notify: trim subscriptions: %w", err)
		}
		return nil
	})
}

// Unsubscribe removes one of the owner's subscriptions.
func (p *Push) Unsubscribe(ctx context.Context, who Owner, endpoint string) error {
	res, err := p.db.ExecContext(ctx, `DELETE FROM push_subscriptions WHERE endpoint = $1
		AND (user_id = NULLIF($2, '')::uuid OR shopper_id = NULLIF($3, '')::uuid)`, endpoint, who.UserID, who.ShopperID)
	if err != nil {
		return fmt.Errorf("notify: unsubscribe: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.NotFound("subscription")
	}
	return nil
}
