#!/usr/bin/env bash
# Times wrklint against luacheck on the same generated corpus of wrk-like
# scripts, in the same run, and measures wrklint's peak memory for a small
# and a four times larger corpus.
#
#   bench/lint-vs-luacheck.sh            # N=2000 files, REPS=5 repetitions
#   N=4000 REPS=3 bench/lint-vs-luacheck.sh
#
# Needs luacheck (Debian package lua-check) and GNU time (package time);
# installs them with apt-get when run as root. The corpus is written to
# bench/corpus and the binary to bench/out (both in .gitignore).
set -euo pipefail

cd "$(dirname "$0")/.."
N=${N:-2000}
REPS=${REPS:-5}
BIG=$((N * 4))
OUT=bench/out
CORPUS=bench/corpus

need=()
command -v luacheck >/dev/null 2>&1 || need+=(lua-check)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing: ${need[*]} (apt-get install ${need[*]})" >&2
		exit 1
	fi
	echo "+ apt-get install -y ${need[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

mkdir -p "$OUT"
echo "+ go run bench/gen-corpus.go -n $N -out $CORPUS"
go run bench/gen-corpus.go -n "$N" -out "$CORPUS"
echo "+ go build -o $OUT/wrklint ./cmd/wrklint"
go build -o "$OUT/wrklint" ./cmd/wrklint
lines=$(cat "$CORPUS"/*/*.lua | wc -l)

echo
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3), $(luacheck --version | head -1)"
echo "corpus:  $N files, $lines lines"

# seconds runs a command once and prints its wall time in seconds. Exit
# codes 1 (findings / warnings) and 2 (luacheck: syntax errors) are
# expected; anything else aborts.
seconds() {
	local start end rc=0
	start=$(date +%s%N)
	"$@" >/dev/null 2>&1 || rc=$?
	end=$(date +%s%N)
	if [ "$rc" -gt 2 ]; then
		echo "$* exited $rc" >&2
		exit 1
	fi
	awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", (b - a) / 1e9 }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Warm the page cache and the binaries once before timing.
seconds "$OUT/wrklint" "$CORPUS" >/dev/null
seconds luacheck --no-cache -q "$CORPUS" >/dev/null

w_times=()
l_times=()
for i in $(seq "$REPS"); do
	w=$(seconds "$OUT/wrklint" "$CORPUS")
	l=$(seconds luacheck --no-cache -q "$CORPUS")
	printf 'run %d: wrklint %6.3fs   luacheck --no-cache %6.3fs\n' "$i" "$w" "$l"
	w_times+=("$w")
	l_times+=("$l")
done
w_med=$(printf '%s\n' "${w_times[@]}" | median)
l_med=$(printf '%s\n' "${l_times[@]}" | median)

echo
awk -v n="$N" -v w="$w_med" -v l="$l_med" 'BEGIN {
	printf "median of %d runs:\n", '"$REPS"'
	printf "  wrklint   %7.3fs  %9.0f files/s\n", w, n / w
	printf "  luacheck  %7.3fs  %9.0f files/s\n", l, n / l
	printf "  ratio     %.1fx luacheck'\''s files/s\n", l / w
}'

# Peak memory: it must not grow with the number of files.
rss() {
	/usr/bin/time -v "$OUT/wrklint" "$1" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}
echo
echo "+ go run bench/gen-corpus.go -n $BIG -out $OUT/corpus-$BIG"
go run bench/gen-corpus.go -n "$BIG" -out "$OUT/corpus-$BIG" >/dev/null
printf 'wrklint peak RSS: %6s KiB for %d files, %6s KiB for %d files\n' "$(rss "$CORPUS")" "$N" "$(rss "$OUT/corpus-$BIG")" "$BIG"
