package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// healthcheck asks the server on this machine whether it is ready to serve
// (GET /readyz) and fails when it is not. It is the container image's
// HEALTHCHECK: an image built from scratch has no curl or wget to do it.
func healthcheck(args []string, stdout, stderr io.Writer) error {
	addr := os.Getenv("HELPFORCE_ADDR")
	if addr == "" {
		addr = ":8080" // serve's default with DATABASE_URL set
	}
	fs := flag.NewFlagSet("helpforce healthcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&addr, "addr", addr, "the server's listen address (env HELPFORCE_ADDR)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	url, err := readyURL(addr)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: *timeout}
	res, err := client.Get(url)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(res.Body, 512)) // only quoted in the message
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s: %s", url, res.Status, strings.TrimSpace(string(body)))
	}
	fmt.Fprintf(stdout, "ready: %s\n", strings.TrimSpace(string(body)))
	return nil
}

// readyURL is the /readyz address of a server listening on addr: a server
// listening on every interface is asked on the loopback one.
func readyURL(addr string) (string, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return "", fmt.Errorf("healthcheck: listen address %q: want host:port, such as :8080", addr)
	}
	switch host {
	case "", "0.0.0.0":
		host = "127.0.0.1"
	case "::":
		host = "::1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/readyz", nil
}
