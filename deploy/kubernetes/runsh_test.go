package kubernetes_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
)

// fakeKubectl stands in for kubectl: it records every call (arguments
// separated by \x1f, one call per line) in $FAKE_DIR/calls, keeps what is
// applied in $FAKE_DIR/applied.yaml, and serves the Job's state and the
// pods' logs from files of $FAKE_DIR: conditions, failed-indexes,
// failed-pods, log-I (the log of the pod with completion index I; no file:
// no succeeded pod).
const fakeKubectl = `
set -euo pipefail
d=$FAKE_DIR
# run.sh pipes one kubectl into another (create ... | apply -f -), so two
# fakes record at once: build the line first and append it in a single
# write under a lock, or the two records interleave.
rec=$(printf '%s\x1f' "$@")
{
	flock 9
	printf '%s\n' "$rec" >>"$d/calls"
} 9>>"$d/calls.lock"
args=()
while [[ $# -gt 0 ]]; do
	case $1 in
	--namespace | -n) shift 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
set -- "${args[@]}"
case "$1 $2" in
"create configmap")
	file=
	for a in "$@"; do
		case $a in --from-file=script.lua=*) file=${a#--from-file=script.lua=} ;; esac
	done
	printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  script.lua: |\n' "$3"
	sed 's/^/    /' "$file"
	;;
"apply -f")
	if [[ $3 == - ]]; then cat >>"$d/applied.yaml"; else cat "$3" >>"$d/applied.yaml"; fi
	printf -- '---\n' >>"$d/applied.yaml"
	;;
"get job")
	case "$*" in
	*metadata.uid*) echo 0b7a6c1e-0000-4000-8000-000000000001 ;;
	*failedIndexes*) cat "$d/failed-indexes" 2>/dev/null || true ;;
	*'@.type=="Failed"'*) printf 'FailedIndexes: Job has failed indexes' ;;
	*conditions*) cat "$d/conditions" ;;
	*) exit 1 ;;
	esac
	;;
"patch configmap") ;;
"wait --for=condition=complete") ;;
"get pods")
	case "$*" in
	*status.phase=Failed*) cat "$d/failed-pods" 2>/dev/null || true ;;
	*job-completion-index=*)
		all="$*"
		idx=${all##*job-completion-index=}
		idx=${idx%% *}
		if [[ -f $d/log-$idx ]]; then echo "pod/job-$idx-x7k2p"; fi
		;;
	*) exit 1 ;;
	esac
	;;
"logs pod/"*)
	idx=${2#pod/job-}
	cat "$d/log-${idx%-*}"
	;;
*)
	echo "fake kubectl: unexpected call: $*" >&2
	exit 1
	;;
esac
`

// fakeWrkrun stands in for the local wrkrun: it records the arguments of
// `wrkrun merge` in $FAKE_DIR/merge and writes its --json file.
const fakeWrkrun = `
set -euo pipefail
{ printf '%s\x1f' "$@"; printf '\n'; } >>"$FAKE_DIR/merge"
out=
while [[ $# -gt 0 ]]; do
	case $1 in --json) out=$2; shift 2 ;; *) shift ;; esac
done
[[ -z $out ]] || echo '{"merged": true}' >"$out"
echo "Running 5s test @ merged"
exit "${FAKE_MERGE_EXIT:-0}"
`

// fakeBSDDate is date without GNU's -d: run.sh must fall back to -r.
const fakeBSDDate = `
for a in "$@"; do
	if [[ $a == -d ]]; then
		echo "date: illegal option -- d" >&2
		exit 1
	fi
done
args=()
while [[ $# -gt 0 ]]; do
	if [[ $1 == -r ]]; then
		echo "$2" >>"$FAKE_DIR/date-r"
		args+=(-d "@$2")
		shift 2
	else
		args+=("$1")
		shift
	fi
done
exec "$REAL_DATE" "${args[@]}"
`

// shardJSON is what pod i writes last: wrkrun's indented JSON (nested
// objects and an array of objects, so lines "{" and "}" occur only at the
// top level).
func shardJSON(i int) string {
	return fmt.Sprintf(`{
  "version": 1,
  "config": {
    "url": "http://target.test.svc.cluster.local/",
    "shard": %d,
    "shards": 3
  },
  "requests": %d,
  "latency": {
    "percentiles": [
      {
        "percentile": 50,
        "value_us": 812
      }
    ]
  }
}
`, i, 1000+i)
}

// podLog is a pod's log as kubectl logs shows it: stderr (the text report,
// the script's output, which may itself print braces) and then the JSON.
func podLog(i int) string {
	return fmt.Sprintf(`wrkrun: shard %d/3: waiting for the start at ...; start skew 0.8 ms
Running 5s test @ http://target.test.svc.cluster.local/
  1 threads and 4 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     0.85ms    0.20ms   3.10ms   80.00%%
{
script output in braces
}
  5000 requests in 5.00s, 1.20MB read
Requests/sec:   1000.00
%s`, i, shardJSON(i))
}

type runSh struct {
	t       *testing.T
	dir     string // the test's directory: cwd of run.sh
	fake    string // $FAKE_DIR
	out     string // -o
	env     []string
	started time.Time
}

func newRunSh(t *testing.T) *runSh {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not found")
	}
	for _, tool := range []string{"awk", "sed", "date", "tee", "mkdir"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found", tool)
		}
	}
	dir := t.TempDir()
	r := &runSh{t: t, dir: dir, fake: filepath.Join(dir, "fake"), out: filepath.Join(dir, "out")}
	bin := filepath.Join(dir, "bin")
	for _, d := range []string{bin, r.fake} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	writeExe(t, filepath.Join(bin, "kubectl"), bash, fakeKubectl)
	writeExe(t, filepath.Join(bin, "wrkrun"), bash, fakeWrkrun)
	r.env = append(os.Environ(), "FAKE_DIR="+r.fake, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		"KUBECONFIG="+filepath.Join(dir, "no-kubeconfig"), "WRKRUN=", "WRKRUN_IMAGE=")
	r.write("conditions", "Complete ")
	return r
}

func writeExe(t *testing.T, path, bash, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte("#!"+bash+"\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
}

func (r *runSh) write(name, content string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.fake, name), []byte(content), 0o644); err != nil {
		r.t.Fatal(err)
	}
}

// logs serves podLog(i) for every index in idx.
func (r *runSh) logs(idx ...int) {
	for _, i := range idx {
		r.write(fmt.Sprintf("log-%d", i), podLog(i))
	}
}

// run runs run.sh with args and returns its exit code and stderr.
func (r *runSh) run(args ...string) (int, string) {
	r.t.Helper()
	script, err := filepath.Abs("run.sh")
	if err != nil {
		r.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, script, args...) //nolint:gosec // G204: this directory's run.sh with the test's own arguments
	cmd.Dir = r.dir
	cmd.Env = r.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	r.started = time.Now()
	err = cmd.Run()
	if ctx.Err() != nil {
		r.t.Fatalf("run.sh did not finish within a minute; stderr:\n%s", stderr.String())
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stderr.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), stderr.String()
	default:
		r.t.Fatal(err)
		return -1, ""
	}
}

// calls are the recorded kubectl calls, each a list of arguments.
func (r *runSh) calls() [][]string {
	return readCalls(r.t, filepath.Join(r.fake, "calls"))
}

func readCalls(t *testing.T, path string) [][]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var calls [][]string
	for _, line := range strings.Split(strings.TrimSuffix(string(data), "\n"), "\n") {
		calls = append(calls, strings.Split(strings.TrimSuffix(line, "\x1f"), "\x1f"))
	}
	return calls
}

// applied decodes what run.sh applied, strictly.
func (r *runSh) applied() (*batchv1.Job, *corev1.ConfigMap) {
	r.t.Helper()
	data, err := os.ReadFile(filepath.Join(r.fake, "applied.yaml"))
	if err != nil {
		r.t.Fatal(err)
	}
	objs, err := decodeManifests("applied", data)
	if err != nil {
		r.t.Fatal(err)
	}
	var job *batchv1.Job
	var cm *corev1.ConfigMap
	for _, o := range objs {
		switch o := o.(type) {
		case *batchv1.Job:
			job = o
		case *corev1.ConfigMap:
			cm = o
		}
	}
	if len(objs) != 2 || job == nil || cm == nil {
		r.t.Fatalf("want a ConfigMap and a Job applied, got %d objects", len(objs))
	}
	return job, cm
}

func hasArgs(call []string, want ...string) bool {
	for i := range call {
		if i+len(want) <= len(call) && strings.Join(call[i:i+len(want)], "\x1f") == strings.Join(want, "\x1f") {
			return true
		}
	}
	return false
}

var target = "http://target.test.svc.cluster.local/"

func TestRunShMergesEveryShard(t *testing.T) {
	t.Parallel()
	r := newRunSh(t)
	r.logs(0, 1, 2)
	code, stderr := r.run("-N", "3", "-c", "10", "-t", "1", "-d", "5s", "--start-delay", "120",
		"-n", "loadtest", "-i", "registry.test/wrkrun:t", "-o", r.out, "-L", "-u", target)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}

	// Each shard's file is exactly its JSON document.
	for i := range 3 {
		got, err := os.ReadFile(filepath.Join(r.out, fmt.Sprintf("shard-%d.json", i)))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != shardJSON(i) {
			t.Errorf("shard-%d.json:\n%s\nwant:\n%s", i, got, shardJSON(i))
		}
	}

	// The merge: every shard file, in index order, with the script.
	merges := readCalls(t, filepath.Join(r.fake, "merge"))
	if len(merges) != 1 {
		t.Fatalf("wrkrun called %d times, want once", len(merges))
	}
	example, _ := filepath.Abs("example.lua")
	want := []string{"merge", "-s", example, "--latency", "--json", filepath.Join(r.out, "merged.json"),
		filepath.Join(r.out, "shard-0.json"), filepath.Join(r.out, "shard-1.json"), filepath.Join(r.out, "shard-2.json")}
	if strings.Join(merges[0], " ") != strings.Join(want, " ") {
		t.Errorf("merge called with\n%q\nwant\n%q", merges[0], want)
	}
	if report, err := os.ReadFile(filepath.Join(r.out, "merged.txt")); err != nil || !strings.Contains(string(report), "merged") {
		t.Errorf("merged.txt: %q, %v", report, err)
	}

	// What was applied: the script's ConfigMap and the rendered Job,
	// valid and as asked.
	job, cm := r.applied()
	checkJob(t, job, cm)
	if !regexp.MustCompile(`^wrkrun-\d{8}-\d{6}-[0-9a-f]{4}$`).MatchString(job.Name) {
		t.Errorf("job name %q: want wrkrun-<date>-<time>-<random>", job.Name)
	}
	if cm.Name != job.Name+"-script" {
		t.Errorf("ConfigMap %q, want %q", cm.Name, job.Name+"-script")
	}
	if *job.Spec.Completions != 3 || *job.Spec.Parallelism != 3 {
		t.Errorf("completions %d, parallelism %d, want 3", *job.Spec.Completions, *job.Spec.Parallelism)
	}
	if got := *job.Spec.ActiveDeadlineSeconds; got != 120+5+300 {
		t.Errorf("activeDeadlineSeconds = %d, want delay + duration + timeout = 425", got)
	}
	for _, labels := range []map[string]string{job.Labels, job.Spec.Template.Labels,
		job.Spec.Template.Spec.TopologySpreadConstraints[0].LabelSelector.MatchLabels} {
		if labels["app.kubernetes.io/instance"] != job.Name {
			t.Errorf("labels %v: app.kubernetes.io/instance is not the job name", labels)
		}
	}
	c := container(t, job)
	if c.Image != "registry.test/wrkrun:t" {
		t.Errorf("image %q", c.Image)
	}
	for name, want := range map[string]string{"SHARDS": "3", "TARGET_URL": target, "CONNECTIONS": "10",
		"THREADS": "1", "DURATION": "5s", "RATE": "0", "ALLOW_TARGET": "localhost"} {
		if got, _ := envValue(c, name); got != want {
			t.Errorf("env %s = %q, want %q", name, got, want)
		}
	}
	startAt, _ := envValue(c, "START_AT")
	start, err := time.Parse(time.RFC3339, startAt)
	if err != nil {
		t.Fatalf("START_AT %q: %v", startAt, err)
	}
	if lo, hi := r.started.Add(119*time.Second), time.Now().Add(121*time.Second); start.Before(lo) || start.After(hi) || !start.After(time.Now()) {
		t.Errorf("START_AT %s is not now + 120 s (%s .. %s)", startAt, lo.UTC().Format(time.RFC3339), hi.UTC().Format(time.RFC3339))
	}

	// kubectl: always in the namespace; the ConfigMap from the script
	// through a client-side dry run; a wait for completion; the pods of
	// every index.
	calls := r.calls()
	var created, waited bool
	listed := map[string]bool{}
	for _, call := range calls {
		if !hasArgs(call, "--namespace", "loadtest") {
			t.Errorf("kubectl call without --namespace loadtest: %q", call)
		}
		if hasArgs(call, "create", "configmap", cm.Name) {
			created = hasArgs(call, "--from-file=script.lua="+example) && hasArgs(call, "--dry-run=client") && hasArgs(call, "-o", "yaml")
		}
		if hasArgs(call, "wait", "--for=condition=complete", "job/"+job.Name) {
			waited = true
		}
		for _, a := range call {
			if v, ok := strings.CutPrefix(a, "batch.kubernetes.io/job-name="+job.Name+",batch.kubernetes.io/job-completion-index="); ok {
				listed[v] = true
			}
		}
	}
	if !created {
		t.Errorf("no `kubectl create configmap %s --from-file=script.lua=%s --dry-run=client -o yaml` in %q", cm.Name, example, calls)
	}
	if !waited {
		t.Errorf("no kubectl wait --for=condition=complete job/%s", job.Name)
	}
	if len(listed) != 3 || !listed["0"] || !listed["1"] || !listed["2"] {
		t.Errorf("pods listed for completion indexes %v, want 0, 1 and 2", listed)
	}
}

func TestRunShFailsNamingTheMissingShard(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(r *runSh)
		want  []string
	}{
		{"no pod", func(r *runSh) { r.logs(0, 2) }, []string{"shard 1: no succeeded pod with completion index 1", "1 of 3 shards missing"}},
		{"no JSON in the log", func(r *runSh) {
			r.logs(0, 1)
			r.write("log-2", "Running 5s test @ "+target+"\nunable to connect\n")
		}, []string{"shard 2: no JSON result at the end of the log of pod/job-2-x7k2p", "shard-2.log"}},
		{"JSON cut short", func(r *runSh) {
			r.logs(1, 2)
			r.write("log-0", strings.TrimSuffix(podLog(0), "}\n"))
		}, []string{"shard 0: no JSON result"}},
		{"output after the JSON", func(r *runSh) {
			r.logs(0, 2)
			r.write("log-1", podLog(1)+"late output\n")
		}, []string{"shard 1: no JSON result"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRunSh(t)
			tt.setup(r)
			code, stderr := r.run("-N", "3", "-c", "30", "-d", "5s", "-o", r.out, "-u", target)
			if code != 1 {
				t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not say %q:\n%s", w, stderr)
				}
			}
			if _, err := os.Stat(filepath.Join(r.fake, "merge")); err == nil {
				t.Error("wrkrun merge ran with a shard missing")
			}
		})
	}
}

func TestRunShReportsAFailedJob(t *testing.T) {
	t.Parallel()
	r := newRunSh(t)
	r.logs(0, 2)
	r.write("conditions", "FailureTarget Failed ")
	r.write("failed-indexes", "1")
	r.write("failed-pods", "1 3\n")
	code, stderr := r.run("-N", "3", "-o", r.out, "-u", target)
	if code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", code, stderr)
	}
	for _, w := range []string{"failed (FailedIndexes: Job has failed indexes)", "failed shards (completion indexes): 1",
		"shard 1: refused by the lint gate", "batch.kubernetes.io/job-completion-index=INDEX"} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr does not say %q:\n%s", w, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(r.fake, "merge")); err == nil {
		t.Error("wrkrun merge ran for a failed Job")
	}
}

func TestRunShMergeFailure(t *testing.T) {
	t.Parallel()
	r := newRunSh(t)
	r.logs(0, 1)
	r.env = append(r.env, "FAKE_MERGE_EXIT=1")
	code, stderr := r.run("-o", r.out, "-u", target)
	if code != 1 || !strings.Contains(stderr, "wrkrun merge failed") {
		t.Fatalf("exit %d, want 1 and the merge named; stderr:\n%s", code, stderr)
	}
}

// TestRunShBSDDate: without GNU date's -d, START_AT comes from date -r.
func TestRunShBSDDate(t *testing.T) {
	t.Parallel()
	r := newRunSh(t)
	realDate, err := exec.LookPath("date")
	if err != nil {
		t.Skip("date not found")
	}
	bash, _ := exec.LookPath("bash")
	writeExe(t, filepath.Join(r.dir, "bin", "date"), bash, fakeBSDDate)
	r.env = append(r.env, "REAL_DATE="+realDate)
	r.logs(0, 1)
	code, stderr := r.run("--start-delay", "30", "-o", r.out, "-u", target)
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(r.fake, "date-r")); err != nil {
		t.Fatal("date -r was not used")
	}
	job, _ := r.applied()
	startAt, _ := envValue(container(t, job), "START_AT")
	start, err := time.Parse(time.RFC3339, startAt)
	if err != nil || start.Before(r.started.Add(29*time.Second)) || start.After(time.Now().Add(31*time.Second)) {
		t.Errorf("START_AT %q is not now + 30 s: %v", startAt, err)
	}
}

// TestRunShUsage: bad options fail before anything reaches the cluster.
func TestRunShUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"no URL", nil, []string{"-N", "2"}, 2, "--url is required"},
		{"not a URL", nil, []string{"-u", "target.test"}, 2, "--url must be an http"},
		{"zero shards", nil, []string{"-N", "0", "-u", target}, 2, "--shards must be a positive integer"},
		{"fewer connections than shards", nil, []string{"-N", "4", "-c", "3", "-u", target}, 2, "must be at least --shards (4)"},
		{"bad duration", nil, []string{"-d", "5 minutes", "-u", target}, 2, "--duration must be"},
		{"missing script", nil, []string{"-s", "nope.lua", "-u", target}, 2, "script not found"},
		{"bad name", nil, []string{"--name", "Load_Test", "-u", target}, 2, "--name must be a DNS label"},
		{"unknown option", nil, []string{"--shard", "1", "-u", target}, 2, "unknown argument: --shard"},
		{"option without value", nil, []string{"-u"}, 2, "option -u needs a value"},
		{"no wrkrun", []string{"WRKRUN=/nonexistent/wrkrun"}, []string{"-u", target}, 1, "wrkrun not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := newRunSh(t)
			r.env = append(r.env, tt.env...)
			code, stderr := r.run(tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, want %d with %q; stderr:\n%s", code, tt.code, tt.want, stderr)
			}
			if calls := r.calls(); len(calls) != 0 {
				t.Errorf("kubectl called: %q", calls)
			}
		})
	}
}

// TestRunShQuotesValues: values with YAML's special characters reach the
// pods unchanged.
func TestRunShQuotesValues(t *testing.T) {
	t.Parallel()
	r := newRunSh(t)
	r.logs(0, 1)
	url := `http://shop.test/search?q="a: b" #x\y&z=1`
	url = strings.ReplaceAll(url, " ", "%20")
	code, stderr := r.run("-o", r.out, "-u", url, "--allow-target", "*.staging.example.com", "-R", "2k", "-c", "1k")
	if code != 0 {
		t.Fatalf("exit %d, stderr:\n%s", code, stderr)
	}
	job, _ := r.applied()
	c := container(t, job)
	for name, want := range map[string]string{"TARGET_URL": url, "ALLOW_TARGET": "*.staging.example.com", "RATE": "2k", "CONNECTIONS": "1k"} {
		if got, _ := envValue(c, name); got != want {
			t.Errorf("env %s = %q, want %q", name, got, want)
		}
	}
}
