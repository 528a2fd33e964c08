#!/usr/bin/env bash
# Installs what Helpforce needs from Debian packages when it is missing:
#   scripts/deps.sh postgres   PostgreSQL server binaries (for the embedded database)
#   scripts/deps.sh chromium   Chromium (for the browser tests)
#   scripts/deps.sh wrk        the HTTP load generator (for make bench)
set -euo pipefail

have_postgres() {
	command -v initdb >/dev/null 2>&1 && command -v postgres >/dev/null 2>&1 && return 0
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1
}

install() {
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing: $*; install it with:" >&2
		echo "  sudo apt-get update && sudo apt-get install -y $*" >&2
		exit 1
	fi
	echo "installing $* ..." >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

for what in "$@"; do
	case "$what" in
	postgres) have_postgres || install postgresql ;;
	chromium) [ -x /usr/bin/chromium ] || install chromium fonts-dejavu-core ;;
	wrk) command -v wrk >/dev/null 2>&1 || install wrk ;;
	*) echo "scripts/deps.sh: unknown dependency $what" >&2; exit 2 ;;
	esac
done
