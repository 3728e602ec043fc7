#!/usr/bin/env bash
# h2-vs-h2load.sh — compare wrkrun --http2 with h2load against a local nginx.
#
# Installs nothing. Needs (Debian):
#   apt-get install -y nginx-light nghttp2-client time
# and a Go toolchain to build wrkrun.
#
# Starts nginx (one worker, private config in a temp dir, HTTP/2 on
# 127.0.0.1 only, serving a 601-byte static file), then runs
#   wrkrun --http2 -m STREAMS -c CONNS -t1 -d DURATION
#   h2load        -m STREAMS -c CONNS -t1 -D DURATION
# alternately ROUNDS times, and reports requests/s and the client's CPU
# seconds (user+sys from /usr/bin/time) per 100k requests, with the ratios
# wrkrun / h2load. After every wrkrun run it reads the lines nginx added to
# its access log ("$server_protocol $status"): every one must be HTTP/2.0,
# and there must be at least as many as wrkrun reported (and at most the
# CONNS×STREAMS streams in flight when the run ended more); a mismatch
# fails the script.
#
# Environment: ROUNDS (default 3), DURATION (seconds, default 5), PORT
# (default 28732), CONNS (default 10), STREAMS (default 10), SCHEME (http:
# h2c with prior knowledge; https: TLS with ALPN h2 and a throw-away
# self-signed certificate made with openssl, verified by neither client),
# WRKRUN_FLAGS (extra flags for wrkrun only), H2LOAD (default h2load).
set -euo pipefail

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-5}
PORT=${PORT:-28732}
CONNS=${CONNS:-10}
STREAMS=${STREAMS:-10}
SCHEME=${SCHEME:-http}
WRKRUN_FLAGS=${WRKRUN_FLAGS:-}
H2LOAD=${H2LOAD:-h2load}
TIME=/usr/bin/time

case "$DURATION" in
*[!0-9]* | "") echo "DURATION is whole seconds (h2load's -D), got $DURATION" >&2; exit 2 ;;
esac
for tool in nginx "$H2LOAD" "$TIME" go; do
	command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y nginx-light nghttp2-client time)" >&2; exit 1; }
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
access="$work/logs/access.log"
# Both tools pay for the same unbuffered access log; it is how the script
# checks that nginx saw HTTP/2 for every request wrkrun counted.
cat >"$work/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/logs/error.log warn;
events { worker_connections 4096; }
http {
    log_format proto '\$server_protocol \$status';
    access_log $access proto;
    client_body_temp_path $work/body;
    keepalive_requests 100000000;
    server {
        listen $listen http2;
        $tls
        root $work/html;
    }
}
EOF
nginx -e "$work/logs/error.log" -p "$work" -c "$work/nginx.conf" &
nginx_pid=$!
for _ in $(seq 50); do
	if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then break; fi
	sleep 0.1
done
url="$SCHEME://127.0.0.1:$PORT/index.html"

(cd "$repo" && go build -o "$work/wrkrun" ./cmd/wrkrun)
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///'), $($H2LOAD --version | head -1), wrkrun built from $(cd "$repo" && git rev-parse --short HEAD)"
echo "$(nproc) CPUs; $ROUNDS rounds of ${DURATION}s; -c $CONNS -m $STREAMS -t1; URL $url"
echo

# log_lines: lines in the access log so far.
log_lines() { if [ -f "$access" ]; then wc -l <"$access"; else echo 0; fi; }

# check_log FROM REQUESTS: the lines after FROM must all be HTTP/2.0 and
# number between REQUESTS and REQUESTS + CONNS*STREAMS.
check_log() {
	local from=$1 reqs=$2 lines other
	sleep 0.5 # the requests in flight at the end are logged when they end
	lines=$(tail -n +"$((from + 1))" "$access" | wc -l)
	other=$(tail -n +"$((from + 1))" "$access" | grep -vc '^HTTP/2\.0 ' || true)
	if [ "$other" -ne 0 ] || [ "$lines" -lt "$reqs" ] || [ "$lines" -gt $((reqs + CONNS * STREAMS)) ]; then
		echo "FAIL: wrkrun reported $reqs requests; nginx logged $lines, of which $other not HTTP/2.0" >&2
		tail -n +"$((from + 1))" "$access" | sort | uniq -c | sort -rn | head >&2
		exit 1
	fi
	echo "$lines"
}

# run_wrkrun: prints "req_per_s cpu_per_100k requests cpu_s logged"
run_wrkrun() {
	local out="$work/out" tim="$work/time" from rps reqs cpu logged
	from=$(log_lines)
	# shellcheck disable=SC2086 # WRKRUN_FLAGS is a list of flags
	"$TIME" -f "%U %S" -o "$tim" "$work/wrkrun" --http2 -m "$STREAMS" -c "$CONNS" -t1 -d "${DURATION}s" $WRKRUN_FLAGS "$url" >"$out"
	rps=$(awk '/^Requests\/sec:/ {print $2}' "$out")
	reqs=$(awk '/requests in/ {print $1}' "$out")
	cpu=$(awk '{print $1 + $2}' "$tim")
	if grep -q "Socket errors\|Non-2xx\|HTTP/2 errors" "$out"; then echo "warning: errors in the wrkrun run:" >&2; cat "$out" >&2; fi
	logged=$(check_log "$from" "$reqs")
	awk -v r="$rps" -v n="$reqs" -v c="$cpu" -v l="$logged" 'BEGIN { printf "%.0f %.3f %d %.2f %d\n", r, c / n * 100000, n, c, l }'
}

# run_h2load: prints "req_per_s cpu_per_100k requests cpu_s"
run_h2load() {
	local out="$work/out" tim="$work/time" rps reqs cpu
	"$TIME" -f "%U %S" -o "$tim" "$H2LOAD" -m "$STREAMS" -c "$CONNS" -t1 -D "$DURATION" "$url" >"$out"
	# "finished in 5.00s, 61234.20 req/s, 40.32MB/s"
	rps=$(awk '/^finished in/ {print $4}' "$out")
	# "requests: 306171 total, 306271 started, 306171 done, 306171 succeeded, 0 failed, ..."
	reqs=$(awk '/^requests:/ {print $8}' "$out")
	cpu=$(awk '{print $1 + $2}' "$tim")
	if ! grep -q "^requests:.* 0 failed, 0 errored" "$out"; then echo "warning: errors in the h2load run:" >&2; cat "$out" >&2; fi
	awk -v r="$rps" -v n="$reqs" -v c="$cpu" 'BEGIN { printf "%.0f %.3f %d %.2f\n", r, c / n * 100000, n, c }'
}

printf "%-6s %-7s %12s %16s %10s %8s %14s\n" round tool "req/s" "CPU s/100k req" requests "CPU s" "nginx logged"
h_rps=0 h_cpu=0 w_rps=0 w_cpu=0
for r in $(seq "$ROUNDS"); do
	# Alternate the order so neither tool always runs on a warmer server.
	if [ $((r % 2)) -eq 1 ]; then order="h2load wrkrun"; else order="wrkrun h2load"; fi
	for tool in $order; do
		if [ "$tool" = h2load ]; then
			read -r rps cpu n c < <(run_h2load)
			logged="-"
			h_rps=$(awk -v a="$h_rps" -v b="$rps" 'BEGIN{print a+b}')
			h_cpu=$(awk -v a="$h_cpu" -v b="$cpu" 'BEGIN{print a+b}')
		else
			# A failed log check exits the subshell; stop here too.
			line=$(run_wrkrun) || exit 1
			read -r rps cpu n c logged <<<"$line"
			w_rps=$(awk -v a="$w_rps" -v b="$rps" 'BEGIN{print a+b}')
			w_cpu=$(awk -v a="$w_cpu" -v b="$cpu" 'BEGIN{print a+b}')
		fi
		printf "%-6s %-7s %12s %16s %10s %8s %14s\n" "$r" "$tool" "$rps" "$cpu" "$n" "$c" "$logged"
	done
done
echo
echo "== means over $ROUNDS rounds (ratio = wrkrun / h2load; want req/s >= 1, CPU <= 1)"
awk -v hr="$h_rps" -v hc="$h_cpu" -v wr="$w_rps" -v wc="$w_cpu" -v k="$ROUNDS" 'BEGIN {
	printf "h2load %8.0f req/s %6.3f CPU s/100k | wrkrun %8.0f req/s %6.3f CPU s/100k | req/s ratio %.3f, CPU ratio %.3f\n",
		hr / k, hc / k, wr / k, wc / k, wr / hr, wc / hc }'
echo "nginx logged every wrkrun request as HTTP/2.0"
