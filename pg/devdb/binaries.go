// Package devdb runs a private PostgreSQL server from the machine's server
// binaries, for development (`make run` without DATABASE_URL) and for tests
// (pg/pgtest, the failure drills). Production connects to a server of its own
// through package pg and never starts one.
package devdb

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
)

// ErrNoBinaries means no PostgreSQL server binaries were found on this machine.
var ErrNoBinaries = errors.New("PostgreSQL server binaries (initdb, postgres) not found; " +
	"install them with: apt-get install -y postgresql")

// FindBinaries returns the folder holding initdb and postgres: the PATH first,
// then the newest /usr/lib/postgresql/*/bin (Debian keeps them off the PATH).
func FindBinaries() (string, error) {
	if initdb, err := exec.LookPath("initdb"); err == nil {
		dir := filepath.Dir(initdb)
		if resolved, err := filepath.EvalSymlinks(initdb); err == nil {
			dir = filepath.Dir(resolved)
		}
		if isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, dir := range dirs {
		if isExecutable(filepath.Join(dir, "initdb")) && isExecutable(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", ErrNoBinaries
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// socketPathMax is the room Linux gives a unix socket path (sun_path less the NUL).
const socketPathMax = 107

func checkSocketDir(dir string) error {
	path := filepath.Join(dir, ".s.PGSQL.5432")
	if len(path) > socketPathMax {
		return fmt.Errorf("devdb: the data folder path is too long for a unix socket (%d > %d characters): %s; "+
			"choose a shorter HELPFORCE_DATA_DIR", len(path), socketPathMax, dir)
	}
	return nil
}
