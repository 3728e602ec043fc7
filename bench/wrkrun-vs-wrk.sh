#!/usr/bin/env bash
# wrkrun-vs-wrk.sh — compare wrkrun with wrk against a local nginx.
#
# Installs nothing. Needs (Debian):
#   apt-get install -y nginx-light wrk time
# and a Go toolchain to build wrkrun.
#
# Starts nginx (one worker, private config in a temp dir, serving a 601-byte
# static file) on 127.0.0.1 only, then runs wrk and wrkrun alternately with
# the same flags, ROUNDS times per flag set, and reports requests/s and the
# client's CPU seconds (user+sys from /usr/bin/time) per 100k requests. Each
# round's line also shows how often the client slept per request (voluntary
# context switches), nginx's CPU seconds per 100k requests (its worker's
# /proc/PID/stat) and the CPU seconds everything else on the machine used
# during the run (from /proc/stat): runs where that is high were disturbed.
#
# Environment: ROUNDS (default 3), DURATION (default 5s), PORT (default 28731),
# FLAGSETS (default "-t1 -c50|-t2 -c100"; with SCHEME=https the keep-alive
# and handshake-per-request cases "-t1 -c50|-t1 -c20 -H 'Connection: close'";
# shell quoting works inside a set), WRK (default wrk),
# SCHEME (http, or https: nginx gets a throw-away self-signed certificate made
# with openssl; neither client verifies it), WRKRUN_FLAGS (extra flags for
# wrkrun only, e.g. --no-redact, --no-tls-resume or "--allow-env PRINT_SECRET
# --allow-env BENCH_TOKEN"), BEFORE (optional path of another wrkrun binary,
# e.g. one built from main, run as a third tool "before" in every round, with
# BEFORE_FLAGS, by default WRKRUN_FLAGS).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5s}
PORT=${PORT:-28731}
WRK=${WRK:-wrk}
SCHEME=${SCHEME:-http}
if [ "$SCHEME" = https ]; then
	FLAGSETS=${FLAGSETS:-"-t1 -c50|-t1 -c20 -H 'Connection: close'"}
else
	FLAGSETS=${FLAGSETS:-"-t1 -c50|-t2 -c100"}
fi
WRKRUN_FLAGS=${WRKRUN_FLAGS:-}
BEFORE=${BEFORE:-}
BEFORE_FLAGS=${BEFORE_FLAGS-$WRKRUN_FLAGS}
TIME=/usr/bin/time

for tool in nginx "$WRK" "$TIME" go; do
	command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y nginx-light wrk time)" >&2; exit 1; }
done

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
nginx_pid=""
cleanup() {
	if [ -n "$nginx_pid" ]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

chmod 755 "$work" # nginx workers may run as an unprivileged user
mkdir -p "$work/html" "$work/logs"
head -c 601 /dev/zero | tr '\0' 'x' >"$work/html/index.html"
listen="127.0.0.1:$PORT"
tls=""
if [ "$SCHEME" = https ]; then
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
		-subj /CN=127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
	listen="$listen ssl"
	tls="ssl_certificate $work/cert.pem; ssl_certificate_key $work/key.pem;"
fi
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    server {
        listen $listen;
        $tls
        root $work/html;
    }
}
EOF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 50); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
	sleep 0.1
done

(cd "$repo" && go build -o "$work/wrkrun" ./cmd/wrkrun)
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), $($WRK -v 2>&1 | head -1 | cut -d' ' -f1-2), wrkrun built from $(cd "$repo" && git rev-parse --short HEAD)"
echo "$(nproc) CPUs; $ROUNDS rounds of $DURATION per flag set; URL $SCHEME://127.0.0.1:$PORT/"
echo

# nginx's worker (there is one): its CPU time is read around every run.
nginx_worker=$(pgrep -P "$nginx_pid" | head -1 || true)
hz=$(getconf CLK_TCK)
# ticks: the nginx worker's user+system ticks (0 if unknown) and the
# machine's busy ticks over all CPUs.
ticks() {
	local n=0
	if [ -n "$nginx_worker" ] && [ -r "/proc/$nginx_worker/stat" ]; then
		n=$(awk '{print $14 + $15}' "/proc/$nginx_worker/stat")
	fi
	echo "$n $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat)"
}

# run TOOL FLAGS... : prints "req_per_s cpu_per_100k requests cpu_s
# sleeps_per_request nginx_cpu_per_100k other_cpu_s"
run() {
	local out="$work/out" tim="$work/time"
	local n0 b0 n1 b1
	read -r n0 b0 < <(ticks)
	"$TIME" -f "%U %S %w" -o "$tim" "$@" -d "$DURATION" "$SCHEME://127.0.0.1:$PORT/" >"$out"
	read -r n1 b1 < <(ticks)
	local rps reqs
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
	reqs=$(awk '/requests in/ {print $1}' "$out")
	if grep -q "Socket errors\|Non-2xx" "$out"; then echo "warning: errors in run of $1:" >&2; cat "$out" >&2; fi
	awk -v r="$rps" -v n="$reqs" -v hz="$hz" -v ng=$((n1 - n0)) -v busy=$((b1 - b0)) '{
		c = $1 + $2
		printf "%.0f %.3f %d %.2f %.3f %.3f %.2f\n", r, c / n * 100000, n, c, $3 / n, ng / hz / n * 100000, busy / hz - c - ng / hz }' "$tim"
}

IFS='|' read -ra sets <<<"$FLAGSETS"
summary=()
for flags in "${sets[@]}"; do
	echo "== flags: $flags -d $DURATION"
	printf "%-6s %-7s %12s %16s %10s %8s %10s %14s %9s\n" round tool "req/s" "CPU s/100k req" requests "CPU s" "sleeps/req" "nginx CPU/100k" "others s"
	wrk_rps=0 wrk_cpu=0 run_rps=0 run_cpu=0 bef_rps=0 bef_cpu=0
	extra="" # "tool sleeps nginx_cpu" per run, for the means of those columns
	for r in $(seq "$ROUNDS"); do
		# Alternate the order so neither tool always runs on a warmer server.
		if [ $((r % 2)) -eq 1 ]; then order="wrk wrkrun"; else order="wrkrun wrk"; fi
		if [ -n "$BEFORE" ]; then
			# Three tools: each takes every position in turn.
			case $((r % 3)) in
			1) order="wrk wrkrun before" ;;
			2) order="wrkrun before wrk" ;;
			0) order="before wrk wrkrun" ;;
			esac
		fi
		for tool in $order; do
			# eval: a flag set may quote a header value with a space.
			if [ "$tool" = wrk ]; then
				read -r rps cpu n c sl ng oth < <(eval "run \"\$WRK\" $flags")
				wrk_rps=$(awk -v a="$wrk_rps" -v b="$rps" 'BEGIN{print a+b}')
				wrk_cpu=$(awk -v a="$wrk_cpu" -v b="$cpu" 'BEGIN{print a+b}')
			elif [ "$tool" = before ]; then
				read -r rps cpu n c sl ng oth < <(eval "run \"\$BEFORE\" $flags \$BEFORE_FLAGS")
				bef_rps=$(awk -v a="$bef_rps" -v b="$rps" 'BEGIN{print a+b}')
				bef_cpu=$(awk -v a="$bef_cpu" -v b="$cpu" 'BEGIN{print a+b}')
			else
				read -r rps cpu n c sl ng oth < <(eval "run \"\$work/wrkrun\" $flags \$WRKRUN_FLAGS")
				run_rps=$(awk -v a="$run_rps" -v b="$rps" 'BEGIN{print a+b}')
				run_cpu=$(awk -v a="$run_cpu" -v b="$cpu" 'BEGIN{print a+b}')
			fi
			printf "%-6s %-7s %12s %16s %10s %8s %10s %14s %9s\n" "$r" "$tool" "$rps" "$cpu" "$n" "$c" "$sl" "$ng" "$oth"
			extra+="$tool $sl $ng"$'\n'
		done
	done
	line=$(awk -v wr="$wrk_rps" -v wc="$wrk_cpu" -v rr="$run_rps" -v rc="$run_cpu" -v k="$ROUNDS" -v f="$flags" 'BEGIN {
		printf "%-12s wrk %8.0f req/s %6.3f CPU s/100k | wrkrun %8.0f req/s %6.3f CPU s/100k | req/s ratio %.3f, CPU ratio %.3f",
			f, wr / k, wc / k, rr / k, rc / k, rr / wr, rc / wc }')
	summary+=("$line")
	if [ -n "$BEFORE" ]; then
		summary+=("$(awk -v wr="$wrk_rps" -v wc="$wrk_cpu" -v br="$bef_rps" -v bc="$bef_cpu" -v k="$ROUNDS" 'BEGIN {
			printf "%-12s before: %8.0f req/s %6.3f CPU s/100k | ratios to wrk: req/s %.3f, CPU %.3f",
				"", br / k, bc / k, br / wr, bc / wc }')")
	fi
	summary+=("$(printf '%s' "$extra" | awk '{ n[$1]++; s[$1] += $2; g[$1] += $3 }
		END { printf "%-12s sleeps/req, nginx CPU s/100k:", ""; for (t in n) printf " %s %.3f %.3f;", t, s[t] / n[t], g[t] / n[t] }')")
	echo
done
echo "== means over $ROUNDS rounds (ratio = wrkrun / wrk; want req/s >= 1, CPU <= 1)"
printf '%s\n' "${summary[@]}"
