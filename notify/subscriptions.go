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

// Owner is whose device a subscription is: a member of staff or a shopper.
type Owner struct {
	UserID    string
	ShopperID string
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

// Subscribe validates and stores a subscription, upserted by endpoint (a
// device that changes hands moves to its new owner).
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
		_, err := tx.ExecContext(ctx, `INSERT INTO push_subscriptions (endpoint, p256dh, auth, user_id, shopper_id, lang)
			VALUES ($1, $2, $3, NULLIF($4, '')::uuid, NULLIF($5, '')::uuid, $6)
			ON CONFLICT (endpoint) DO UPDATE SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
				user_id = EXCLUDED.user_id, shopper_id = EXCLUDED.shopper_id, lang = EXCLUDED.lang,
				last_used_at = now(), warned_at = NULL`,
			sub.Endpoint, sub.Keys.P256dh, sub.Keys.Auth, who.UserID, who.ShopperID, sub.Lang)
		if err != nil {
			return fmt.Errorf("notify: save subscription: %w", err)
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
