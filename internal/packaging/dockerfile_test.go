package packaging

import (
	"bufio"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// root is the repository root, from this package's directory.
const root = "../.."

// instruction is one Dockerfile instruction, continuation lines joined.
type instruction struct {
	cmd  string // upper case: FROM, RUN, COPY...
	args string
}

type stage struct {
	from, name string
	body       []instruction
}

// parseDockerfile reads the instructions of a Dockerfile (comments
// dropped, backslash continuations joined) grouped by stage. It knows
// the subset of the syntax the repository's Dockerfile uses; anything
// else is a test failure rather than a silent skip.
func parseDockerfile(t *testing.T, path string) []stage {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var stages []stage
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		in := instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)}
		switch in.cmd {
		case "FROM":
			f := strings.Fields(in.args)
			s := stage{from: f[0]}
			if len(f) == 3 && strings.EqualFold(f[1], "AS") {
				s.name = f[2]
			}
			stages = append(stages, s)
		case "WORKDIR", "COPY", "RUN", "ENV", "USER", "CMD", "ENTRYPOINT", "ARG", "LABEL":
			if len(stages) == 0 {
				t.Fatalf("%s before FROM", in.cmd)
			}
			stages[len(stages)-1].body = append(stages[len(stages)-1].body, in)
		default:
			t.Fatalf("instruction %s is not known to this test", in.cmd)
		}
	}
	sc := bufio.NewScanner(strings.NewReader(string(data)))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		if strings.HasSuffix(line, `\`) {
			cur.WriteString(strings.TrimSuffix(line, `\`) + " ")
			continue
		}
		cur.WriteString(line)
		flush()
	}
	flush()
	return stages
}

// TestDockerfile checks the image without a Docker engine: a Go build
// stage and a distroless runtime stage, static binaries of both tools
// copied from the build stage's outputs, a numeric non-root user, no
// shell commands in the runtime stage, and the path job.yaml runs.
func TestDockerfile(t *testing.T) {
	t.Parallel()
	stages := parseDockerfile(t, filepath.Join(root, "Dockerfile"))
	if len(stages) != 2 {
		t.Fatalf("%d stages, want 2 (build, runtime)", len(stages))
	}
	build, final := stages[0], stages[1]
	if build.name == "" || !strings.HasPrefix(build.from, "golang:") {
		t.Errorf("build stage FROM %s AS %q, want a named golang stage", build.from, build.name)
	}
	// The Go image must be at least go.mod's go version.
	goMod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	want := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(goMod)
	if have := strings.TrimPrefix(build.from, "golang:"); want == nil || !strings.HasPrefix(have, string(want[1])) {
		t.Errorf("build stage uses %s, go.mod asks for go %s", build.from, want[1])
	}
	if !strings.HasPrefix(final.from, "gcr.io/distroless/static") || !strings.HasSuffix(final.from, ":nonroot") {
		t.Errorf("runtime stage FROM %s, want distroless static nonroot", final.from)
	}

	outputs := map[string]string{} // build output -> ./cmd/X
	goBuild := regexp.MustCompile(`go build .*-o (\S+) (\./cmd/\w+)`)
	for _, in := range build.body {
		if m := goBuild.FindStringSubmatch(in.args); in.cmd == "RUN" && m != nil {
			outputs[m[1]] = m[2]
		}
		if in.cmd == "ENV" && strings.Contains(in.args, "CGO_ENABLED") && !strings.Contains(in.args, "CGO_ENABLED=0") {
			t.Errorf("build stage: %s %s", in.cmd, in.args)
		}
	}
	copied := map[string]string{} // destination -> source
	var user string
	for _, in := range final.body {
		switch in.cmd {
		case "RUN":
			t.Errorf("runtime stage runs %q: the distroless image has no shell", in.args)
		case "COPY":
			f := strings.Fields(in.args)
			if len(f) != 3 || f[0] != "--from="+build.name {
				t.Errorf("runtime stage COPY %s: want --from=%s SRC DST", in.args, build.name)
				continue
			}
			if outputs[f[1]] == "" {
				t.Errorf("runtime stage copies %s, which the build stage does not build", f[1])
			}
			copied[f[2]] = outputs[f[1]]
		case "USER":
			user = in.args
		}
	}
	if copied["/wrklint"] != "./cmd/wrklint" || copied["/wrkrun"] != "./cmd/wrkrun" {
		t.Errorf("runtime stage has %v, want /wrklint and /wrkrun built from ./cmd/wrklint and ./cmd/wrkrun", copied)
	}
	if !regexp.MustCompile(`^[1-9]\d*:[1-9]\d*$`).MatchString(user) {
		t.Errorf("USER %q: want a numeric non-root uid:gid (runAsNonRoot checks it)", user)
	}

	// deploy/kubernetes runs this image: its command must be in it.
	var job struct {
		Spec struct {
			Template struct {
				Spec struct {
					Containers []struct{ Command []string }
				}
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(root, "deploy/kubernetes/job.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.Unmarshal(data, &job); err != nil {
		t.Fatal(err)
	}
	for _, c := range job.Spec.Template.Spec.Containers {
		if len(c.Command) == 0 || copied[c.Command[0]] == "" {
			t.Errorf("job.yaml runs %q, which the image does not have", c.Command)
		}
	}
}

// TestDockerfileBuildStage runs the build stage's RUN commands (with its
// ENV) as a script in the repository root, which is what COPY . . puts
// in WORKDIR, with /out redirected to a temporary directory, and checks
// that the binaries the runtime stage copies come out static.
func TestDockerfileBuildStage(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds both tools")
	}
	stages := parseDockerfile(t, filepath.Join(root, "Dockerfile"))
	out := t.TempDir()
	var script strings.Builder
	script.WriteString("set -eu\n")
	for _, in := range stages[0].body {
		switch in.cmd {
		case "ENV":
			script.WriteString("export " + in.args + "\n")
		case "RUN":
			script.WriteString(strings.ReplaceAll(in.args, "/out/", out+"/") + "\n")
		}
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sh", "-c", script.String()) //nolint:gosec // G204: sh on the Dockerfile's build commands, and the binary just built
	cmd.Dir = abs
	// Outside the container there is no .git in the context either.
	cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build stage script failed: %v\n%s\nscript:\n%s", err, output, script.String())
	}
	for _, name := range []string{"wrklint", "wrkrun"} {
		f, err := elf.Open(filepath.Join(out, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_INTERP {
				t.Errorf("%s has a dynamic loader: not static", name)
			}
		}
		if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
			t.Errorf("%s links %v: not static", name, libs)
		}
		f.Close()
	}
	v1, err := exec.Command(filepath.Join(out, "wrklint"), "--version").Output() //nolint:gosec // G204: sh on the Dockerfile's build commands, and the binary just built
	if err != nil || !strings.HasPrefix(string(v1), "wrklint ") {
		t.Errorf("wrklint --version: %q, %v", v1, err)
	}
}

// TestDockerignore checks that the build context keeps what the build
// stage needs.
func TestDockerignore(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(root, ".dockerignore"))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		p := strings.TrimSpace(line)
		if p == "" || strings.HasPrefix(p, "#") {
			continue
		}
		for _, need := range []string{"go.mod", "go.sum", "cmd/wrklint/main.go", "cmd/wrkrun/main.go", "internal/version/version.go"} {
			if ok, _ := filepath.Match(strings.TrimPrefix(p, "/"), need); ok || p == need {
				t.Errorf(".dockerignore pattern %q drops %s", p, need)
			}
		}
	}
}
