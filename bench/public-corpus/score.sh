#!/usr/bin/env bash
# score.sh <wrklint-binary> [corpus-dir]
#
# Re-runs a wrklint binary on the corpus and scores its error-level findings
# against the hand-review tags in manifest.tsv:
#   - an error finding is "explained" when the script carries a tag that the
#     rule is meant to catch (mapping below); otherwise it is a FALSE ALARM;
#   - a script tagged literal-credential without any WL601 finding, or tagged
#     prints-body without any WL501 finding, is a MISS.
# Needs jq and awk. Exit status: 0 (the score is the output, not the status).
set -euo pipefail

bin=${1:?usage: score.sh <wrklint-binary> [corpus-dir]}
dir=${2:?usage: score.sh <wrklint-binary> <corpus-dir with manifest.tsv and scripts/>}
manifest="$dir/manifest.tsv"
scripts="$dir/scripts"
[ -x "$bin" ] || { echo "score.sh: $bin is not executable" >&2; exit 2; }
[ -f "$manifest" ] || { echo "score.sh: no $manifest" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

set +e
"$bin" -f json --no-color "$scripts" > "$tmp/report.json" 2> "$tmp/stderr"
rc=$?
set -e
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
  echo "score.sh: wrklint exited $rc" >&2; cat "$tmp/stderr" >&2; exit 2
fi

# file<TAB>line<TAB>rule<TAB>level<TAB>message  (file = basename)
jq -r '.findings[] | [(.file | split("/") | last), (.line|tostring), .rule, .level,
        (.message | gsub("[\t\n]"; " "))] | @tsv' "$tmp/report.json" > "$tmp/findings.tsv"

awk -F'	' -v OFS='	' -v details="$tmp/details.tsv" '
  function has(f, t) { return index("," tags[f] ",", "," t ",") > 0 }
  function anycap(f,   n, a, i) {
    n = split("file-read,file-write,env-read,command,fs-mutation,network-module,dynamic-code,dynamic-global,redirect,require-local", a, ",")
    for (i = 1; i <= n; i++) if (has(f, a[i])) return 1
    return 0
  }
  function explained(f, r) {
    if (!(f in tags)) return 0
    if (r == "WL101") return has(f, "file-write")
    if (r == "WL102") return has(f, "file-read")
    if (r == "WL103") return has(f, "command")
    if (r == "WL104") return has(f, "fs-mutation")
    if (r == "WL201") return has(f, "env-read")
    if (r == "WL301") return has(f, "network-module") && !has(f, "socket-time-only")
    if (r == "WL401") return has(f, "dynamic-code") && !has(f, "debug-getinfo-self")
    if (r == "WL402") return has(f, "dynamic-global")
    if (r == "WL403") return anycap(f)
    if (r == "WL501") return has(f, "prints-body") || has(f, "prints-headers-sensitive")
    if (r == "WL502") return has(f, "prints-env-secret") || has(f, "literal-credential")
    if (r == "WL503" || r == "WL504") return has(f, "command") || has(f, "network-module") || has(f, "dynamic-code")
    if (r == "WL601") return has(f, "literal-credential")
    if (r == "WL701") return has(f, "redirect")
    return 0
  }
  FNR == NR { if (FNR > 1) { tags[$1] = $5; nscripts++ } ; next }
  {
    f = $1; line = $2; r = $3; lvl = $4; msg = $5
    seen[f SUBSEP r] = 1
    if (lvl != "error") { nonerr++; next }
    nerr++; errfile[f] = 1
    if (explained(f, r)) { ok++; print "EXPLAINED", f ":" line, r, tags[f] > details; byok[r]++ }
    else { fa++; print "FALSE-ALARM", f ":" line, r, (f in tags ? tags[f] : "(not in manifest)"), msg > details; byfa[r]++ }
  }
  END {
    for (f in tags) {
      if (has(f, "literal-credential") && !((f SUBSEP "WL601") in seen)) { print "MISS", f, "literal-credential without WL601" > details; miss++; missc++ }
      if (has(f, "prints-body") && !((f SUBSEP "WL501") in seen)) { print "MISS", f, "prints-body without WL501" > details; miss++; missb++ }
    }
    close(details)
    n = 0; for (f in errfile) n++
    print "scripts in manifest:            " nscripts
    print "scripts with error findings:    " n
    print "error findings:                 " nerr+0
    print "  explained by tags:            " ok+0
    print "  false alarms (unexplained):   " fa+0
    nr = split("WL001 WL101 WL102 WL103 WL104 WL201 WL301 WL401 WL402 WL403 WL501 WL502 WL503 WL504 WL601 WL701", order, " ")
    for (i = 1; i <= nr; i++) if (order[i] in byfa) { print "    " order[i] ": " byfa[order[i]]; delete byfa[order[i]] }
    for (r in byfa) print "    " r ": " byfa[r]
    print "non-error findings (not scored): " nonerr+0
    print "misses:                         " miss+0 "  (literal-credential w/o WL601: " missc+0 ", prints-body w/o WL501: " missb+0 ")"
  }
' "$manifest" "$tmp/findings.tsv" > "$tmp/summary.txt"

touch "$tmp/details.tsv"
sort -t$'\t' -k1,1 -k2,2 "$tmp/details.tsv"
echo
echo "== $bin on $scripts"
cat "$tmp/summary.txt"
