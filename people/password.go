package people

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"golang.org/x/crypto/bcrypt"

	"helpforce/fault"
)

// checkPassword applies the one password rule: 10 to 72 bytes (bcrypt reads
// no further than 72).
func checkPassword(field, pw string) error {
	if len(pw) < 10 || len(pw) > 72 {
		return fault.Invalid(field, "the password must be 10 to 72 characters long")
	}
	return nil
}

// ChangePassword replaces a person's password after checking the current one,
// clears a pending forced change, and ends every session of theirs but the one
// (keepToken) the change was made from.
func (d *Directory) ChangePassword(ctx context.Context, userID, keepToken, current, next string) error {
	if err := checkPassword("new_password", next); err != nil {
		return err
	}
	if current == next {
		return fault.Invalid("new_password", "the new password must differ from the current one")
	}
	var hash string
	err := d.db.GetContext(ctx, &hash, `SELECT password_hash FROM users WHERE id = $1 AND active`, userID)
	if errors.Is(err, sql.ErrNoRows) {
		return fault.NotFound("user")
	}
	if err != nil {
		return fmt.Errorf("people: change password of %s: %w", userID, err)
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(current)) != nil {
		return fault.Invalid("current_password", "the current password is wrong")
	}
	newHash, err := bcrypt.GenerateFromPassword([]byte(next), d.cost)
	if err != nil {
		return fmt.Errorf("people: hash password: %w", err)
	}
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// Guarded by the hash read above: a concurrent change in between wins, and
	// this one is refused rather than silently overwriting it.
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $3, must_change_password = false
		WHERE id = $1 AND password_hash = $2`, userID, hash, string(newHash))
	if err != nil {
		return fmt.Errorf("people: change password of %s: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fault.State("the password was changed meanwhile; sign in again")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2`,
		userID, hashToken(keepToken)); err != nil {
		return fmt.Errorf("people: end other sessions of %s: %w", userID, err)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	d.sessions.forgetUser(userID)
	return nil
}

// ResetPassword gives a person a random temporary password that they must
// change at their next sign-in, and ends all their sessions.
func (d *Directory) ResetPassword(ctx context.Context, userID string) (string, error) {
	temp := rand.Text()[:16]
	hash, err := bcrypt.GenerateFromPassword([]byte(temp), d.cost)
	if err != nil {
		return "", fmt.Errorf("people: hash password: %w", err)
	}
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return "", err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $2, must_change_password = true WHERE id = $1`,
		userID, string(hash))
	if err != nil {
		return "", fmt.Errorf("people: reset password of %s: %w", userID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return "", fault.NotFound("user")
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return "", fmt.Errorf("people: end sessions of %s: %w", userID, err)
	}
	if err := tx.Commit(); err != nil {
		return "", err
	}
	d.sessions.forgetUser(userID)
	return temp, nil
}

// EndSessions ends every session of a person (sign out everywhere); their
// devices' push subscriptions go with the sessions that registered them.
func (d *Directory) EndSessions(ctx context.Context, userID string) error {
	if _, err := d.db.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("people: end sessions of %s: %w", userID, err)
	}
	d.sessions.forgetUser(userID)
	return nil
}

// endAccess removes everything that lets a person act or be reached: their
// sessions and every push subscription (including any registered before
// subscriptions were tied to sessions).
func endAccess(ctx context.Context, tx *sqlx.Tx, userID string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM push_subscriptions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("people: remove subscriptions of %s: %w", userID, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1`, userID); err != nil {
		return fmt.Errorf("people: end sessions of %s: %w", userID, err)
	}
	return nil
}
