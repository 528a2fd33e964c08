package stores

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/lib/pq"

	"helpforce/fault"
)

// Department is a part of a store a shopper can ask about (TVs, Phones, …).
type Department struct {
	StoreID string `db:"store_id" json:"store_id"`
	Code    string `db:"code" json:"code"`
	Name    string `db:"name" json:"name"`
}

var departmentCode = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// ValidDepartmentCode reports whether code has the form of a department code.
func ValidDepartmentCode(code string) bool { return departmentCode.MatchString(code) }

// CreateDepartment adds a department to a store.
func (r *Registry) CreateDepartment(ctx context.Context, storeID, code, name string) (Department, error) {
	code, name = strings.TrimSpace(code), strings.TrimSpace(name)
	if !departmentCode.MatchString(code) {
		return Department{}, fault.Invalid("code", "a code of 1 to 32 lowercase letters, digits, - or _ is required")
	}
	if name == "" || len([]rune(name)) > 80 {
		return Department{}, fault.Invalid("name", "a name of 1 to 80 characters is required")
	}
	var d Department
	err := r.db.GetContext(ctx, &d, `INSERT INTO departments (store_id, code, name) VALUES ($1, $2, $3)
		RETURNING store_id, code, name`, storeID, code, name)
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		switch pqErr.Code {
		case "23505":
			return Department{}, fault.Conflict("already_exists", "the store already has a department %q", code)
		case "23503":
			return Department{}, fault.NotFound("store")
		}
	}
	if err != nil {
		return Department{}, fmt.Errorf("stores: create department: %w", err)
	}
	return d, nil
}

// Departments lists a store's departments by name.
func (r *Registry) Departments(ctx context.Context, storeID string) ([]Department, error) {
	list := []Department{}
	if err := r.db.SelectContext(ctx, &list, `SELECT store_id, code, name FROM departments
		WHERE store_id = $1 ORDER BY name`, storeID); err != nil {
		return nil, fmt.Errorf("stores: departments of %s: %w", storeID, err)
	}
	return list, nil
}
