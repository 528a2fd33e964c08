#!/usr/bin/env bash
# Benchmarks: Go benchmarks of every package, then HTTP load against the real
# binary on an embedded database with 1,000 extra stores: place look-ups, then
# help requests to 100 of those stores, staffed; then the whole request
# lifecycle (tests/load: alerts, accepts, chat, resolve) on a server of its
# own; then 10,000 idle event streams (tests/load -mode streams). Figures go
# to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh postgres wrk

if [ "${BENCH_GO:-1}" = 1 ]; then
	echo "== Go benchmarks"
	go test -run '^$' -bench . -benchmem -benchtime "${BENCHTIME:-1s}" ./...
fi

echo "== HTTP load"
make -s build
dir=$(mktemp -d /tmp/hf-bench-XXXXXX)
chmod 711 "$dir"
addr=127.0.0.1:${BENCH_PORT:-18190}
admin_password=bench-admin-password
# Throughput, not abuse: the load comes from one machine, so the per-address
# limits are off (and /metrics is not served, leaving its port free).
HELPFORCE_DATA_DIR=$dir HELPFORCE_ADDR=$addr HELPFORCE_LOG_LEVEL=warn HELPFORCE_TRUSTED_PROXIES=127.0.0.1/32 \
	HELPFORCE_LIMIT_CREATE=off HELPFORCE_LIMIT_PUBLIC=off HELPFORCE_METRICS_ADDR=off HELPFORCE_ADMIN_PASSWORD=$admin_password \
	./bin/helpforce serve >"$dir/server.log" 2>&1 &
server=$!
trap 'kill -INT $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 300); do curl -sf "http://$addr/readyz" >/dev/null && break; sleep 0.2; done

token=$(curl -sf "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
	-d '{"email":"admin@example.com","password":"'"$admin_password"'"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
echo "creating 1,000 stores …"
lua="$dir/locate.lua"
echo "paths = {}" >"$lua"
for i in $(seq 1000); do
	lat=$(awk -v i="$i" 'BEGIN { srand(i); printf "%.6f", 45.70 + rand() * 0.12 }')
	lng=$(awk -v i="$i" 'BEGIN { srand(i * 7); printf "%.6f", 4.78 + rand() * 0.12 }')
	printf '{"name":"Bench %d","timezone":"Europe/Paris","location":{"lat":%s,"lng":%s},"radius_m":40}\n' "$i" "$lat" "$lng"
	printf 'paths[%d] = "/api/v1/locate?lat=%s&lng=%s&accuracy=%d"\n' "$i" "$lat" "$lng" $((5 + i % 60)) >>"$lua"
done | xargs -P 4 -I{} -d '\n' curl -sf "http://$addr/api/v1/stores" \
	-H "Authorization: Bearer $token" -H 'Content-Type: application/json' -d '{}' |
	grep -o '"id":"[^"]*"' | cut -d'"' -f4 >"$dir/stores.txt"
cat >>"$lua" <<'LUA'
counter = 0
request = function()
	counter = counter + 1
	return wrk.format("GET", paths[(counter % #paths) + 1])
end
LUA
echo "GET /api/v1/locate, 1,000 stores + demo, 2 threads, 64 connections, 10 s:"
wrk -t2 -c64 -d10s --latency -s "$lua" "http://$addr" | sed -n '1,20p'

. scripts/bench-help.sh

# The lifecycle load starts a server of its own; this one is done.
kill -INT $server 2>/dev/null || true
wait $server 2>/dev/null || true
echo "== Lifecycle load: 100 stores × 3 floor staff (tests/load, LOAD_FLAGS to change)"
go run ./tests/load -mode load ${LOAD_FLAGS:-}
echo "== Idle event streams: 10,000 waiting shoppers (tests/load -mode streams, STREAMS_FLAGS to change)"
go run ./tests/load -mode streams ${STREAMS_FLAGS:-}
