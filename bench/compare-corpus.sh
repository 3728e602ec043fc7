#!/usr/bin/env bash
# compare-corpus.sh DIR — run every *.lua in DIR under wrk and under wrkrun
# against a loopback server (bench/reqlog) and compare, per script: the
# exit status, the lines the script printed (wrk's report left out), and
# the distinct requests the server saw. wrk runs twice: a facet on which
# wrk's two runs differ (random paths, timestamps) is not compared.
#
# Output: one line per script, "class<TAB>script<TAB>facets that differ",
# classes: identical, differs, wrk-fails (wrk itself exits non-zero or
# prints a Lua error: the script needs arguments, files or modules), and the
# details under $OUT/<script>.{wrk1,wrk2,wrkrun}.{out,err,req}.
#
# Every run starts in a fresh copy of DIR (scripts write files), never in
# DIR itself.
#
# Environment: WRK (wrk), WRKRUN (built from this repository if unset),
# WRKRUN_FLAGS (default: no lint gate, the files of the copy readable and
# writable, every environment variable readable, no Landlock: the runtime
# is compared with wrk's rights, not the sandbox's defaults), FLAGS
# (-t1 -c2 -d1s), PORT (28741), OUT (a temp dir). Needs wrk
# (apt-get install -y wrk), curl and Go.
set -euo pipefail

DIR=${1:?usage: compare-corpus.sh DIR}
DIR=$(cd "$DIR" && pwd)
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WRK=${WRK:-wrk}
FLAGS=${FLAGS:-"-t1 -c2 -d1s"}
PORT=${PORT:-28741}
CTL=$((PORT + 1))
WRKRUN_FLAGS=${WRKRUN_FLAGS:-"--require-lint=false --quiet --no-confine --allow-read ./ --allow-write ./ --allow-env *"}
OUT=${OUT:-$(mktemp -d)}
mkdir -p "$OUT"

BIN=$(mktemp -d)
WORK=$BIN/work
trap 'kill "$SRV" 2>/dev/null || true; rm -rf "$BIN"' EXIT
(cd "$ROOT" && go build -o "$BIN/reqlog" ./bench/reqlog)
if [ -z "${WRKRUN:-}" ]; then
	(cd "$ROOT" && go build -o "$BIN/wrkrun" ./cmd/wrkrun)
	WRKRUN=$BIN/wrkrun
fi
"$BIN/reqlog" -addr "127.0.0.1:$PORT" -control "127.0.0.1:$CTL" &
SRV=$!
for _ in $(seq 50); do
	curl -fs "http://127.0.0.1:$CTL/__take" >/dev/null 2>&1 && break
	sleep 0.1
done
URL="http://127.0.0.1:$PORT/"

# report lines of wrk and wrkrun, which change from run to run
REPORT='^(Running [0-9]+s test @ |  [0-9]+ threads and [0-9]+ connections|  Thread Stats|    Latency  |    Req/Sec  |  [0-9]+ requests in |  Socket errors: |  Non-2xx or 3xx responses: |Requests/sec: |Transfer/sec: |  Latency Distribution|     [0-9]+%  )'

one() { # tool-name binary script extra-flags...
	local name=$1 bin=$2 script=$3
	shift 3
	local base="$OUT/$(basename "$script" .lua).$name"
	rm -rf "$WORK"
	cp -r "$DIR" "$WORK"
	set +e
	# shellcheck disable=SC2086 # FLAGS is a word list
	(cd "$WORK" && timeout -k 2 15 "$bin" "$@" $FLAGS -s "$script" "$URL" >"$base.raw" 2>"$base.err")
	echo $? >"$base.rc"
	set -e
	grep -Ev "$REPORT" "$base.raw" | sed -E "s/127\.0\.0\.1:$PORT/TARGET/g" >"$base.out" || true
	curl -fs "http://127.0.0.1:$CTL/__take" | sed -E "s/127\.0\.0\.1:$PORT/TARGET/g" >"$base.req"
}

for f in "$DIR"/*.lua; do
	s=$(basename "$f")
	b=$(basename "$f" .lua)
	one wrk1 "$WRK" "$s"
	one wrk2 "$WRK" "$s"
	# shellcheck disable=SC2086 # WRKRUN_FLAGS is a word list
	set -f # WRKRUN_FLAGS holds a "*"
	one wrkrun "$WRKRUN" "$s" $WRKRUN_FLAGS
	set +f
	if [ "$(cat "$OUT/$b.wrk1.rc")" != 0 ] || grep -qE '(PANIC|\.lua:[0-9]+:|cannot open)' "$OUT/$b.wrk1.err" "$OUT/$b.wrk1.out" 2>/dev/null; then
		printf 'wrk-fails\t%s\n' "$s"
		continue
	fi
	diffs=""
	for facet in rc out req; do
		if cmp -s "$OUT/$b.wrk1.$facet" "$OUT/$b.wrk2.$facet" && ! cmp -s "$OUT/$b.wrk1.$facet" "$OUT/$b.wrkrun.$facet"; then
			diffs="$diffs $facet"
		fi
	done
	if [ -z "$diffs" ]; then
		printf 'identical\t%s\n' "$s"
	else
		printf 'differs\t%s\t%s\n' "$s" "${diffs# }"
	fi
done
