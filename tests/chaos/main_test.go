package chaos

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// bin is the helpforce binary under test, built once per run; loadBin is
// the load and store-day tool (tests/load) that drives it.
var bin, loadBin string

// long is set by HELPFORCE_CHAOS=long (make chaos): more kills, longer outages.
var long = os.Getenv("HELPFORCE_CHAOS") == "long"

// pick returns the long figure under make chaos, the short one otherwise.
func pick[T any](short, longer T) T {
	if long {
		return longer
	}
	return short
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "hf-chaos-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bin, loadBin = filepath.Join(dir, "helpforce"), filepath.Join(dir, "load")
	build := exec.Command("go", "build", "-o", dir, "helpforce/cmd/helpforce", "helpforce/tests/load")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "chaos: building the binaries failed:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
