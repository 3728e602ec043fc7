#!/usr/bin/env bash
# run.sh: one distributed wrkrun run on Kubernetes (docs/distributed.md).
#
# Creates a ConfigMap with the script, renders job.yaml (next to this file)
# into an Indexed Job with one pod per shard and a common start time, waits
# for the Job, collects every pod's JSON result from its log and merges them
# with `wrkrun merge` on this machine. kubectl uses its own configuration
# (KUBECONFIG, the current context); WRKRUN names the local wrkrun binary.
#
# Exit status: 0 the merged result was written, 1 the run or the merge
# failed, 2 usage error.
set -euo pipefail

prog=run.sh
here=$(CDPATH='' cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
wrkrun=${WRKRUN:-wrkrun}

usage() {
	cat <<EOF
Usage: $prog [options] --url URL

Runs wrkrun as an Indexed Job of SHARDS pods against URL, then merges their
results here with \`\${WRKRUN:-wrkrun} merge\`.

Options:
  -u, --url URL            target URL, as wrkrun takes it (required)
  -N, --shards N           number of pods (default $shards)
  -s, --script FILE        Lua script run by every pod (default: example.lua here)
  -d, --duration T         duration of the test, wrk units: 30s, 2m, 1h (default $duration)
  -t, --threads N          threads per pod (default $threads)
  -c, --connections N      connections in total over all pods (default $connections)
  -R, --rate N             requests/s in total over all pods, 0: not throttled (default $rate)
      --allow-target A     passed to wrkrun --allow-target (default: $allow_target, i.e. nothing more)
  -i, --image IMAGE        wrkrun image (default \$WRKRUN_IMAGE or $image)
  -n, --namespace NS       namespace (default: the current context's)
      --start-delay S      seconds from now until all pods start together (default $delay)
      --timeout S          seconds allowed past start and duration before giving up (default $timeout)
      --name NAME          Job name (default: wrkrun-<UTC time>-<random>)
  -o, --output DIR         where shard logs, shard-I.json and merged.json go (default ./NAME)
  -L, --latency            print the latency distribution in the merged report
  -h, --help               this help

Example:
  $prog -N 4 -c 400 -d 1m -R 20000 -i registry.example.com/wrkrun:0.1.0 \\
    -s bench.lua -u http://shop.staging.svc.cluster.local/
EOF
}

die() {
	printf '%s: %s\n' "$prog" "$*" >&2
	exit 1
}

usage_error() {
	printf '%s: %s\n' "$prog" "$*" >&2
	printf "Try '%s --help'.\n" "$prog" >&2
	exit 2
}

# need N OPT: OPT (with N arguments left, itself included) has a value.
need() {
	[[ $1 -ge 2 ]] || usage_error "option $2 needs a value"
}

# is_uint N: N is a decimal integer >= 0 (no leading zeros: bash would read
# them as octal); is_pos N: an integer >= 1.
is_uint() {
	[[ $1 =~ ^(0|[1-9][0-9]*)$ ]]
}

is_pos() {
	[[ $1 =~ ^[1-9][0-9]*$ ]]
}

# duration_seconds T: wrk's duration syntax (a number, unit s, m or h, any
# case, default seconds) in seconds.
duration_seconds() {
	local n unit
	[[ $1 =~ ^([0-9]+)([sSmMhH]?)$ ]] || return 1
	n=$((10#${BASH_REMATCH[1]}))
	unit=${BASH_REMATCH[2]}
	case $unit in
	m | M) n=$((n * 60)) ;;
	h | H) n=$((n * 3600)) ;;
	esac
	printf '%d\n' "$n"
}

# utc_rfc3339 EPOCH: the time in UTC as RFC 3339 (GNU date, else BSD date).
utc_rfc3339() {
	date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -r "$1" +%Y-%m-%dT%H:%M:%SZ
}

# Defaults.
url=
shards=2
script=$here/example.lua
duration=30s
threads=2
connections=100
rate=0
allow_target=localhost
image=${WRKRUN_IMAGE:-wrkrun:dev}
namespace=
delay=60
timeout=300
name=
out=
latency=

while [[ $# -gt 0 ]]; do
	case $1 in
	--*=*)
		set -- "${1%%=*}" "${1#*=}" "${@:2}"
		continue
		;;
	-u | --url) need $# "$1"; url=$2; shift 2 ;;
	-N | --shards) need $# "$1"; shards=$2; shift 2 ;;
	-s | --script) need $# "$1"; script=$2; shift 2 ;;
	-d | --duration) need $# "$1"; duration=$2; shift 2 ;;
	-t | --threads) need $# "$1"; threads=$2; shift 2 ;;
	-c | --connections) need $# "$1"; connections=$2; shift 2 ;;
	-R | --rate) need $# "$1"; rate=$2; shift 2 ;;
	--allow-target) need $# "$1"; allow_target=$2; shift 2 ;;
	-i | --image) need $# "$1"; image=$2; shift 2 ;;
	-n | --namespace) need $# "$1"; namespace=$2; shift 2 ;;
	--start-delay) need $# "$1"; delay=$2; shift 2 ;;
	--timeout) need $# "$1"; timeout=$2; shift 2 ;;
	--name) need $# "$1"; name=$2; shift 2 ;;
	-o | --output) need $# "$1"; out=$2; shift 2 ;;
	-L | --latency) latency=--latency; shift ;;
	-h | --help) usage; exit 0 ;;
	*) usage_error "unknown argument: $1" ;;
	esac
done

# Check everything before anything is created in the cluster.
[[ -n $url ]] || usage_error "--url is required"
[[ $url =~ ^https?://[^[:space:]]+$ ]] || usage_error "--url must be an http:// or https:// URL without spaces: $url"
is_pos "$shards" || usage_error "--shards must be a positive integer: $shards"
is_pos "$threads" || usage_error "--threads must be a positive integer: $threads"
[[ $connections =~ ^[0-9]+[kKmMgG]?$ ]] || usage_error "--connections must be a number (wrk units k, M, G allowed): $connections"
if is_uint "$connections" && [[ $connections -lt $shards ]]; then
	usage_error "--connections ($connections) is the total over all pods: it must be at least --shards ($shards)"
fi
[[ $rate =~ ^[0-9]+[kKmMgG]?$ ]] || usage_error "--rate must be a number (wrk units k, M, G allowed): $rate"
duration_s=$(duration_seconds "$duration") || usage_error "--duration must be a number with an optional unit s, m or h: $duration"
[[ $duration_s -ge 1 ]] || usage_error "--duration must be at least 1s"
is_uint "$delay" || usage_error "--start-delay must be a number of seconds: $delay"
is_uint "$timeout" || usage_error "--timeout must be a number of seconds: $timeout"
[[ -n $image && $image != *[[:space:]]* ]] || usage_error "--image must be an image reference without spaces"
[[ $allow_target =~ ^[^[:space:]]+$ ]] || usage_error "--allow-target must not be empty or contain spaces"
[[ -f $script && -r $script ]] || usage_error "script not found or not readable: $script"
if [[ -z $name ]]; then
	name=wrkrun-$(date -u +%Y%m%d-%H%M%S)-$(printf '%04x' "$RANDOM")
fi
[[ ${#name} -le 52 && $name =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?$ ]] ||
	usage_error "--name must be a DNS label of at most 52 characters (lower-case letters, digits, '-'): $name"
out=${out:-./$name}
command -v kubectl >/dev/null || die "kubectl not found in PATH"
command -v "$wrkrun" >/dev/null || die "wrkrun not found: '$wrkrun' (set WRKRUN to the wrkrun binary that merges the results)"

ns_args=()
if [[ -n $namespace ]]; then
	ns_args=(--namespace "$namespace")
fi
# kc runs kubectl in the run's namespace (bash 3.2 safe with an empty array).
kc() {
	kubectl ${ns_args[@]+"${ns_args[@]}"} "$@"
}

configmap=$name-script
selector=batch.kubernetes.io/job-name=$name
deadline_s=$((delay + duration_s + timeout))
start_at=

# value_of KEY: the value job.yaml's `# run.sh: KEY` lines get.
value_of() {
	case $1 in
	JOB_NAME) printf '%s' "$name" ;;
	SHARDS) printf '%s' "$shards" ;;
	DEADLINE) printf '%s' "$deadline_s" ;;
	IMAGE) printf '%s' "$image" ;;
	SCRIPT_CONFIGMAP) printf '%s' "$configmap" ;;
	START_AT) printf '%s' "$start_at" ;;
	TARGET_URL) printf '%s' "$url" ;;
	DURATION) printf '%s' "$duration" ;;
	THREADS) printf '%s' "$threads" ;;
	CONNECTIONS) printf '%s' "$connections" ;;
	RATE) printf '%s' "$rate" ;;
	ALLOW_TARGET) printf '%s' "$allow_target" ;;
	*) return 1 ;;
	esac
}

# render_job TEMPLATE: the template with the value of every marked line
# replaced; a quoted value stays quoted (YAML double-quote escaping).
render_job() {
	local line n=0 prefix old key value
	local marker='#[[:space:]]run\.sh:[[:space:]][A-Z_]+[[:space:]]*$'
	local re='^([[:space:]]*(- )?[A-Za-z][-A-Za-z0-9./_]*:[[:space:]]+)([^[:space:]]|[^[:space:]].*[^[:space:]])[[:space:]]+#[[:space:]]run\.sh:[[:space:]]([A-Z_]+)[[:space:]]*$'
	while IFS= read -r line || [[ -n $line ]]; do
		n=$((n + 1))
		if ! [[ $line =~ $marker ]]; then
			printf '%s\n' "$line"
			continue
		fi
		[[ $line =~ $re ]] || die "$1:$n: cannot render this line: $line"
		prefix=${BASH_REMATCH[1]}
		old=${BASH_REMATCH[3]}
		key=${BASH_REMATCH[4]}
		value=$(value_of "$key") || die "$1:$n: unknown key $key"
		if [[ $old == \"* ]]; then
			value=${value//\\/\\\\}
			value=${value//\"/\\\"}
			printf '%s"%s" # run.sh: %s\n' "$prefix" "$value" "$key"
		else
			printf '%s%s # run.sh: %s\n' "$prefix" "$value" "$key"
		fi
	done <"$1"
}

# extract_json LOG: the pod's JSON result, i.e. the lines from the last line
# that is exactly "{" to the end of the log, which must be a line "}".
extract_json() {
	awk '
		$0 == "{" { n = 0; found = 1 }
		found { buf[++n] = $0; if ($0 != "") last = n }
		END {
			if (!found || buf[last] != "}") exit 1
			for (i = 1; i <= last; i++) print buf[i]
		}' "$1"
}

exit_meaning() {
	case $1 in
	1) printf 'error: usage, URL, connection or script error' ;;
	3) printf 'refused by the lint gate: the script has findings' ;;
	4) printf 'refused by the target or limit policy (see --allow-target)' ;;
	*) printf 'exit code %s' "$1" ;;
	esac
}

# report_failure: why the Job failed, shard by shard, as far as the API says.
report_failure() {
	local reason failed pods line idx code
	reason=$(kc get job "$name" -o jsonpath='{.status.conditions[?(@.type=="Failed")].reason}: {.status.conditions[?(@.type=="Failed")].message}' 2>/dev/null || true)
	failed=$(kc get job "$name" -o jsonpath='{.status.failedIndexes}' 2>/dev/null || true)
	printf '%s: job %s failed%s\n' "$prog" "$name" "${reason:+ ($reason)}" >&2
	[[ -z $failed ]] || printf '%s: failed shards (completion indexes): %s\n' "$prog" "$failed" >&2
	pods=$(kc get pods -l "$selector" --field-selector=status.phase=Failed \
		-o jsonpath='{range .items[*]}{.metadata.labels.batch\.kubernetes\.io/job-completion-index} {.status.containerStatuses[0].state.terminated.exitCode}{"\n"}{end}' 2>/dev/null || true)
	while read -r idx code; do
		[[ -n $idx ]] || continue
		printf '%s: shard %s: %s\n' "$prog" "$idx" "$(exit_meaning "${code:-?}")" >&2
	done <<<"$pods"
	printf '%s: see: kubectl logs%s -l %s,batch.kubernetes.io/job-completion-index=INDEX\n' \
		"$prog" "${namespace:+ -n $namespace}" "$selector" >&2
	exit 1
}

on_interrupt() {
	trap - INT TERM
	printf '\n%s: interrupted; job %s may still be running: kubectl delete job%s %s\n' \
		"$prog" "$name" "${namespace:+ -n $namespace}" "$name" >&2
	exit 130
}

mkdir -p "$out" || die "cannot create the output directory $out"

# 1. The script, as a ConfigMap of this run.
kc create configmap "$configmap" --from-file=script.lua="$script" --dry-run=client -o yaml |
	kc apply -f - >/dev/null || die "cannot create the ConfigMap $configmap"

# 2. The Job. The start time counts from now: pods need the delay to be
# scheduled, pull the image and do their set-up.
trap on_interrupt INT TERM
now=$(date -u +%s)
start_at=$(utc_rfc3339 $((now + delay))) || die "cannot compute the start time with date"
render_job "$here/job.yaml" >"$out/job.yaml"
kc apply -f "$out/job.yaml" >/dev/null || die "cannot create the Job $name"
printf '%s: job %s: %s shards, start at %s, %s, results in %s\n' "$prog" "$name" "$shards" "$start_at" "$duration" "$out" >&2

# The ConfigMap goes when the Job goes (ttlSecondsAfterFinished).
uid=$(kc get job "$name" -o jsonpath='{.metadata.uid}' 2>/dev/null || true)
if [[ -z $uid ]] || ! kc patch configmap "$configmap" --type=merge \
	-p "{\"metadata\":{\"ownerReferences\":[{\"apiVersion\":\"batch/v1\",\"kind\":\"Job\",\"name\":\"$name\",\"uid\":\"$uid\"}]}}" >/dev/null; then
	printf '%s: warning: ConfigMap %s not tied to the Job; delete it yourself later\n' "$prog" "$configmap" >&2
fi

# 3. Wait until the Job is Complete or Failed, or the time is up: kubectl
# wait in slices, so that a failed Job is noticed within seconds.
give_up=$((now + deadline_s))
while :; do
	kc wait --for=condition=complete "job/$name" --timeout=10s >/dev/null 2>&1 || true
	conditions=$(kc get job "$name" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}') ||
		die "cannot read the status of job $name"
	case " $conditions " in
	*" Complete "*) break ;;
	*" Failed "* | *" FailureTarget "*) report_failure ;;
	esac
	if [[ $(date -u +%s) -ge $give_up ]]; then
		die "job $name is not complete after ${deadline_s}s (start delay + duration + --timeout); it is left running: kubectl delete job${namespace:+ -n $namespace} $name"
	fi
done
trap - INT TERM

# 4. Every shard's JSON, by completion index.
missing=()
files=()
for ((i = 0; i < shards; i++)); do
	pods=$(kc get pods -l "$selector,batch.kubernetes.io/job-completion-index=$i" \
		--field-selector=status.phase=Succeeded -o name) || die "cannot list the pods of job $name"
	pod=${pods%%$'\n'*}
	if [[ -z $pod ]]; then
		missing+=("shard $i: no succeeded pod with completion index $i")
		continue
	fi
	if ! kc logs "$pod" >"$out/shard-$i.log"; then
		missing+=("shard $i: cannot read the log of $pod")
		continue
	fi
	if ! extract_json "$out/shard-$i.log" >"$out/shard-$i.json"; then
		rm -f "$out/shard-$i.json"
		missing+=("shard $i: no JSON result at the end of the log of $pod (saved as $out/shard-$i.log)")
		continue
	fi
	files+=("$out/shard-$i.json")
done
if [[ ${#missing[@]} -gt 0 ]]; then
	for m in "${missing[@]}"; do
		printf '%s: %s\n' "$prog" "$m" >&2
	done
	die "${#missing[@]} of $shards shards missing; nothing merged"
fi

# 5. One result for the whole run; done() runs here, once.
"$wrkrun" merge -s "$script" ${latency:+"$latency"} --json "$out/merged.json" "${files[@]}" |
	tee "$out/merged.txt" || die "wrkrun merge failed (shard results kept in $out)"
printf '%s: merged result: %s (report: %s)\n' "$prog" "$out/merged.json" "$out/merged.txt" >&2
