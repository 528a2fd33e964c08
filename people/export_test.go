package people

// StaffRoles are the roles an account may have, to hold them to the schema.
var StaffRoles = staffRoles

// KeepSessionsUnder keeps sessions as Watch does, told by l whether its
// listener is connected, but hearing no notifications.
func (d *Directory) KeepSessionsUnder(l interface{ Link() (uint64, bool) }) {
	d.sessions.mu.Lock()
	d.sessions.link = l
	d.sessions.mu.Unlock()
}

// SessionsKept is how many sessions d keeps in memory.
func (d *Directory) SessionsKept() int {
	d.sessions.mu.Lock()
	defer d.sessions.mu.Unlock()
	return len(d.sessions.kept)
}
