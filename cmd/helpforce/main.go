// Command helpforce runs the Helpforce server and its administrative tasks.
package main

import (
	"fmt"
	"io"
	"os"
	"strings"

	"helpforce/config"
	"helpforce/notify"
)

const usage = `Helpforce gets a shopper in a store a human answer fast.

Usage:
  helpforce serve [flags]            run the server (migrates and seeds an embedded database)
  helpforce migrate [flags]          apply database migrations and exit
  helpforce admin create --email E --password P --name N
                                     create an admin account
  helpforce vapid keys               print a fresh web push (VAPID) key pair
  helpforce healthcheck [--addr A]   exit 0 when the server on this machine is ready (GET /readyz)
  helpforce help                     show this help

Run "helpforce COMMAND --help" for a command's flags.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		printEnv(stderr)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(args[1:], stdout, stderr)
	case "migrate":
		err = migrate(args[1:], stdout, stderr)
	case "admin":
		err = admin(args[1:], stdout, stderr)
	case "vapid":
		err = vapid(args[1:], stdout, stderr)
	case "healthcheck":
		err = healthcheck(args[1:], stdout, stderr)
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		printEnv(stdout)
		return 0
	default:
		fmt.Fprintf(stderr, "helpforce: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	if err == errUsage {
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "helpforce: %v\n", err)
		return 1
	}
	return 0
}

func printEnv(w io.Writer) {
	fmt.Fprintln(w, "\nEnvironment (flags override):")
	for _, v := range config.Vars {
		def := v.Default
		if def != "" {
			def = " (default " + def + ")"
		}
		fmt.Fprintf(w, "  %-28s %s%s\n", v.Name, v.Help, def)
	}
}

// indent prefixes every line of s, for multi-line messages in the banner.
func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n"+prefix)
}

func vapid(args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "keys" {
		fmt.Fprintln(stderr, "usage: helpforce vapid keys")
		return errUsage
	}
	k, err := notify.GenerateKeys()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "HELPFORCE_VAPID_PUBLIC_KEY=%s\nHELPFORCE_VAPID_PRIVATE_KEY=%s\n", k.Public, k.Private)
	return nil
}
