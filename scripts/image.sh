#!/usr/bin/env bash
# The container image, with Debian's podman, from scratch (no base image is
# pulled):
#   scripts/image.sh build   build bin/helpforce-static and the image $IMAGE (default helpforce)
#   scripts/image.sh test    build, then run the image against a throwaway PostgreSQL:
#                            it must refuse to start without DATABASE_URL, migrate, serve
#                            from a read-only file system as a non-root user, answer /readyz,
#                            pass its own HEALTHCHECK, and fail it once the database is gone.
# Where podman cannot run containers, `test` says why and skips (exit 0), unless
# IMAGE_TEST_REQUIRED=1, which turns the skip into a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-helpforce}
BIN=bin/helpforce-static

say() { echo "image: $*" >&2; }
fail() { say "FAIL: $*"; exit 1; }
skip() {
	if [ "${IMAGE_TEST_REQUIRED:-0}" = 1 ]; then fail "$* (IMAGE_TEST_REQUIRED=1)"; fi
	say "SKIP: $*"
	exit 0
}

# h3-go is C (cgo): the binary is linked statically against glibc. netgo and
# osusergo keep glibc's resolver and user lookups (which cannot be static) out;
# timetzdata carries the time zones, which an empty image does not have.
build_binary() {
	say "building $BIN (static, cgo) …"
	mkdir -p bin
	CGO_ENABLED=1 go build -trimpath -tags netgo,osusergo,timetzdata \
		-ldflags '-s -w -linkmode external -extldflags "-static"' -o "$BIN" ./cmd/helpforce
	if readelf -l "$BIN" | grep -q 'program interpreter'; then
		fail "$BIN is dynamically linked; it would not start on an empty image"
	fi
}

build_image() {
	command -v podman >/dev/null 2>&1 || fail "podman is not installed: apt-get install -y podman"
	local certs=/etc/ssl/certs/ca-certificates.crt
	[ -s "$certs" ] || fail "$certs is missing: apt-get install -y ca-certificates"
	build_binary
	local ctx version revision
	ctx=$(mktemp -d /tmp/hf-image-XXXXXX)
	CLEAN_DIRS+=("$ctx")
	cp Containerfile "$ctx/"
	cp "$BIN" "$ctx/helpforce"
	cp "$certs" "$ctx/ca-certificates.crt"
	echo 'helpforce:x:65532:65532:Helpforce:/nonexistent:/sbin/nologin' >"$ctx/passwd"
	echo 'helpforce:x:65532:' >"$ctx/group"
	version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
	revision=$(git rev-parse HEAD 2>/dev/null || echo unknown)
	say "building the image $IMAGE:$version …"
	# The docker format keeps HEALTHCHECK, which the OCI format has no field for.
	podman build --pull=never --format docker --build-arg VERSION="$version" --build-arg REVISION="$revision" \
		-t "$IMAGE:$version" -t "$IMAGE:latest" -f "$ctx/Containerfile" "$ctx" >&2
	say "built $IMAGE:latest ($(podman image inspect --format '{{.Size}}' "$IMAGE:latest") bytes)"
}

CLEAN_DIRS=()
CONTAINER=
PG_STOP=()
cleanup() {
	if [ -n "$CONTAINER" ]; then
		if [ "${KEEP_LOGS:-0}" = 1 ] || [ "${FAILED:-0}" = 1 ]; then podman logs "$CONTAINER" >&2 2>&1 || true; fi
		podman "${PODMAN_GLOBAL[@]}" rm -f "$CONTAINER" >/dev/null 2>&1 || true
	fi
	if [ ${#PG_STOP[@]} -gt 0 ]; then "${PG_STOP[@]}" >/dev/null 2>&1 || true; fi
	if [ ${#CLEAN_DIRS[@]} -gt 0 ]; then rm -rf "${CLEAN_DIRS[@]}"; fi
}
trap cleanup EXIT

PODMAN_GLOBAL=()
PODMAN_RUN=()
# find_run_flags finds how podman can run a container here. Its defaults do
# not run everywhere: without CAP_SYS_RESOURCE (a sandbox's root) it cannot
# give the container podman's raised open-file and process limits, and crun
# refuses cgroups in hybrid mode where runc does not. The first way that runs
# the image's "helpforce help" wins.
find_run_flags() {
	local limits="--ulimit nofile=8192:8192 --ulimit nproc=4096:4096"
	local tries=("|" "|$limits") try out why="" g r
	if command -v runc >/dev/null 2>&1; then tries+=("--runtime runc|$limits"); fi
	for try in "${tries[@]}"; do
		g=${try%%|*} r=${try#*|}
		read -r -a PODMAN_GLOBAL <<<"$g"
		read -r -a PODMAN_RUN <<<"$r"
		if out=$(podman "${PODMAN_GLOBAL[@]}" run --rm --network host --no-healthcheck "${PODMAN_RUN[@]}" "$IMAGE:latest" help 2>&1) &&
			grep -q '^Usage:' <<<"$out"; then
			say "podman runs containers here as: podman ${g:+$g }run${r:+ $r}"
			return 0
		fi
		why+=$'\n'"  podman ${g:+$g }run --network host${r:+ $r}: $(tail -n 1 <<<"$out")"
	done
	if grep -q 'hybrid mode' <<<"$why" && ! command -v runc >/dev/null 2>&1; then
		why+=$'\n'"  (crun refuses this machine's hybrid cgroups; runc runs there: apt-get install -y runc)"
	fi
	skip "podman cannot run a container on this machine:$why"
}

# free_port prints a loopback TCP port nothing listens on.
free_port() {
	local p
	for _ in $(seq 50); do
		p=$((20000 + RANDOM % 20000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return 0
		fi
	done
	fail "no free port found"
}

# start_postgres starts a throwaway PostgreSQL on 127.0.0.1 (as the postgres
# user when run as root, as the Go tests do) and sets DB_URL.
start_postgres() {
	scripts/deps.sh postgres
	local bindir dir port
	if command -v initdb >/dev/null 2>&1; then
		bindir=$(dirname "$(readlink -f "$(command -v initdb)")")
	else
		bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
	fi
	dir=$(mktemp -d /tmp/hf-image-pg-XXXXXX)
	CLEAN_DIRS+=("$dir")
	local as=()
	if [ "$(id -u)" = 0 ]; then
		chown postgres: "$dir"
		as=(runuser -u postgres --)
	fi
	port=$(free_port)
	"${as[@]}" "$bindir/initdb" -D "$dir/data" -U postgres -A trust --no-sync >"$dir/initdb.log" 2>&1 ||
		fail "initdb: $(tail -n 3 "$dir/initdb.log")"
	"${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null ||
		fail "PostgreSQL did not start: $(tail -n 5 "$dir/postgres.log")"
	PG_STOP=("${as[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop)
	"${as[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres helpforce
	DB_URL="postgres://postgres@127.0.0.1:$port/helpforce?sslmode=disable"
	say "PostgreSQL for the test on 127.0.0.1:$port"
}

# run_image runs one command of the image to its end, on the host's network.
run_image() {
	podman "${PODMAN_GLOBAL[@]}" run --rm --network host --no-healthcheck "${PODMAN_RUN[@]}" "$@"
}

test_image() {
	command -v podman >/dev/null 2>&1 || skip "podman is not installed: apt-get install -y podman"
	command -v curl >/dev/null 2>&1 || fail "curl is not installed: apt-get install -y curl"
	build_image
	local cfg
	cfg=$(podman image inspect --format '{{.Config.User}} {{.Config.Healthcheck.Test}} {{.Config.Env}}' "$IMAGE:latest")
	[[ $cfg == "65532:65532 "* ]] || fail "the image does not run as user 65532: $cfg"
	[[ $cfg == *"/helpforce healthcheck"* ]] || fail "the image has no HEALTHCHECK running helpforce healthcheck: $cfg"
	find_run_flags

	local out
	if out=$(run_image "$IMAGE:latest" serve 2>&1); then
		fail "serve started without DATABASE_URL: $out"
	fi
	grep -q 'HELPFORCE_EMBEDDED_DATABASE=false' <<<"$out" || fail "serve without DATABASE_URL did not say why: $out"
	say "ok: without DATABASE_URL the image refuses to start (no embedded cluster)"

	start_postgres
	run_image -e DATABASE_URL="$DB_URL" "$IMAGE:latest" migrate >&2 || fail "migrate"
	run_image -e DATABASE_URL="$DB_URL" "$IMAGE:latest" admin create --email admin@example.com \
		--password image-test-password --name 'Image Test' >&2 || fail "admin create"
	say "ok: migrate and admin create"

	local port base code
	port=$(free_port)
	base="http://127.0.0.1:$port"
	CONTAINER=hf-image-test-$$
	# Read-only: the server writes nothing to disk (deploy/helpforce.service
	# relies on it too). Without systemd (a test machine may not run it)
	# podman cannot schedule the check and says so on stderr; it is run
	# below by hand instead.
	local errlog=${CLEAN_DIRS[0]}/run.err
	podman "${PODMAN_GLOBAL[@]}" run -d --name "$CONTAINER" --network host --read-only "${PODMAN_RUN[@]}" \
		-e DATABASE_URL="$DB_URL" -e HELPFORCE_ADDR="127.0.0.1:$port" -e HELPFORCE_METRICS_ADDR=off \
		"$IMAGE:latest" >/dev/null 2>"$errlog" || fail "podman run: $(cat "$errlog")"
	for _ in $(seq 120); do
		code=$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" || true)
		[ "$code" = 200 ] && break
		sleep 0.5
	done
	[ "$code" = 200 ] || { FAILED=1; fail "/readyz answered ${code:-nothing} after 60 s"; }
	say "ok: serving from a read-only file system, /readyz answers 200: $(curl -s "$base/readyz")"

	local pid uid
	pid=$(podman inspect --format '{{.State.Pid}}' "$CONTAINER")
	uid=$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")
	[ "$uid" = 65532 ] || { FAILED=1; fail "the server runs as uid $uid, not 65532"; }
	say "ok: the server runs as uid $uid"

	podman "${PODMAN_GLOBAL[@]}" healthcheck run "$CONTAINER" >&2 || { FAILED=1; fail "the image's HEALTHCHECK failed"; }
	say "ok: the image's HEALTHCHECK (helpforce healthcheck) passes"

	# A store's time zone is checked with Go's time zone data, which an empty
	# image has only inside the binary; the app's files are embedded too.
	local token body
	token=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
		-d '{"email":"admin@example.com","password":"image-test-password"}' | sed -E 's/.*"token":"([^"]+)".*/\1/') ||
		{ FAILED=1; fail "the admin could not sign in"; }
	body='{"name":"Image test","timezone":"Europe/Paris","location":{"lat":45.7611,"lng":4.8557}}'
	code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/stores" -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' -d "$body")
	[ "$code" = 201 ] || { FAILED=1; fail "creating a store in Europe/Paris answered $code"; }
	code=$(curl -s -o /dev/null -w '%{http_code}' "$base/")
	[ "$code" = 200 ] || { FAILED=1; fail "the app at / answered $code"; }
	say "ok: a store in Europe/Paris is created, and the app is served"

	"${PG_STOP[@]}" >/dev/null
	PG_STOP=()
	local healthy=1
	for _ in $(seq 20); do
		if ! podman "${PODMAN_GLOBAL[@]}" healthcheck run "$CONTAINER" >/dev/null 2>&1; then
			healthy=0
			break
		fi
		sleep 0.5
	done
	[ "$healthy" = 0 ] || { FAILED=1; fail "the HEALTHCHECK still passes with the database stopped"; }
	say "ok: with the database stopped, the HEALTHCHECK fails"
	say "PASS"
}

case "${1:-build}" in
build) build_image ;;
test) test_image ;;
*)
	echo "usage: scripts/image.sh [build|test]" >&2
	exit 2
	;;
esac
