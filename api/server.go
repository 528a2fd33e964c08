// Package api is Helpforce's HTTP interface: the route table, the handlers,
// the middleware and the error catalog. Handlers call domain packages; domain
// packages never see Echo.
package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"helpforce/assist"
	"helpforce/holds"
	"helpforce/notify"
	"helpforce/people"
	"helpforce/photos"
	"helpforce/pwa"
	"helpforce/stores"
)

// Options are the settings the HTTP layer needs.
type Options struct {
	BodyLimit      int64
	ImportLimit    int64 // largest inventory import; default 64 MB
	TrustedProxies []netip.Prefix
	// Limits on login attempts and shopper sign-ups; zero values take the defaults.
	LoginPerIP people.Limit
	// LoginBackoff paces attempts per account and address (and password
	// changes per person).
	LoginBackoff  people.Backoff
	ShoppersPerIP people.Limit
	ShopperTTL    time.Duration
	// ReadTimeout bounds reading one request, body included, except event
	// streams (no body, open for hours) and inventory imports (ImportTimeout).
	ReadTimeout   time.Duration
	ImportTimeout time.Duration
	// PublicURL is the app's address as shoppers reach it (printed into QR
	// codes); empty: the request's Host when it is in AllowedHosts.
	PublicURL string
	// Limits bound what one caller can do; nil takes DefaultLimits.
	Limits *Limits
	// AllowedHosts are the Host values (host or host:port) the app answers
	// to for shelf QR codes when PublicURL is unset; empty: loopback only.
	AllowedHosts []string
	// MaxInFlight bounds the API requests worked on at once (see
	// admission.go); 0 takes DefaultMaxInFlight, negative sets no bound.
	MaxInFlight int
	// QueueWait is how long a request past the bound may wait for a place
	// before it is shed with 503; 0 takes DefaultQueueWait.
	QueueWait time.Duration
}

func (o *Options) defaults() {
	if o.BodyLimit == 0 {
		o.BodyLimit = 1 << 20
	}
	if o.ImportLimit == 0 {
		o.ImportLimit = 64 << 20
	}
	if o.ReadTimeout == 0 {
		o.ReadTimeout = 30 * time.Second
	}
	if o.ImportTimeout == 0 {
		o.ImportTimeout = 10 * time.Minute
	}
	if o.LoginPerIP.Max == 0 {
		o.LoginPerIP = people.Limit{Max: 60, Window: 15 * time.Minute}
	}
	if o.LoginBackoff.Free == 0 {
		o.LoginBackoff = people.Backoff{Free: 5, Base: time.Second, Max: 15 * time.Minute}
	}
	if o.ShoppersPerIP.Max == 0 {
		o.ShoppersPerIP = people.Limit{Max: 30, Window: 10 * time.Minute}
	}
	if o.ShopperTTL == 0 {
		o.ShopperTTL = 365 * 24 * time.Hour
	}
	if o.MaxInFlight == 0 {
		o.MaxInFlight = DefaultMaxInFlight
	}
	if o.QueueWait <= 0 {
		o.QueueWait = DefaultQueueWait
	}
	if o.Limits == nil {
		l := DefaultLimits()
		o.Limits = &l
	}
}

// Deps are the domain services the handlers call.
type Deps struct {
	DB     *sqlx.DB
	People *people.Directory
	Stores *stores.Registry
	Places *stores.Places
	Push   *notify.Push
	Desk   *assist.Desk
	Holds  *holds.Keeper
	Live   *notify.Live
	Log    *slog.Logger
	// Photos defaults to an album on DB with the default rules.
	Photos *photos.Album
}

// Server holds every dependency of the handlers.
type Server struct {
	db      *sqlx.DB
	people  *people.Directory
	stores  *stores.Registry
	places  *stores.Places
	push    *notify.Push
	desk    *assist.Desk
	holds   *holds.Keeper
	live    *notify.Live
	hub     *liveHub
	photos  *photos.Album
	log     *slog.Logger
	opts    Options
	echo    *echo.Echo
	metrics *metrics
	limits  Limits
	public  *memBuckets
	streams *streamSlots
	beats   *heartbeats
	// stopping ends when the server shuts down, and with it every streaming
	// request (endWithServer) and every stream that outlives its handler
	// (see sse).
	stopping context.Context
	stop     context.CancelFunc
	// admission bounds the requests worked on at once.
	admission *admission
	list      storeList
	assets    map[string]*pwa.Asset
	traits    map[string]traits // by "METHOD /path", set by declare in the route table

	proxyWarned proxyWarning
}

// New wires the HTTP server.
func New(d Deps, opts Options) *Server {
	opts.defaults()
	s := &Server{db: d.DB, people: d.People, stores: d.Stores, places: d.Places, push: d.Push, desk: d.Desk, holds: d.Holds, live: d.Live,
		log: d.Log, opts: opts, limits: *opts.Limits, photos: d.Photos, traits: map[string]traits{}}
	s.public = &memBuckets{rate: s.limits.Public}
	s.hub = newLiveHub(d.Desk, d.Live, s.log, s.limits.StreamRecheck)
	s.admission = newAdmission(opts.MaxInFlight, opts.QueueWait)
	s.streams = &streamSlots{perCaller: s.limits.StreamsPerCaller, perAddress: s.limits.StreamsPerAddress}
	s.beats = &heartbeats{every: s.heartbeat()}
	s.stopping, s.stop = context.WithCancel(context.Background())
	assets, err := pwa.Assets()
	if err != nil {
		// The files are embedded in the binary: only a broken build lands here.
		panic(err)
	}
	s.assets = assets
	if s.photos == nil && d.DB != nil {
		s.photos = photos.New(d.DB, photos.Config{})
	}
	s.metrics = newMetrics(prometheus.NewRegistry())
	s.metrics.registry.MustRegister(s.hub.collectors()...)
	if d.Push != nil {
		s.metrics.registry.MustRegister(d.Push.Collectors()...)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = ipExtractor(opts.TrustedProxies)
	s.echo = e
	s.routes()
	return s
}

// Handler is the whole HTTP interface, for tests and embedding.
func (s *Server) Handler() http.Handler { return s.echo }

// Echo exposes the router (the route table test walks it).
func (s *Server) Echo() *echo.Echo { return s.echo }

// Serve answers on ln until ctx ends, then drains in-flight requests.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler: s.readDeadline(s.echo),
		// Echo sets no timeouts; without them a slow client holds a connection
		// forever. ReadTimeout stays unset: it would also cut event streams,
		// so readDeadline sets each request's own.
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
	// Shutdown waits for the requests under way to finish; event streams
	// never finish by themselves, so they end as it begins (endWithServer),
	// with the streams taken over from net/http, which are not its to end.
	srv.RegisterOnShutdown(s.stop)
	defer s.stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if e := <-errc; !errors.Is(e, http.ErrServerClosed) && err == nil {
		err = e
	}
	return err
}

// ipExtractor believes X-Forwarded-For only from the configured proxies;
// Echo's default believes anyone, which would let a client dodge rate limits.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		_, ipnet, err := net.ParseCIDR(p.String())
		if err == nil {
			opts = append(opts, echo.TrustIPRange(ipnet))
		}
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}
