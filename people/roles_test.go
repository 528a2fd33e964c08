package people_test

import (
	"slices"
	"testing"

	"helpforce/people"
	"helpforce/pg/pgtest"
)

// TestStaffRolesAreTheSchemas: the roles an account may have are exactly
// those the CHECK constraint on users.role allows.
func TestStaffRolesAreTheSchemas(t *testing.T) {
	want := pgtest.Allowed(t, pgtest.New(t), "users", "role")
	var got []string
	for _, r := range people.StaffRoles {
		got = append(got, string(r))
	}
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Fatalf("the code names %q, the schema allows %q", got, want)
	}
}

// TestWhoWorksWhere: every staff role works either on one store's floor or
// for every store, never both; a shopper does neither, and only an actor
// with an account works for every store.
func TestWhoWorksWhere(t *testing.T) {
	for _, c := range []struct {
		role              people.Role
		staff, inStore    bool
		central, central2 bool // the role's; an actor's with an account
	}{
		{people.RoleFloor, true, true, false, false},
		{people.RoleManager, true, true, false, false},
		{people.RoleAgent, true, false, true, true},
		{people.RoleAdmin, true, false, true, true},
		{people.RoleShopper, false, false, false, false},
	} {
		r := c.role
		if r.Staff() != c.staff || r.InStore() != c.inStore || r.Central() != c.central {
			t.Errorf("%s: staff %v, in store %v, central %v", r, r.Staff(), r.InStore(), r.Central())
		}
		if a := (people.Actor{UserID: "u1", Role: r}); a.Central() != c.central {
			t.Errorf("%s with an account: Central() = %v", r, a.Central())
		}
		if a := (people.Actor{Role: r}); a.Central() {
			t.Errorf("%s without an account works for every store", r)
		}
	}
	if a := (people.Actor{UserID: "u1", ShopperID: "s1", Role: people.RoleAdmin}); a.Central() {
		t.Error("a shopper works for every store")
	}
}
