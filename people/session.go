package people

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// ErrBadCredentials is a failed login; it never says which half was wrong.
var ErrBadCredentials = errors.New("people: email or password is wrong")

// ErrNoSession is an unknown, expired or revoked token.
var ErrNoSession = errors.New("people: no such session")

// Session is who a token speaks for: a member of staff or a shopper.
type Session struct {
	User      *User
	ShopperID string
	CSRFToken string
}

// Authenticate checks an email and password. Unknown emails cost the same
// bcrypt work as known ones so that timing does not reveal accounts.
func (d *Directory) Authenticate(ctx context.Context, email, password string) (User, error) {
	var row struct {
		ID     string `db:"id"`
		Hash   string `db:"password_hash"`
		Active bool   `db:"active"`
	}
	err := d.db.GetContext(ctx, &row, `SELECT id, password_hash, active FROM users WHERE lower(email) = lower($1)`,
		strings.TrimSpace(email))
	if errors.Is(err, sql.ErrNoRows) {
		_ = bcrypt.CompareHashAndPassword(d.dummyHash, []byte(password))
		return User{}, ErrBadCredentials
	}
	if err != nil {
		return User{}, fmt.Errorf("people: authenticate: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(row.Hash), []byte(password)) != nil || !row.Active {
		return User{}, ErrBadCredentials
	}
	return d.User(ctx, row.ID)
}

// NewSession issues a token for a member of staff (a shopper's comes with
// the identity, NewShopper). Only the token's hash is stored.
func (d *Directory) NewSession(ctx context.Context, userID string, ttl time.Duration) (token, csrf string, err error) {
	token, csrf = randomToken(), randomToken()
	_, err = d.db.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at)
		VALUES ($1, $2::uuid, $3, now() + $4 * interval '1 second')`,
		hashToken(token), userID, csrf, ttl.Seconds())
	if err != nil {
		return "", "", fmt.Errorf("people: new session: %w", err)
	}
	return token, csrf, nil
}

// SessionByToken resolves a token to its session, with its account for
// staff, in one statement. A staff session unused for SessionIdle has
// ended; use is recorded at most once a minute, so a busy session costs one
// write a minute, not one per request. Once Watch has been called, a
// session read is kept in memory for up to SessionKeep (sessioncache.go):
// the account it carries is what a session needs (who, role, store), and
// may be that old in its presence and load.
func (d *Directory) SessionByToken(ctx context.Context, token string) (Session, error) {
	hash := hashToken(token)
	if s, ok := d.sessions.get(hash, time.Now()); ok {
		return s, nil
	}
	var row struct {
		UserID    sql.NullString `db:"user_id"`
		ShopperID sql.NullString `db:"shopper_id"`
		CSRF      string         `db:"csrf_token"`
		Stale     bool           `db:"stale"`
		Expires   time.Time      `db:"expires_at"`
		Account   []byte         `db:"account"` // the User, as JSON
	}
	t := d.sessions.begin()
	err := d.db.GetContext(ctx, &row, `SELECT ss.user_id, ss.shopper_id, ss.csrf_token, ss.expires_at,
			ss.last_used_at < now() - interval '1 minute' AS stale,
			(SELECT to_jsonb(x) FROM (`+selectUser+` WHERE u.id = ss.user_id) x) AS account
		FROM sessions ss LEFT JOIN users uu ON uu.id = ss.user_id
		WHERE ss.token_hash = $1 AND ss.expires_at > now()
		  AND (uu.id IS NULL OR (uu.active AND ss.last_used_at > now() - $2 * interval '1 second'))`,
		hash, d.SessionIdle.Seconds())
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrNoSession
	}
	if err != nil {
		return Session{}, fmt.Errorf("people: session: %w", err)
	}
	if row.Stale {
		if _, err := d.db.ExecContext(ctx, `UPDATE sessions SET last_used_at = now() WHERE token_hash = $1`, hash); err != nil {
			return Session{}, fmt.Errorf("people: touch session: %w", err)
		}
	}
	s := Session{ShopperID: row.ShopperID.String, CSRFToken: row.CSRF}
	if row.UserID.Valid {
		if len(row.Account) == 0 {
			return Session{}, ErrNoSession
		}
		var u User
		if err := json.Unmarshal(row.Account, &u); err != nil {
			return Session{}, fmt.Errorf("people: session account: %w", err)
		}
		s.User = &u
	}
	d.sessions.put(hash, s, t, time.Now(), row.Expires)
	return s, nil
}

// EndSession revokes a token.
func (d *Directory) EndSession(ctx context.Context, token string) error {
	hash := hashToken(token)
	if _, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = $1`, hash); err != nil {
		return fmt.Errorf("people: end session: %w", err)
	}
	d.sessions.forgetToken(hash)
	return nil
}

// NewShopper creates an anonymous shopper identity for one device and its
// token, in one statement: there is never a shopper without a session.
func (d *Directory) NewShopper(ctx context.Context, ttl time.Duration) (id, token string, err error) {
	id, token, _, err = d.NewShopperWithin(ctx, ttl, "", Limit{})
	return id, token, err
}

// NewShopperWithin is NewShopper counted under key against l, as Hit counts,
// in the same statement: past the limit it creates nothing and returns no id
// but when the window ends. An empty key counts nothing.
func (d *Directory) NewShopperWithin(ctx context.Context, ttl time.Duration, key string, l Limit) (id, token string, retryAfter time.Duration, err error) {
	token = randomToken()
	var row struct {
		ID   sql.NullString `db:"id"`
		Left float64        `db:"left_s"`
	}
	err = d.db.GetContext(ctx, &row, `WITH hit AS (`+countHit+`), s AS (
			INSERT INTO shoppers (created_at) SELECT now() WHERE COALESCE((SELECT hits FROM hit), 0) <= $3
			RETURNING id
		), signed AS (
			INSERT INTO sessions (token_hash, shopper_id, csrf_token, expires_at)
			SELECT $4, s.id, $5, now() + $6 * interval '1 second' FROM s RETURNING shopper_id
		)
		SELECT (SELECT shopper_id FROM signed) AS id, COALESCE((SELECT left_s FROM hit), 0) AS left_s`,
		key, l.Window.Seconds(), l.Max, hashToken(token), randomToken(), ttl.Seconds())
	if err != nil {
		return "", "", 0, fmt.Errorf("people: new shopper: %w", err)
	}
	if !row.ID.Valid {
		return "", "", time.Duration(row.Left * float64(time.Second)), nil
	}
	return row.ID.String, token, 0, nil
}

// SameToken compares two secrets in constant time.
func SameToken(a, b string) bool {
	return len(a) == len(b) && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// TokenHash is how a token is stored: what other tables refer to a session by.
func TokenHash(token string) []byte { return hashToken(token) }

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
