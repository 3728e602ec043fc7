// Package kubernetes_test checks the Kubernetes deployment of wrkrun
// (job.yaml, configmap.yaml, run.sh) offline: every manifest is decoded
// strictly into the k8s.io/api types, since the API server's schemas cannot
// be downloaded here, and run.sh runs against fake kubectl and wrkrun.
package kubernetes_test

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

// kinds are the only objects the deployment may contain, by
// "apiVersion/kind"; anything else is an error.
var kinds = map[string]func() any{
	"batch/v1/Job": func() any { return &batchv1.Job{} },
	"v1/ConfigMap": func() any { return &corev1.ConfigMap{} },
}

// decodeManifests decodes every YAML document of data (separated by "---"
// lines, as kubectl reads them) into its k8s.io/api type, strictly: as
// `kubectl apply --validate=strict` against the server's schema, an unknown
// field, a field of the wrong type, a key in the wrong case, a duplicate key
// or an unknown kind is an error. Empty documents are skipped.
func decodeManifests(name string, data []byte) ([]any, error) {
	r := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
	var objs []any
	for doc := 1; ; doc++ {
		raw, err := r.Read()
		if errors.Is(err, io.EOF) {
			return objs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", name, doc, err)
		}
		js, err := yaml.YAMLToJSONStrict(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: document %d: %w", name, doc, err)
		}
		if s := string(bytes.TrimSpace(js)); s == "null" || s == "" {
			continue // only comments
		}
		var meta struct {
			APIVersion string `json:"apiVersion"`
			Kind       string `json:"kind"`
		}
		if err := kjson.UnmarshalCaseSensitivePreserveInts(js, &meta); err != nil {
			return nil, fmt.Errorf("%s: document %d: not an object: %w", name, doc, err)
		}
		newObj, ok := kinds[meta.APIVersion+"/"+meta.Kind]
		if !ok {
			return nil, fmt.Errorf("%s: document %d: unknown kind %q (apiVersion %q)", name, doc, meta.Kind, meta.APIVersion)
		}
		obj := newObj()
		strict, err := kjson.UnmarshalStrict(js, obj)
		if err != nil {
			return nil, fmt.Errorf("%s: document %d (%s): %w", name, doc, meta.Kind, err)
		}
		if len(strict) > 0 {
			return nil, fmt.Errorf("%s: document %d (%s): %w", name, doc, meta.Kind, errors.Join(strict...))
		}
		objs = append(objs, obj)
	}
}

// manifestFiles are the YAML files of this directory.
func manifestFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, pattern := range []string{"*.yaml", "*.yml"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatal("no manifests found")
	}
	return files
}

// deployment is the decoded content of this directory.
type deployment struct {
	job       *batchv1.Job
	configMap *corev1.ConfigMap
}

func loadDeployment(t *testing.T) deployment {
	t.Helper()
	var d deployment
	for _, f := range manifestFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		objs, err := decodeManifests(f, data)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			switch o := o.(type) {
			case *batchv1.Job:
				if d.job != nil {
					t.Fatalf("%s: a second Job %s", f, o.Name)
				}
				d.job = o
			case *corev1.ConfigMap:
				if d.configMap != nil {
					t.Fatalf("%s: a second ConfigMap %s", f, o.Name)
				}
				d.configMap = o
			}
		}
	}
	if d.job == nil || d.configMap == nil {
		t.Fatalf("want one Job and one ConfigMap, got job=%v configmap=%v", d.job != nil, d.configMap != nil)
	}
	return d
}

func TestManifestsDecodeStrictly(t *testing.T) {
	t.Parallel()
	for _, f := range manifestFiles(t) {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		objs, err := decodeManifests(f, data)
		if err != nil {
			t.Error(err)
			continue
		}
		if len(objs) == 0 {
			t.Errorf("%s: no object", f)
		}
	}
}

// TestDecodeManifestsRejects proves the strict decoding catches mistakes:
// each case edits the real job.yaml (the edit must apply) and must fail
// with the given text.
func TestDecodeManifestsRejects(t *testing.T) {
	t.Parallel()
	job, err := os.ReadFile("job.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown field", "  completionMode: Indexed\n", "  completionMode: Indexed\n  completionz: 4\n", `unknown field "spec.completionz"`},
		{"unknown nested field", "          imagePullPolicy: IfNotPresent\n", "          imagePullPolicy: IfNotPresent\n          imagePolicy: Always\n", `unknown field "spec.template.spec.containers[0].imagePolicy"`},
		{"mistyped int", "  completions: 4 # run.sh: SHARDS\n", "  completions: \"4\"\n", "cannot unmarshal string into Go struct field JobSpec.spec.completions of type int32"},
		{"mistyped bool", "        runAsNonRoot: true\n", "        runAsNonRoot: \"yes\"\n", "cannot unmarshal string"},
		{"mistyped list", "          args:\n", "          args: --quiet\n          argz:\n", "cannot unmarshal string into Go struct field Container.spec.template.spec.containers.args of type []string"},
		{"bad quantity", "              memory: 1Gi\n            limits:", "              memory: lots\n            limits:", "quantities must match"},
		{"key in the wrong case", "  parallelism: 4 # run.sh: SHARDS\n", "  Parallelism: 4\n", `unknown field "spec.Parallelism"`},
		{"duplicate key", "  backoffLimitPerIndex: 0\n", "  backoffLimitPerIndex: 0\n  backoffLimitPerIndex: 1\n", "backoffLimitPerIndex"},
		{"unknown kind", "kind: Job\n", "kind: Jobb\n", `unknown kind "Jobb"`},
		{"wrong apiVersion", "apiVersion: batch/v1\n", "apiVersion: batch/v2\n", `unknown kind "Job" (apiVersion "batch/v2")`},
		{"second document unknown", "                path: script.lua\n", "                path: script.lua\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n", "document 2: unknown kind \"Deployment\""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if !bytes.Contains(job, []byte(tt.old)) {
				t.Fatalf("job.yaml no longer contains %q: update the test", tt.old)
			}
			bad := bytes.Replace(job, []byte(tt.old), []byte(tt.new), 1)
			_, err := decodeManifests("job.yaml", bad)
			if err == nil {
				t.Fatalf("decoded without error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not mention %q", err, tt.want)
			}
		})
	}
	// The unedited file and a multi-document file decode.
	objs, err := decodeManifests("job.yaml", append(append([]byte("---\n# only a comment\n---\n"), job...), "---\n"...))
	if err != nil || len(objs) != 1 {
		t.Fatalf("job.yaml with empty documents: %d objects, %v", len(objs), err)
	}
}

func container(t *testing.T, job *batchv1.Job) corev1.Container {
	t.Helper()
	cs := job.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("want one container, got %d", len(cs))
	}
	return cs[0]
}

// flagValue returns the value of a flag in args, written "--flag value" or
// "--flag=value", and whether the flag is there.
func flagValue(args []string, flag string) (string, bool) {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v, true
		}
	}
	return "", false
}

func envValue(c corev1.Container, name string) (string, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e.Value, true
		}
	}
	return "", false
}

var varRef = regexp.MustCompile(`\$\(([A-Za-z_][A-Za-z0-9_]*)\)`)

// checkJob asserts what the distributed run relies on. run.sh's test
// applies it to the rendered Job too.
func checkJob(t *testing.T, job *batchv1.Job, cm *corev1.ConfigMap) {
	t.Helper()
	spec := job.Spec
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion {
		t.Errorf("completionMode = %s, want Indexed", show(spec.CompletionMode))
	}
	if spec.Completions == nil || spec.Parallelism == nil || *spec.Completions < 1 || *spec.Parallelism != *spec.Completions {
		t.Errorf("completions (%s) and parallelism (%s) must be equal and set", show(spec.Completions), show(spec.Parallelism))
	}
	if spec.BackoffLimitPerIndex == nil || *spec.BackoffLimitPerIndex != 0 {
		t.Errorf("backoffLimitPerIndex = %v, want 0: a shard must not be retried", show(spec.BackoffLimitPerIndex))
	}
	if spec.MaxFailedIndexes == nil || *spec.MaxFailedIndexes != 0 {
		t.Errorf("maxFailedIndexes = %v, want 0: one failed shard fails the run", show(spec.MaxFailedIndexes))
	}
	if spec.TTLSecondsAfterFinished == nil || *spec.TTLSecondsAfterFinished < 600 {
		t.Errorf("ttlSecondsAfterFinished = %v, want at least 600 s to collect the logs", show(spec.TTLSecondsAfterFinished))
	}
	if spec.ActiveDeadlineSeconds == nil || *spec.ActiveDeadlineSeconds <= 0 {
		t.Errorf("activeDeadlineSeconds = %v, want a bound", show(spec.ActiveDeadlineSeconds))
	}
	pod := spec.Template.Spec
	if pod.RestartPolicy != corev1.RestartPolicyNever {
		t.Errorf("restartPolicy = %q, want Never", pod.RestartPolicy)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("automountServiceAccountToken must be false: wrkrun needs no API access")
	}
	c := container(t, job)
	args := c.Args

	// The flags of the distributed contract.
	if !slices.Contains(args, "--require-lint") {
		t.Errorf("args %q lack --require-lint", args)
	}
	for _, a := range args {
		if strings.HasPrefix(a, "--require-lint=") && a != "--require-lint=true" {
			t.Errorf("args turn the lint gate off: %q", a)
		}
	}
	if v, ok := flagValue(args, "--json"); !ok || v != "-" {
		t.Errorf("args %q lack --json -", args)
	}
	if !slices.Contains(args, "--quiet") {
		t.Errorf("args %q lack --quiet", args)
	}
	if v, _ := flagValue(args, "--shards"); v != "$(SHARDS)" {
		t.Errorf("--shards = %q, want $(SHARDS)", v)
	}
	if v, _ := flagValue(args, "--start-at"); v != "$(START_AT)" {
		t.Errorf("--start-at = %q, want $(START_AT)", v)
	}
	if args[len(args)-1] != "$(TARGET_URL)" {
		t.Errorf("the last argument is %q, want the URL $(TARGET_URL)", args[len(args)-1])
	}
	// Kubernetes leaves $(X) as it is when X is not defined: every
	// reference must name an env var of the container.
	for _, a := range append(slices.Clone(c.Command), args...) {
		for _, m := range varRef.FindAllStringSubmatch(a, -1) {
			if _, ok := envValue(c, m[1]); !ok {
				t.Errorf("argument %q refers to $(%s), which is not in env", a, m[1])
			}
		}
	}
	shards, _ := envValue(c, "SHARDS")
	if spec.Completions != nil && shards != strconv.Itoa(int(*spec.Completions)) {
		t.Errorf("env SHARDS = %q, completions = %d: they must agree", shards, *spec.Completions)
	}
	startAt, _ := envValue(c, "START_AT")
	if _, err := time.Parse(time.RFC3339, startAt); err != nil || !strings.HasSuffix(startAt, "Z") {
		t.Errorf("env START_AT = %q is not an RFC 3339 UTC time: %v", startAt, err)
	}

	// Resources: requests and limits for CPU and memory.
	for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
		req, okReq := c.Resources.Requests[r]
		lim, okLim := c.Resources.Limits[r]
		if !okReq || req.IsZero() || !okLim || lim.IsZero() {
			t.Errorf("resources: %s request %v and limit %v must be set", r, req.String(), lim.String())
			continue
		}
		if req.Cmp(lim) > 0 {
			t.Errorf("resources: %s request %s above the limit %s", r, req.String(), lim.String())
		}
	}
	if cpu := c.Resources.Requests[corev1.ResourceCPU]; cpu.Cmp(resource.MustParse("1")) < 0 {
		t.Errorf("cpu request %s: a load generator needs at least one CPU", cpu.String())
	}

	// Hardening.
	psc, sc := pod.SecurityContext, c.SecurityContext
	if psc == nil || sc == nil {
		t.Fatal("pod and container securityContext must be set")
	}
	if !isTrue(psc.RunAsNonRoot) && !isTrue(sc.RunAsNonRoot) {
		t.Error("runAsNonRoot must be true")
	}
	if psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Error("runAsUser must be a non-root numeric user")
	}
	if !isTrue(sc.ReadOnlyRootFilesystem) {
		t.Error("readOnlyRootFilesystem must be true")
	}
	if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
		t.Error("allowPrivilegeEscalation must be false")
	}
	if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) != 0 {
		t.Errorf("capabilities must drop ALL and add none: %+v", sc.Capabilities)
	}
	for _, s := range []*corev1.SeccompProfile{psc.SeccompProfile, sc.SeccompProfile} {
		if s == nil || s.Type != corev1.SeccompProfileTypeRuntimeDefault {
			t.Errorf("seccompProfile must be RuntimeDefault: %+v", s)
		}
	}

	// The script: --script names the ConfigMap's key, mounted read-only.
	scriptPath, _ := flagValue(args, "--script")
	checkScriptMount(t, job, c, scriptPath, cm)
}

func isTrue(b *bool) bool { return b != nil && *b }

// show prints an optional field: its value or "unset".
func show[T any](p *T) string {
	if p == nil {
		return "unset"
	}
	return fmt.Sprint(*p)
}

func checkScriptMount(t *testing.T, job *batchv1.Job, c corev1.Container, scriptPath string, cm *corev1.ConfigMap) {
	t.Helper()
	for _, m := range c.VolumeMounts {
		rel, err := filepath.Rel(m.MountPath, scriptPath)
		if err != nil || strings.HasPrefix(rel, "..") {
			continue
		}
		if !m.ReadOnly {
			t.Errorf("the script's volume %q is mounted read-write", m.Name)
		}
		for _, v := range job.Spec.Template.Spec.Volumes {
			if v.Name != m.Name {
				continue
			}
			if v.ConfigMap == nil {
				t.Fatalf("volume %q is not a ConfigMap", v.Name)
			}
			if v.ConfigMap.Name != cm.Name {
				t.Errorf("volume %q mounts ConfigMap %q, want %q", v.Name, v.ConfigMap.Name, cm.Name)
			}
			key := rel
			for _, it := range v.ConfigMap.Items {
				if it.Path == rel {
					key = it.Key
				}
			}
			if _, ok := cm.Data[key]; !ok {
				t.Errorf("--script %s is key %q of ConfigMap %q, which has no such key", scriptPath, key, cm.Name)
			}
			return
		}
		t.Fatalf("no volume %q", m.Name)
	}
	t.Errorf("--script %q is not under any volume mount", scriptPath)
}

func TestJob(t *testing.T) {
	t.Parallel()
	d := loadDeployment(t)
	checkJob(t, d.job, d.configMap)
}

// TestConfigMapScript: the example script passes wrklint without a single
// finding (the pods run with --require-lint), and configmap.yaml holds
// example.lua byte for byte, so that run.sh's default and the manifest are
// the same script.
func TestConfigMapScript(t *testing.T) {
	t.Parallel()
	d := loadDeployment(t)
	script, ok := d.configMap.Data["script.lua"]
	if !ok {
		t.Fatalf("ConfigMap %s has no script.lua", d.configMap.Name)
	}
	example, err := os.ReadFile("example.lua")
	if err != nil {
		t.Fatal(err)
	}
	if script != string(example) {
		t.Error("configmap.yaml's script.lua differs from example.lua: copy example.lua into it")
	}
	findings := analyzer.AnalyzeSource("script.lua", []byte(script), rules.All(), nil)
	for _, f := range findings {
		t.Errorf("script.lua:%d:%d: %s %s %s: %s", f.Start.Line, f.Start.Column, f.Level, f.RuleID, f.Name, f.Message)
	}
	for _, want := range []string{"function done(", "latency:percentile(", "wrk.shard"} {
		if !strings.Contains(script, want) {
			t.Errorf("the example script should show %q", want)
		}
	}
}
