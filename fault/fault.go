// Package fault names the ways a domain operation can be refused, so that the
// HTTP layer can turn them into stable error codes without domains knowing HTTP.
package fault

import (
	"errors"
	"fmt"
)

// Kind is the class of a refusal.
type Kind int

const (
	// KindInvalid is input that breaks a rule; nothing was written.
	KindInvalid Kind = iota + 1
	// KindNotFound is a missing (or invisible to the caller) resource.
	KindNotFound
	// KindConflict is a write that collides with existing state (a taken email, a taken request).
	KindConflict
	// KindState is an action that the resource's current state does not allow.
	KindState
	// KindForbidden is an action the caller's role does not allow.
	KindForbidden
)

// Error is a refusal with a stable code and a message a person can read.
type Error struct {
	Kind    Kind
	Code    string // overrides the kind's default code when set, e.g. "already_taken"
	Field   string // the input field at fault, when there is one
	Message string
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Invalid reports bad input in field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound reports that what was asked for does not exist.
func NotFound(what string) *Error {
	return &Error{Kind: KindNotFound, Message: what + " not found"}
}

// Conflict reports a collision with existing state under a stable code.
func Conflict(code, format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: fmt.Sprintf(format, args...)}
}

// State reports an action the current state does not allow.
func State(format string, args ...any) *Error {
	return &Error{Kind: KindState, Message: fmt.Sprintf(format, args...)}
}

// Forbidden reports an action the caller may not take.
func Forbidden(format string, args ...any) *Error {
	return &Error{Kind: KindForbidden, Message: fmt.Sprintf(format, args...)}
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var f *Error
	ok := errors.As(err, &f)
	return f, ok
}

// IsNotFound reports whether err is a not-found refusal.
func IsNotFound(err error) bool {
	f, ok := As(err)
	return ok && f.Kind == KindNotFound
}
