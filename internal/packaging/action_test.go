package packaging

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

type actionStep struct {
	ID    string            `yaml:"id"`
	Name  string            `yaml:"name"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

// action is action.yml's metadata as GitHub documents it; decoding with
// KnownFields makes a misspelt key an error.
type action struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Author      string `yaml:"author"`
	Branding    struct {
		Icon  string `yaml:"icon"`
		Color string `yaml:"color"`
	} `yaml:"branding"`
	Inputs map[string]struct {
		Description string `yaml:"description"`
		Required    bool   `yaml:"required"`
		Default     string `yaml:"default"`
	} `yaml:"inputs"`
	Outputs map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

func loadAction(t *testing.T) *action {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var a action
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	return &a
}

var expr = regexp.MustCompile(`\$\{\{\s*([^}]*?)\s*\}\}`)

// TestActionMetadata checks action.yml's structure: a composite action
// with the documented inputs, bash steps, and expressions that name only
// inputs, steps and outputs that exist.
func TestActionMetadata(t *testing.T) {
	t.Parallel()
	a := loadAction(t)
	if a.Name == "" || a.Description == "" {
		t.Error("name and description are required")
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	for _, in := range []string{"paths", "fail-on", "format", "config", "sarif-file"} {
		if _, ok := a.Inputs[in]; !ok || a.Inputs[in].Description == "" {
			t.Errorf("input %s missing or undocumented", in)
		}
	}
	ids := map[string]bool{}
	for _, s := range a.Runs.Steps {
		if s.Run != "" && s.Shell != "bash" {
			t.Errorf("step %q: shell %q, want bash (composite run steps need an explicit shell)", s.Name, s.Shell)
		}
		if s.Run != "" && expr.MatchString(s.Run) {
			// Expressions are pasted into the script before bash sees it: an
			// input with a quote would become code. Scripts read env only.
			t.Errorf("step %q has an expression in its script; pass it through env", s.Name)
		}
		if s.ID != "" {
			ids[s.ID] = true
		}
	}
	check := func(where, text string) {
		for _, m := range expr.FindAllStringSubmatch(text, -1) {
			e := m[1]
			for _, ref := range regexp.MustCompile(`inputs\.([\w-]+)`).FindAllStringSubmatch(e, -1) {
				if _, ok := a.Inputs[ref[1]]; !ok {
					t.Errorf("%s: unknown input %s", where, ref[1])
				}
			}
			for _, ref := range regexp.MustCompile(`steps\.([\w-]+)\.outputs`).FindAllStringSubmatch(e, -1) {
				if !ids[ref[1]] {
					t.Errorf("%s: unknown step %s", where, ref[1])
				}
			}
		}
	}
	for _, s := range a.Runs.Steps {
		check("step "+s.Name+" if", "${{ "+s.If+" }}")
		for k, v := range s.Env {
			check("step "+s.Name+" env "+k, v)
		}
		for k, v := range s.With {
			check("step "+s.Name+" with "+k, v)
		}
	}
	for k, o := range a.Outputs {
		check("output "+k, o.Value)
	}
}

// runner runs the action's bash steps as a GitHub runner would: with
// bash --noprofile --norc -eo pipefail, the step's env (expressions
// evaluated against the inputs, the action path and earlier steps'
// outputs), GITHUB_OUTPUT, RUNNER_TEMP, and the workspace as working
// directory.
type runner struct {
	t         *testing.T
	a         *action
	actionDir string
	temp      string
	outputs   map[string]map[string]string // step id -> outputs
}

func (r *runner) eval(v string, inputs map[string]string) string {
	return expr.ReplaceAllStringFunc(v, func(m string) string {
		e := expr.FindStringSubmatch(m)[1]
		switch {
		case e == "github.action_path":
			return r.actionDir
		case strings.HasPrefix(e, "inputs."):
			name := strings.TrimPrefix(e, "inputs.")
			if v, ok := inputs[name]; ok {
				return v
			}
			return r.a.Inputs[name].Default
		case strings.HasPrefix(e, "steps."):
			f := strings.Split(e, ".") // steps.ID.outputs.NAME
			return r.outputs[f[1]][f[3]]
		}
		r.t.Fatalf("expression %q not known to this test", e)
		return ""
	})
}

// run runs the step with the given ID in workspace and returns its exit
// code and output.
func (r *runner) run(id, workspace string, inputs map[string]string) (int, string) {
	r.t.Helper()
	var step *actionStep
	for i := range r.a.Runs.Steps {
		if r.a.Runs.Steps[i].ID == id {
			step = &r.a.Runs.Steps[i]
		}
	}
	if step == nil || step.Run == "" {
		r.t.Fatalf("no run step %q", id)
	}
	script := filepath.Join(r.temp, id+".sh")
	if err := os.WriteFile(script, []byte(step.Run), 0o600); err != nil {
		r.t.Fatal(err)
	}
	outFile := filepath.Join(r.temp, id+".output")
	_ = os.Remove(outFile)
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", script) //nolint:gosec // G204: bash on the action's own script
	cmd.Dir = workspace
	cmd.Env = append(os.Environ(), "GITHUB_OUTPUT="+outFile, "RUNNER_TEMP="+r.temp, "GITHUB_WORKSPACE="+workspace, "GITHUB_ACTIONS=true")
	for k, v := range step.Env {
		cmd.Env = append(cmd.Env, k+"="+r.eval(v, inputs))
	}
	out, err := cmd.CombinedOutput()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		r.t.Fatal(err)
	}
	r.outputs[id] = map[string]string{}
	if data, err := os.ReadFile(outFile); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				r.outputs[id][k] = v
			}
		}
	}
	return code, string(out)
}

// TestActionScript builds wrklint with the action's build step (from this
// checkout as the action path) and runs its run step on workspaces: the
// exit code, annotations, SARIF file and step outputs are what the
// documentation promises.
func TestActionScript(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds wrklint")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("bash not found")
	}
	actionDir, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{t: t, a: loadAction(t), actionDir: actionDir, temp: t.TempDir(), outputs: map[string]map[string]string{}}
	if code, out := r.run("build", t.TempDir(), nil); code != 0 || !strings.Contains(out, "wrklint ") {
		t.Fatalf("build step: exit %d\n%s", code, out)
	}
	if bin := r.outputs["build"]["bin"]; bin == "" {
		t.Fatal("the build step set no bin output")
	}

	const bad = "local ok = os.execute(\"id\")\n"
	const env = "local token = os.getenv(\"TOKEN\")\n"
	const clean = "request = function()\n  return wrk.format(\"GET\", \"/\")\nend\n"
	tests := []struct {
		name     string
		files    map[string]string
		inputs   map[string]string
		wantCode int
		want     []string
		sarif    string // expected SARIF file, relative to the workspace
	}{
		{"clean workspace", map[string]string{"a.lua": clean}, nil, 0, []string{"no findings in 1 file"}, ""},
		{"annotation for a finding", map[string]string{"scripts/a.lua": bad}, nil, 1,
			[]string{"::error file=scripts/a.lua,line=1,col=12,endLine=1,endColumn=22,title=WL103 CommandExecution::"}, ""},
		{"paths on several lines, one excluded by not naming it", map[string]string{"a/x.lua": clean, "b/y.lua": clean, "c/z.lua": bad},
			map[string]string{"paths": "a\n  b/y.lua\n"}, 0, []string{"no findings in 2 files"}, ""},
		{"a path with a glob character is not expanded", map[string]string{"a.lua": bad}, map[string]string{"paths": "*.lua"}, 3,
			[]string{"*.lua"}, ""},
		{"warning passes by default", map[string]string{"a.lua": env}, nil, 0, []string{"::warning file=a.lua"}, ""},
		{"fail-on warning", map[string]string{"a.lua": env}, map[string]string{"fail-on": "warning"}, 1, []string{"::warning file=a.lua"}, ""},
		{"config input", map[string]string{"a.lua": bad, "cfg/wl.yml": "rules:\n  disable: [WL103]\n"}, map[string]string{"config": "cfg/wl.yml"}, 0, nil, ""},
		{"bad config exits 2", map[string]string{"a.lua": bad, ".wrklint.yml": "nonsense: [\n"}, nil, 2, []string{"invalid YAML"}, ""},
		{"text format", map[string]string{"a.lua": bad}, map[string]string{"format": "text"}, 1, []string{"a.lua:1:12: error WL103"}, ""},
		{"sarif file and annotations", map[string]string{"a.lua": bad}, map[string]string{"sarif-file": "out/wrklint.sarif"}, 1,
			[]string{"::error file=a.lua", "report written to out/wrklint.sarif"}, "out/wrklint.sarif"},
		{"sarif file on a clean workspace", map[string]string{"a.lua": clean}, map[string]string{"sarif-file": "wrklint.sarif"}, 0, nil, "wrklint.sarif"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r.t = t
			ws := t.TempDir()
			for name, content := range tt.files {
				p := filepath.Join(ws, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			code, out := r.run("run", ws, tt.inputs)
			if code != tt.wantCode {
				t.Errorf("exit %d, want %d\n%s", code, tt.wantCode, out)
			}
			if got := r.outputs["run"]["exit-code"]; got != strconv.Itoa(tt.wantCode) {
				t.Errorf("exit-code output %q, want %d", got, tt.wantCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if tt.sarif == "" {
				return
			}
			if got := r.outputs["run"]["sarif-file"]; got != tt.sarif {
				t.Errorf("sarif-file output %q, want %q", got, tt.sarif)
			}
			data, err := os.ReadFile(filepath.Join(ws, tt.sarif))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Version string `json:"version"`
				Runs    []struct {
					Results []struct {
						RuleID string `json:"ruleId"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal(data, &doc); err != nil || doc.Version != "2.1.0" || len(doc.Runs) != 1 {
				t.Fatalf("not a SARIF 2.1.0 report (%v):\n%s", err, data)
			}
			if wantResults := tt.wantCode; len(doc.Runs[0].Results) != wantResults {
				t.Errorf("%d SARIF results, want %d", len(doc.Runs[0].Results), wantResults)
			}
		})
	}
}
