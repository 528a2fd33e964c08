// Package people holds accounts, sessions, presence and anonymous shoppers.
package people

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
	"golang.org/x/crypto/bcrypt"

	"helpforce/fault"
)

// Role is what a person does, which decides what they may do. It is
// stored as text in users.role (a CHECK constraint lists the staff roles).
type Role string

// Roles, from the shop floor to the back office; a shopper acts with
// RoleShopper and has no account.
const (
	RoleFloor   Role = "floor"
	RoleManager Role = "manager"
	RoleAgent   Role = "agent"
	RoleAdmin   Role = "admin"
	RoleShopper Role = "shopper"
)

// staffRoles are the roles an account may have: those the CHECK
// constraint on users.role allows (people_test.go holds the two together).
var staffRoles = []Role{RoleFloor, RoleManager, RoleAgent, RoleAdmin}

// Staff reports whether r is one of the roles an account may have.
func (r Role) Staff() bool { return slices.Contains(staffRoles, r) }

// InStore reports whether r works on one store's floor (floor staff or
// manager), as opposed to every store.
func (r Role) InStore() bool { return r == RoleFloor || r == RoleManager }

// Central reports whether r works for every store (remote agents and
// admins), as opposed to one store's floor.
func (r Role) Central() bool { return r == RoleAgent || r == RoleAdmin }

// User is a member of staff: floor, manager, remote agent or admin.
type User struct {
	ID          string         `db:"id" json:"id"`
	Email       string         `db:"email" json:"email"`
	Name        string         `db:"name" json:"name"`
	Role        Role           `db:"role" json:"role"`
	StoreID     *string        `db:"store_id" json:"store_id"`
	StoreName   *string        `db:"store_name" json:"store_name"`
	Status      string         `db:"status" json:"status"`
	Capacity    int            `db:"capacity" json:"capacity"`
	Load        int            `db:"load" json:"load"`
	Active      bool           `db:"active" json:"active"`
	Departments pq.StringArray `db:"departments" json:"departments"`
	CreatedAt   time.Time      `db:"created_at" json:"created_at"`
	// MustChangePassword is set by a reset: until the person chooses a new
	// password, their session may do nothing else.
	MustChangePassword bool `db:"must_change_password" json:"must_change_password"`
}

// InStore reports whether the user works in store id.
func (u User) InStore(id string) bool { return u.StoreID != nil && *u.StoreID == id }

// NewUser is what creating an account takes.
type NewUser struct {
	Email       string   `json:"email"`
	Name        string   `json:"name"`
	Password    string   `json:"password"`
	Role        Role     `json:"role"`
	StoreID     *string  `json:"store_id"`
	Departments []string `json:"departments"`
}

// Directory stores accounts and sessions in PostgreSQL.
type Directory struct {
	db        *sqlx.DB
	cost      int
	dummyHash []byte
	sessions  *sessionCache
	// SessionTTL is a session's absolute lifetime, however much it is used.
	SessionTTL time.Duration
	// SessionIdle ends a staff session unused for this long.
	SessionIdle time.Duration
}

// New returns a Directory hashing passwords with bcrypt at cost
// (bcrypt.DefaultCost in production; tests use bcrypt.MinCost).
func New(db *sqlx.DB, cost int) *Directory {
	dummy, _ := bcrypt.GenerateFromPassword([]byte("helpforce-timing-equaliser"), cost)
	return &Directory{db: db, cost: cost, dummyHash: dummy, sessions: newSessionCache(), SessionTTL: 30 * 24 * time.Hour, SessionIdle: 12 * time.Hour}
}

const selectUser = `
SELECT u.id, u.email, u.name, u.role, u.store_id, s.name AS store_name, u.status, u.capacity, u.load, u.active, u.created_at,
       u.must_change_password,
       COALESCE(ARRAY(SELECT d.code FROM user_departments d WHERE d.user_id = u.id ORDER BY d.code), '{}') AS departments
FROM users u LEFT JOIN stores s ON s.id = u.store_id`

// User returns the account with id.
func (d *Directory) User(ctx context.Context, id string) (User, error) {
	var u User
	err := d.db.GetContext(ctx, &u, selectUser+` WHERE u.id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return u, fault.NotFound("user")
	}
	if err != nil {
		return u, fmt.Errorf("people: user %s: %w", id, err)
	}
	return u, nil
}

// Users lists the accounts of a store, or every account when storeID is empty.
func (d *Directory) Users(ctx context.Context, storeID string) ([]User, error) {
	users := []User{}
	q := selectUser + ` WHERE ($1 = '' OR u.store_id::text = $1) ORDER BY u.role, u.name`
	if err := d.db.SelectContext(ctx, &users, q, storeID); err != nil {
		return nil, fmt.Errorf("people: users: %w", err)
	}
	return users, nil
}

// Validate checks a new account's fields and normalises them.
func (n *NewUser) Validate() error {
	n.Email = strings.TrimSpace(n.Email)
	n.Name = strings.TrimSpace(n.Name)
	if a, err := mail.ParseAddress(n.Email); err != nil || a.Address != n.Email || len(n.Email) > 254 {
		return fault.Invalid("email", "a valid email address is required")
	}
	if n.Name == "" || len([]rune(n.Name)) > 120 {
		return fault.Invalid("name", "a name of 1 to 120 characters is required")
	}
	if err := checkPassword("password", n.Password); err != nil {
		return err
	}
	if !n.Role.Staff() {
		return fault.Invalid("role", "role must be floor, manager, agent or admin")
	}
	inStore := n.Role.InStore()
	if inStore && (n.StoreID == nil || *n.StoreID == "") {
		return fault.Invalid("store_id", "floor staff and managers belong to a store")
	}
	if !inStore && n.StoreID != nil && *n.StoreID != "" {
		return fault.Invalid("store_id", "agents and admins belong to no store")
	}
	if !inStore {
		n.StoreID = nil
		if len(n.Departments) > 0 {
			return fault.Invalid("departments", "only floor staff and managers have departments")
		}
	}
	slices.Sort(n.Departments)
	n.Departments = slices.Compact(n.Departments)
	return nil
}

// CreateUser adds an account and its departments in one transaction.
func (d *Directory) CreateUser(ctx context.Context, n NewUser) (User, error) {
	if err := n.Validate(); err != nil {
		return User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(n.Password), d.cost)
	if err != nil {
		return User{}, fmt.Errorf("people: hash password: %w", err)
	}
	tx, err := d.db.BeginTxx(ctx, nil)
	if err != nil {
		return User{}, err
	}
	defer tx.Rollback()
	var id string
	err = tx.GetContext(ctx, &id, `INSERT INTO users (email, name, role, store_id, password_hash)
		VALUES ($1, $2, $3, $4, $5) RETURNING id`, n.Email, n.Name, n.Role, n.StoreID, string(hash))
	if err != nil {
		return User{}, translate(err, "user")
	}
	if len(n.Departments) > 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO user_departments (user_id, store_id, code)
			SELECT $1, $2, unnest($3::text[])`, id, n.StoreID, pq.Array(n.Departments))
		if err != nil {
			return User{}, translate(err, "departments")
		}
	}
	if err := tx.Commit(); err != nil {
		return User{}, fmt.Errorf("people: create user: %w", err)
	}
	return d.User(ctx, id)
}

// translate turns constraint violations into refusals a person can act on.
func translate(err error, what string) error {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch {
		case pqErr.Constraint == "users_email_key":
			return fault.Conflict("already_exists", "an account with this email already exists")
		case pqErr.Code == "23503" && what == "departments":
			return fault.Invalid("departments", "every department must exist in the store")
		case pqErr.Code == "23503":
			return fault.Invalid("store_id", "no such store")
		case pqErr.Code == "22P02":
			return fault.Invalid("store_id", "no such store")
		}
	}
	return fmt.Errorf("people: %s: %w", what, err)
}
