package app

import (
	"log/slog"

	"helpforce/api"
	"helpforce/assist"
	"helpforce/config"
	"helpforce/holds"
	"helpforce/notify"
	"helpforce/people"
	"helpforce/photos"
)

// FromSettings turns the validated settings of the environment and flags
// into the services' configuration.
func FromSettings(c config.Config, log *slog.Logger) Config {
	units := c.Limits.HoldUnits
	if units == 0 {
		units = -1 // off
	}
	return Config{
		DatabaseURL: c.DatabaseURL,
		Log:         log,
		SessionIdle: c.SessionIdle,
		Push: notify.Config{Keys: notify.Keys{Public: c.VAPIDPublicKey, Private: c.VAPIDPrivateKey},
			Subject: c.VAPIDSubject, AllowHosts: c.PushAllowHosts, Workers: c.PushWorkers, Lease: c.PushLease},
		Assist: assist.Config{OfferTimeout: c.OfferTimeout, OverflowTimeout: c.OverflowTimeout,
			AbandonAfter: c.AbandonAfter, Policy: assist.Policy(c.DispatchPolicy),
			MaxMessages: c.Limits.Messages, MaxMessageBytes: c.Limits.MessageBytes},
		Holds: holds.Config{TTL: c.HoldTTL, FirstTTL: c.Limits.HoldFirstTTL, UnitsPerAddress: units,
			MaxMessages: c.Limits.Messages},
		Photos: photos.Config{Retention: c.PhotoRetention},
		API: api.Options{BodyLimit: c.BodyLimit, TrustedProxies: c.TrustedProxies, PublicURL: c.PublicURL,
			Limits: apiLimits(c.Limits), AllowedHosts: c.AllowedHosts, ReadTimeout: c.ReadTimeout,
			MaxInFlight: inFlight(c.MaxInFlight), QueueWait: c.QueueWait},
	}
}

// apiLimits turns the configured limits into the HTTP layer's.
func apiLimits(l config.Limits) *api.Limits {
	rate := func(r config.Rate) people.Rate { return people.Rate{Burst: r.Burst, Per: r.Per} }
	action := func(a config.ActionLimit) api.ActionLimit {
		return api.ActionLimit{Shopper: rate(a.Shopper), Address: rate(a.Address)}
	}
	return &api.Limits{Create: action(l.Create), Cancel: action(l.Cancel), Move: action(l.Move),
		Message: action(l.Message), Hold: action(l.Hold), Public: rate(l.Public),
		StreamsPerCaller: l.StreamsPerCaller, StreamsPerAddress: l.StreamsPerAddress,
		StreamWriteTimeout: l.StreamWriteTimeout, StreamRecheck: l.StreamRecheck}
}

// inFlight turns the configured bound into the API's option, where 0 takes
// the default and a negative value sets no bound.
func inFlight(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
