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

# measure runs a command once and prints "wall cpu" in seconds (cpu = user
# + system, from GNU time, so that the figures survive a busy machine).
# Exit codes 1 (findings / warnings) and 2 (luacheck: syntax errors) are
# expected; anything else aborts.
measure() {
	local tf rc=0
	tf=$(mktemp)
	/usr/bin/time -f '%e %U %S' -o "$tf" "$@" >/dev/null 2>&1 || rc=$?
	if [ "$rc" -gt 2 ]; then
		echo "$* exited $rc" >&2
		exit 1
	fi
	# GNU time puts "Command exited with non-zero status N" before its line.
	tail -n 1 "$tf" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }'
	rm -f "$tf"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Warm the page cache and the binaries once before timing.
measure "$OUT/wrklint" "$CORPUS" >/dev/null
measure luacheck --no-cache -q "$CORPUS" >/dev/null

w_wall=() w_cpu=() l_wall=() l_cpu=()
for i in $(seq "$REPS"); do
	read -r ww wc < <(measure "$OUT/wrklint" "$CORPUS")
	read -r lw lc < <(measure luacheck --no-cache -q "$CORPUS")
	printf 'run %d: wrklint %6.3fs (cpu %6.3fs)   luacheck --no-cache %6.3fs (cpu %6.3fs)\n' "$i" "$ww" "$wc" "$lw" "$lc"
	w_wall+=("$ww") w_cpu+=("$wc") l_wall+=("$lw") l_cpu+=("$lc")
done
med() { printf '%s\n' "$@" | median; }
ww=$(med "${w_wall[@]}") wc=$(med "${w_cpu[@]}") lw=$(med "${l_wall[@]}") lc=$(med "${l_cpu[@]}")

echo
awk -v n="$N" -v reps="$REPS" -v ww="$ww" -v wc="$wc" -v lw="$lw" -v lc="$lc" 'BEGIN {
	printf "median of %d runs       wall      files/s   cpu       files/cpu-s\n", reps
	printf "  wrklint            %7.3fs  %9.0f  %7.3fs  %9.0f\n", ww, n / ww, wc, n / wc
	printf "  luacheck --no-cache%7.3fs  %9.0f  %7.3fs  %9.0f\n", lw, n / lw, lc, n / lc
	printf "  ratio (files/s): %.1fx luacheck by wall time, %.1fx by cpu time\n", lw / ww, lc / wc
}'

# Peak memory: per-file work must not make it grow with the number of
# files. Measured on the corpus above and on one four times larger, then on
# clean corpora of both sizes (no findings), which separates the memory of
# the analysis from the findings the report keeps for sorting.
rss() {
	/usr/bin/time -v "$OUT/wrklint" "$1" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ { print $2 }'
}
findings() { "$OUT/wrklint" "$1" | tail -n 1 | awk '{ print ($1 == "no") ? 0 : $1 }'; }
echo
go run bench/gen-corpus.go -n "$BIG" -out "$OUT/corpus-$BIG" >/dev/null
go run bench/gen-corpus.go -n "$N" -clean -out "$OUT/clean-$N" >/dev/null
go run bench/gen-corpus.go -n "$BIG" -clean -out "$OUT/clean-$BIG" >/dev/null
echo "wrklint peak RSS:"
for c in "$CORPUS:$N" "$OUT/corpus-$BIG:$BIG" "$OUT/clean-$N:$N clean" "$OUT/clean-$BIG:$BIG clean"; do
	dir=${c%%:*}
	printf '  %-12s files %8s KiB  (%s findings)\n' "${c#*:}" "$(rss "$dir")" "$(findings "$dir")"
done
