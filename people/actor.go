package people

// Actor is who acts on a domain's data: a member of staff or a shopper.
type Actor struct {
	UserID    string
	Name      string
	Role      Role   // a staff role; RoleShopper for a shopper
	StoreID   string // set for staff of a store
	ShopperID string
}

// IsShopper reports whether the actor is a shopper.
func (a Actor) IsShopper() bool { return a.ShopperID != "" }

// OnFloor reports whether the actor works on a store's floor (floor staff or manager).
func (a Actor) OnFloor() bool { return a.Role.InStore() }

// StaffOf reports whether the actor works on the floor of store storeID.
func (a Actor) StaffOf(storeID string) bool {
	return a.OnFloor() && a.StoreID != "" && a.StoreID == storeID
}

// Central reports whether the actor works for every store: remote agents and admins.
func (a Actor) Central() bool {
	return !a.IsShopper() && a.UserID != "" && a.Role.Central()
}

// Author is how the actor's words are signed in a conversation.
func (a Actor) Author() (id any, name string, role Role) {
	if a.IsShopper() {
		return nil, "Shopper", RoleShopper
	}
	return a.UserID, a.Name, a.Role
}
