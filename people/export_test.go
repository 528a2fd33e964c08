package people

// StaffRoles are the roles an account may have, to hold them to the schema.
var StaffRoles = staffRoles
