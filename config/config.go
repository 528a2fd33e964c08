// Package config reads Helpforce's settings from the environment, with typed
// defaults, and validates them before anything starts.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"helpforce/pg"
)

// Config is every setting of the server.
type Config struct {
	Addr            string
	MetricsAddr     string // where /metrics is served; empty: nowhere
	DatabaseURL     string
	DataDir         string
	VAPIDPublicKey  string
	VAPIDPrivateKey string
	VAPIDSubject    string
	PushAllowHosts  []string
	OfferTimeout    time.Duration
	OverflowTimeout time.Duration
	AbandonAfter    time.Duration
	DispatchPolicy  string
	HoldTTL         time.Duration
	PhotoRetention  time.Duration
	TrustedProxies  []netip.Prefix
	BodyLimit       int64
	ReadTimeout     time.Duration
	Demo            bool
	LogLevel        string
	PublicURL       string
	PushWorkers     int
	DBConns         int // connections to PostgreSQL per replica
	Limits          Limits
	// AddrGiven is set when the listen address came from HELPFORCE_ADDR or
	// --addr rather than the default.
	AddrGiven     bool
	AllowedHosts  []string
	SessionIdle   time.Duration
	AdminPassword string
	PushLease     time.Duration
	// EmbeddedDatabase allows starting the development cluster when no
	// DATABASE_URL is given; installations (the container image, the
	// systemd unit) turn it off so a missing URL is an error, not a
	// cluster started in a folder nobody backs up.
	EmbeddedDatabase bool
	// MaxInFlight bounds the API requests worked on at once; 0: no bound.
	MaxInFlight int
	// QueueWait is how long a request past MaxInFlight waits before a 503.
	QueueWait time.Duration
}

// Var documents one environment variable.
type Var struct {
	Name, Default, Help string
}

// Vars lists the environment variables in the order the help prints them.
var Vars = []Var{
	{"DATABASE_URL", "", "PostgreSQL URL; unset: an embedded cluster under HELPFORCE_DATA_DIR (also DATABASE_URL_FILE)"},
	{"HELPFORCE_DATA_DIR", "./var", "folder of the embedded cluster"},
	{"HELPFORCE_EMBEDDED_DATABASE", "true", "start the embedded cluster when DATABASE_URL is unset; false: DATABASE_URL is required"},
	{"HELPFORCE_DB_CONNS", strconv.Itoa(pg.DefaultConns), "connections to PostgreSQL per replica, three per core the server may use (4 to 24) unless set; requests past them wait in the server, where waiting is cheap"},
	{"HELPFORCE_ADDR", ":8080", "listen address; with demo data and no address given: 127.0.0.1:8080"},
	{"HELPFORCE_METRICS_ADDR", "127.0.0.1:9464", "where /metrics is served (host:port), apart from the public address; off: nowhere"},
	{"HELPFORCE_VAPID_PUBLIC_KEY", "", "web push public key; unset: generated once and kept in the database"},
	{"HELPFORCE_VAPID_PRIVATE_KEY", "", "web push private key (also HELPFORCE_VAPID_PRIVATE_KEY_FILE)"},
	{"HELPFORCE_VAPID_SUBJECT", "admin@helpforce.invalid", "contact the push services may reach (an email or https URL)"},
	{"HELPFORCE_PUSH_WORKERS", "16", "concurrent web push sends per replica"},
	{"HELPFORCE_PUSH_LEASE", "60s", "how long a claimed alert is left to its sender before another takes it (after a crash, its alerts wait this long)"},
	{"HELPFORCE_PUSH_ALLOW_HOSTS", "", "host:port list push endpoints may use over http or private addresses (tests, development)"},
	{"HELPFORCE_OFFER_TIMEOUT", "30s", "how long a wave of floor offers waits before widening"},
	{"HELPFORCE_OVERFLOW_TIMEOUT", "90s", "from creation until a waiting request overflows to the remote team"},
	{"HELPFORCE_ABANDON_AFTER", "30m", "a waiting request nobody took becomes abandoned"},
	{"HELPFORCE_DISPATCH_POLICY", "waves", "waves (skilled staff, the store, then the remote team), broadcast (everyone at once) or floor (never the remote team)"},
	{"HELPFORCE_HOLD_TTL", "24h", "default hold lifetime"},
	{"HELPFORCE_PHOTO_RETENTION", "720h", "how long the photos of a closed request are kept"},
	{"HELPFORCE_TRUSTED_PROXIES", "", "comma-separated CIDRs of proxies whose X-Forwarded-For is believed"},
	{"HELPFORCE_BODY_LIMIT", "1048576", "largest request body in bytes"},
	{"HELPFORCE_MAX_INFLIGHT", "", "API requests worked on at once, new help requests and new shoppers three quarters of them at most; past it a request waits HELPFORCE_QUEUE_WAIT, then gets 503 with Retry-After; unset: HELPFORCE_DB_CONNS and a third more; 0: no bound"},
	{"HELPFORCE_QUEUE_WAIT", "100ms", "how long a request past HELPFORCE_MAX_INFLIGHT waits for a place before it is shed; new help requests and shoppers do not wait while arrivals are being shed"},
	{"HELPFORCE_READ_TIMEOUT", "30s", "how long a client may take to send a request body (an inventory import: 10m)"},
	{"HELPFORCE_DEMO", "", "seed demo data into an empty database (always on for the embedded cluster)"},
	{"HELPFORCE_LOG_LEVEL", "info", "debug, info, warn or error"},
	{"HELPFORCE_PUBLIC_URL", "", "the app's address as shoppers reach it, printed into shelf QR codes"},
	{"HELPFORCE_ALLOWED_HOSTS", "", "comma-separated Host values (host or host:port) shelf QR codes may use when HELPFORCE_PUBLIC_URL is unset; unset: loopback only"},
	{"HELPFORCE_SESSION_IDLE", "12h", "a staff session unused this long ends (sessions end after 30 days regardless)"},
	{"HELPFORCE_ADMIN_PASSWORD", "", "the demo admin's password when demo data is first seeded; unset: random, printed at start (also HELPFORCE_ADMIN_PASSWORD_FILE)"},
}

// FromEnv reads the configuration through getenv (os.Getenv in production).
func FromEnv(getenv func(string) string) (Config, error) {
	get := func(name string) string {
		if v := getenv(name); v != "" {
			return v
		}
		for _, v := range Vars {
			if v.Name == name {
				return v.Default
			}
		}
		return ""
	}
	var errs []error
	c := Config{
		Addr:           get("HELPFORCE_ADDR"),
		MetricsAddr:    get("HELPFORCE_METRICS_ADDR"),
		DataDir:        get("HELPFORCE_DATA_DIR"),
		VAPIDPublicKey: get("HELPFORCE_VAPID_PUBLIC_KEY"),
		VAPIDSubject:   get("HELPFORCE_VAPID_SUBJECT"),
		LogLevel:       get("HELPFORCE_LOG_LEVEL"),
		PublicURL:      get("HELPFORCE_PUBLIC_URL"),
		AddrGiven:      getenv("HELPFORCE_ADDR") != "",
		AllowedHosts:   splitList(strings.ToLower(get("HELPFORCE_ALLOWED_HOSTS"))),
	}
	var err error
	if c.DatabaseURL, err = secret(getenv, "DATABASE_URL"); err != nil {
		errs = append(errs, err)
	}
	if c.VAPIDPrivateKey, err = secret(getenv, "HELPFORCE_VAPID_PRIVATE_KEY"); err != nil {
		errs = append(errs, err)
	}
	if c.AdminPassword, err = secret(getenv, "HELPFORCE_ADMIN_PASSWORD"); err != nil {
		errs = append(errs, err)
	} else if c.AdminPassword != "" && (len(c.AdminPassword) < 10 || len(c.AdminPassword) > 72) {
		errs = append(errs, errors.New("HELPFORCE_ADMIN_PASSWORD: want 10 to 72 characters"))
	}
	dur := func(name string, dst *time.Duration) {
		d, err := time.ParseDuration(get(name))
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s=%q: want a positive Go duration such as 30s or 5m", name, get(name)))
		}
		*dst = d
	}
	dur("HELPFORCE_OFFER_TIMEOUT", &c.OfferTimeout)
	dur("HELPFORCE_OVERFLOW_TIMEOUT", &c.OverflowTimeout)
	dur("HELPFORCE_ABANDON_AFTER", &c.AbandonAfter)
	dur("HELPFORCE_HOLD_TTL", &c.HoldTTL)
	dur("HELPFORCE_SESSION_IDLE", &c.SessionIdle)
	dur("HELPFORCE_PHOTO_RETENTION", &c.PhotoRetention)
	switch c.DispatchPolicy = get("HELPFORCE_DISPATCH_POLICY"); c.DispatchPolicy {
	case "waves", "broadcast", "floor":
	default:
		errs = append(errs, fmt.Errorf("HELPFORCE_DISPATCH_POLICY=%q: want waves, broadcast or floor", c.DispatchPolicy))
	}
	dur("HELPFORCE_READ_TIMEOUT", &c.ReadTimeout)
	dur("HELPFORCE_PUSH_LEASE", &c.PushLease)
	c.PushAllowHosts = splitList(get("HELPFORCE_PUSH_ALLOW_HOSTS"))
	for _, p := range splitList(get("HELPFORCE_TRUSTED_PROXIES")) {
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			if addr, aerr := netip.ParseAddr(p); aerr == nil {
				prefix, err = addr.Prefix(addr.BitLen())
			}
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("HELPFORCE_TRUSTED_PROXIES: %q is not a CIDR or an IP address", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, prefix)
	}
	c.BodyLimit, err = strconv.ParseInt(get("HELPFORCE_BODY_LIMIT"), 10, 64)
	if err != nil || c.BodyLimit < 1024 {
		errs = append(errs, fmt.Errorf("HELPFORCE_BODY_LIMIT=%q: want a number of bytes, at least 1024", get("HELPFORCE_BODY_LIMIT")))
	}
	if c.PushWorkers, err = strconv.Atoi(get("HELPFORCE_PUSH_WORKERS")); err != nil || c.PushWorkers < 1 || c.PushWorkers > 1024 {
		errs = append(errs, fmt.Errorf("HELPFORCE_PUSH_WORKERS=%q: want a number from 1 to 1024", get("HELPFORCE_PUSH_WORKERS")))
	}
	if c.DBConns, err = strconv.Atoi(get("HELPFORCE_DB_CONNS")); err != nil || c.DBConns < 2 || c.DBConns > 1000 {
		errs = append(errs, fmt.Errorf("HELPFORCE_DB_CONNS=%q: want a number from 2 to 1000", get("HELPFORCE_DB_CONNS")))
	}
	if c.EmbeddedDatabase, err = strconv.ParseBool(get("HELPFORCE_EMBEDDED_DATABASE")); err != nil {
		errs = append(errs, fmt.Errorf("HELPFORCE_EMBEDDED_DATABASE=%q: want true or false", get("HELPFORCE_EMBEDDED_DATABASE")))
	}
	// A place for each database connection and a third more for the time
	// requests spend outside the database: more only wait for a connection,
	// and make everyone admitted wait longer.
	c.MaxInFlight = c.DBConns + c.DBConns/3
	if v := get("HELPFORCE_MAX_INFLIGHT"); v != "" {
		if c.MaxInFlight, err = strconv.Atoi(v); err != nil || c.MaxInFlight < 0 || c.MaxInFlight > 100000 {
			errs = append(errs, fmt.Errorf("HELPFORCE_MAX_INFLIGHT=%q: want a number from 0 (no bound) to 100000", v))
		}
	}
	dur("HELPFORCE_QUEUE_WAIT", &c.QueueWait)
	if c.MetricsAddr == "off" {
		c.MetricsAddr = ""
	}
	readLimits(get, &c, &errs)
	if d := get("HELPFORCE_DEMO"); d != "" {
		if c.Demo, err = strconv.ParseBool(d); err != nil {
			errs = append(errs, fmt.Errorf("HELPFORCE_DEMO=%q: want true or false", d))
		}
	}
	if err := c.Validate(); err != nil {
		errs = append(errs, err)
	}
	return c, errors.Join(errs...)
}

// Validate checks the settings that flags may also change.
func (c Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("listen address %q: want host:port, such as :8080 or 127.0.0.1:9000", c.Addr))
	}
	if _, _, err := net.SplitHostPort(c.MetricsAddr); c.MetricsAddr != "" && err != nil {
		errs = append(errs, fmt.Errorf("HELPFORCE_METRICS_ADDR=%q: want host:port, such as 127.0.0.1:9464, or off", c.MetricsAddr))
	}
	for _, h := range c.PushAllowHosts {
		if _, port, err := net.SplitHostPort(h); err != nil || port == "" {
			errs = append(errs, fmt.Errorf("HELPFORCE_PUSH_ALLOW_HOSTS: %q is not host:port", h))
		}
	}
	if (c.VAPIDPublicKey == "") != (c.VAPIDPrivateKey == "") {
		errs = append(errs, errors.New("set both HELPFORCE_VAPID_PUBLIC_KEY and HELPFORCE_VAPID_PRIVATE_KEY, or neither"))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("HELPFORCE_LOG_LEVEL=%q: want debug, info, warn or error", c.LogLevel))
	}
	if c.PublicURL != "" {
		if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, fmt.Errorf("HELPFORCE_PUBLIC_URL=%q: want an absolute URL such as https://help.example.com", c.PublicURL))
		}
	}
	if c.DatabaseURL == "" && c.DataDir == "" {
		errs = append(errs, errors.New("set DATABASE_URL or HELPFORCE_DATA_DIR"))
	}
	return errors.Join(errs...)
}

// secret reads NAME, or the file named by NAME_FILE.
func secret(getenv func(string) string, name string) (string, error) {
	v := getenv(name)
	file := getenv(name + "_FILE")
	if v != "" && file != "" {
		return "", fmt.Errorf("set %s or %s_FILE, not both", name, name)
	}
	if file == "" {
		return v, nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("%s_FILE: %w", name, err)
	}
	return strings.TrimSpace(string(b)), nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
