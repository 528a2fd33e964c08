# Sourced by bench.sh with the server at $addr, an admin $token and the
# bench stores' ids in $dir/stores.txt.
#
# POST /api/v1/help-requests: 100 of the bench stores get a TV department
# and an available floor member; shoppers, each behind its own forwarded
# address as behind a proxy, ask for help there, at most three open each.

staff() {
	local i=$1 store=$2 t
	curl -sf -o /dev/null "http://$addr/api/v1/stores/$store/departments" -H "Authorization: Bearer $token" \
		-H 'Content-Type: application/json' -d '{"code":"tv","name":"TVs"}'
	curl -sf -o /dev/null "http://$addr/api/v1/users" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
		-d "{\"email\":\"staff$i@bench.example\",\"name\":\"Staff $i\",\"password\":\"bench-password\",\"role\":\"floor\",\"store_id\":\"$store\",\"departments\":[\"tv\"]}"
	t=$(curl -sf "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' -H "X-Forwarded-For: 10.1.$i.1" \
		-d "{\"email\":\"staff$i@bench.example\",\"password\":\"bench-password\"}" | sed -E 's/.*"token":"([^"]+)".*/\1/')
	curl -sf -o /dev/null -X PUT "http://$addr/api/v1/me/status" -H "Authorization: Bearer $t" \
		-H 'Content-Type: application/json' -d '{"status":"available"}'
	echo "stores[#stores + 1] = \"$store\""
}
export -f staff
export addr token

echo "staffing 100 stores …"
lua="$dir/help.lua"
echo "stores = {}" >"$lua"
head -n 100 "$dir/stores.txt" | nl -w1 -s' ' | xargs -P 4 -n 2 bash -c 'staff "$0" "$1"' >>"$lua"
shoppers=${BENCH_SHOPPERS:-10000}
echo "creating $shoppers shoppers …"
echo "tokens = {}" >>"$lua"
seq "$shoppers" | xargs -P 4 -I{} bash -c 'i={}; curl -sf -X POST "http://$addr/api/v1/shoppers" \
	-H "X-Forwarded-For: 10.$((i / 65536 % 256 + 2)).$((i / 256 % 256)).$((i % 256))"; echo' |
	sed -nE 's/.*"token":"([^"]+)".*/tokens[#tokens + 1] = "\1"/p' >>"$lua"
cat >>"$lua" <<'LUA'
threads = 0
setup = function(thread)
	thread:set("tid", threads)
	threads = threads + 1
end
counter = 0
request = function()
	counter = counter + 1
	local n = counter * 2 + tid
	local body = '{"department":"tv","note":"Which soundbar fits a 55\\" TV?","store_id":"' ..
		stores[(n % #stores) + 1] .. '"}'
	return wrk.format("POST", "/api/v1/help-requests", {
		["Content-Type"] = "application/json",
		["Authorization"] = "Bearer " .. tokens[(n % #tokens) + 1],
	}, body)
end
LUA
echo "POST /api/v1/help-requests, 100 stores, 2 threads, 32 connections, 10 s:"
wrk -t2 -c32 -d10s --latency -s "$lua" "http://$addr" | sed -n '1,20p'
