package notify

import (
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// Config tunes the sender.
type Config struct {
	Keys       Keys
	Subject    string   // contact for push services: an email address or https URL
	AllowHosts []string // HELPFORCE_PUSH_ALLOW_HOSTS
	Workers    int      // concurrent sends per replica; default 16
	// SendTimeout bounds one POST to a push service; default 10s.
	SendTimeout time.Duration
	// Lease is how long a claimed row is left to its worker before another
	// may take it (a worker that died mid-send); default 60s.
	Lease time.Duration
}

// Push stores subscriptions and sends the outbox.
type Push struct {
	db      *sqlx.DB
	log     *slog.Logger
	cfg     Config
	allow   AllowList
	client  *http.Client
	metrics *metrics
	wake    chan struct{} // rows may be due in the outbox
	sent    chan int64    // ids of delivered rows, recorded in batches
	delays  delays

	mu         sync.Mutex
	handedJobs []job         // rows leased at birth waiting for a worker; once stopping, every row held unsent
	handed     chan struct{} // rows were handed over
	ended      chan struct{} // closed once Run's workers have ended and what they sent is recorded
	released   bool          // Release gave back what was held: later rows are given back as they come
}

// New returns a Push; Run starts its workers.
func New(db *sqlx.DB, log *slog.Logger, cfg Config) *Push {
	if cfg.Workers <= 0 {
		cfg.Workers = 16
	}
	if cfg.SendTimeout <= 0 {
		cfg.SendTimeout = 10 * time.Second
	}
	if cfg.Lease <= 0 {
		cfg.Lease = 60 * time.Second
	}
	// webpush-go prefixes "mailto:" itself unless the subject is an https URL;
	// a subject already carrying it would become "mailto:mailto:…", which
	// Apple refuses (403 BadJwtToken).
	cfg.Subject = strings.TrimPrefix(cfg.Subject, "mailto:")
	p := &Push{db: db, log: log, cfg: cfg, allow: NewAllowList(cfg.AllowHosts), wake: make(chan struct{}, 1),
		handed: make(chan struct{}, 1), ended: make(chan struct{}), sent: make(chan int64, 1024)}
	p.client = p.newClient()
	p.metrics = newMetrics(p)
	return p
}

// PublicKey is the VAPID public key browsers subscribe with.
func (p *Push) PublicKey() string { return p.cfg.Keys.Public }

// newClient is one shared client for every send: Go's default transport keeps
// only two idle connections per host, far too few for a busy push service.
func (p *Push) newClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second, Control: p.allow.dialControl}
	return &http.Client{
		Timeout: p.cfg.SendTimeout,
		Transport: &http.Transport{
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			MaxIdleConns:          256,
			MaxIdleConnsPerHost:   64,
			IdleConnTimeout:       90 * time.Second,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: p.cfg.SendTimeout,
		},
		// A push service answers; it does not redirect. Following one would
		// let a stored endpoint lead the server elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// poke wakes the dispatcher without blocking.
func (p *Push) poke() {
	select {
	case p.wake <- struct{}{}:
	default:
	}
}
