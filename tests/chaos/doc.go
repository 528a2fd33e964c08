// Package chaos proves that the real helpforce binary survives a bad day:
// PostgreSQL restarting under it, kill -9 under load, one of three replicas
// killed under the store day (tests/load), restarts with SIGTERM under load
// (a deploy), the push service going away, and slow or strange clients.
// Each test builds the binary,
// starts a PostgreSQL cluster of its own and drives the server over HTTP,
// checking from outside (the API, the push service double, the database).
//
// Plain `go test` runs short versions (seconds each); HELPFORCE_CHAOS=long
// (`make chaos`) runs the long ones (minutes).
package chaos
