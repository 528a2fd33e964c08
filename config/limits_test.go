package config_test

import (
	"strings"
	"testing"
	"time"

	"helpforce/config"
)

func TestLimitDefaults(t *testing.T) {
	c, err := config.FromEnv(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	l := c.Limits
	if c.MetricsAddr != "127.0.0.1:9464" ||
		l.Create != (config.ActionLimit{Shopper: config.Rate{Burst: 6, Per: 10 * time.Minute}, Address: config.Rate{Burst: 60, Per: 10 * time.Minute}}) ||
		l.Message.Shopper != (config.Rate{Burst: 30, Per: 5 * time.Minute}) || l.Public != (config.Rate{Burst: 600, Per: time.Minute}) ||
		l.StreamsPerCaller != 5 || l.StreamsPerAddress != 50 || l.StreamWriteTimeout != 10*time.Second ||
		l.Messages != 200 || l.MessageBytes != 6000 || l.HoldUnits != 10 || l.HoldFirstTTL != 2*time.Hour {
		t.Fatalf("defaults %+v, metrics %q", l, c.MetricsAddr)
	}
}

func TestLimitsTurnOff(t *testing.T) {
	c, err := config.FromEnv(env(map[string]string{"HELPFORCE_METRICS_ADDR": "off", "HELPFORCE_LIMIT_CREATE": "off",
		"HELPFORCE_LIMIT_HOLD": "off,20/1h", "HELPFORCE_LIMIT_PUBLIC": "off", "HELPFORCE_LIMIT_HOLD_UNITS": "off",
		"HELPFORCE_LIMIT_STREAMS": "0,0"}))
	if err != nil {
		t.Fatal(err)
	}
	l := c.Limits
	if c.MetricsAddr != "" || l.Create != (config.ActionLimit{}) || l.Hold.Shopper != (config.Rate{}) ||
		l.Hold.Address != (config.Rate{Burst: 20, Per: time.Hour}) || l.Public != (config.Rate{}) || l.HoldUnits != 0 ||
		l.StreamsPerCaller != 0 {
		t.Fatalf("off: %+v, metrics %q", l, c.MetricsAddr)
	}
}

func TestInvalidLimitsAreNamed(t *testing.T) {
	for name, value := range map[string]string{
		"HELPFORCE_METRICS_ADDR":         "9464",
		"HELPFORCE_LIMIT_CREATE":         "6/10m",
		"HELPFORCE_LIMIT_MESSAGE":        "often,300/5m",
		"HELPFORCE_LIMIT_HOLD":           "0/1m,1/1m",
		"HELPFORCE_LIMIT_PUBLIC":         "600/never",
		"HELPFORCE_LIMIT_STREAMS":        "5",
		"HELPFORCE_STREAM_WRITE_TIMEOUT": "0s",
		"HELPFORCE_LIMIT_MESSAGES":       "0",
		"HELPFORCE_LIMIT_MESSAGE_BYTES":  "big",
		"HELPFORCE_LIMIT_HOLD_UNITS":     "-3",
		"HELPFORCE_HOLD_FIRST_TTL":       "soon",
	} {
		_, err := config.FromEnv(env(map[string]string{name: value}))
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%q: error %v", name, value, err)
		}
	}
}
