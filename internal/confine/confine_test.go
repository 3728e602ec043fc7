package confine

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/runner/luart"
)

// childEnv names the directory the confined child works in; set only in
// the re-executed test binary.
const childEnv = "WRKRUN_CONFINE_TEST_DIR"

// TestConfinement runs the checks in a child process: Landlock applies to
// the whole process and cannot be undone, so the test binary itself must
// stay free.
func TestConfinement(t *testing.T) {
	if ABI() == 0 {
		t.Skip("the kernel has no Landlock (landlock_create_ruleset reports no ABI version): confinement cannot be tested here")
	}
	dir := t.TempDir()
	for _, d := range []string{"script", "secret", "out"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for path, content := range map[string]string{"script/data.txt": "readable", "secret/key.txt": "not readable", "report.json": ""} {
		if err := os.WriteFile(filepath.Join(dir, path), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// A program in a readable directory must not run either.
	prog, err := exec.LookPath("true")
	if err != nil {
		t.Skip("no true(1) to execute")
	}
	b, err := os.ReadFile(prog)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "script", "true"), b, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestConfinedChild$", "-test.v") //nolint:gosec // G204: our own test binary
	cmd.Env = append(os.Environ(), childEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child failed: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "PASS: TestConfinedChild") {
		t.Fatalf("the child did not run its checks:\n%s", out)
	}
}

// run runs a program with pipes for its standard streams: nil streams
// would make os/exec open /dev/null first, and that open, not the
// execve, would be what fails.
func run(prog string, args ...string) error {
	cmd := exec.Command(prog, args...) //nolint:gosec // G204: the programs the test expects to be refused
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), io.Discard, io.Discard
	return cmd.Run()
}

// TestConfinedChild confines itself and checks what it can still do. It
// does nothing unless TestConfinement started it.
func TestConfinedChild(t *testing.T) {
	dir := os.Getenv(childEnv)
	if dir == "" {
		t.Skip("runs only as TestConfinement's child")
	}
	in := func(p string) string { return filepath.Join(dir, p) }
	st, err := Apply(Policy{Read: []string{in("script")}, Write: []string{in("out")}, WriteFiles: []string{in("report.json")}})
	if err != nil || !st.Enforced {
		t.Fatalf("Apply = %+v, %v", st, err)
	}
	denied := func(what string, err error) {
		t.Helper()
		if !errors.Is(err, fs.ErrPermission) {
			t.Errorf("%s: err = %v, want permission denied", what, err)
		}
	}
	allowed := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Errorf("%s: %v", what, err)
		}
	}
	_, err = os.ReadFile(in("script/data.txt"))
	allowed("read in the script's directory", err)
	_, err = os.ReadFile(in("secret/key.txt"))
	denied("read outside the allowed paths", err)
	_, err = os.ReadFile("/etc/shadow")
	denied("read /etc/shadow", err)
	allowed("write below allow.write", os.WriteFile(in("out/result.csv"), []byte("x"), 0o600))
	denied("write in a read-only directory", os.WriteFile(in("script/new.txt"), []byte("x"), 0o600))
	denied("create outside every allowed path", os.WriteFile(in("new.txt"), []byte("x"), 0o600))
	allowed("write the output file", os.WriteFile(in("report.json"), []byte("{}"), 0o600))
	denied("execute a system program", run("/bin/sh", "-c", "true"))
	denied("execute a program in a readable directory", run(in("script/true")))
	_, err = os.ReadFile("/etc/hosts")
	allowed("read /etc/hosts (name resolution)", err)

	// From Lua: even where the sandbox's policy lets the script open a
	// file (a configuration mistake, or a sandbox bug), Landlock does not.
	src := fmt.Sprintf(`local f, err = io.open(%q)
assert(f == nil, "opened a file outside the confinement")
assert(err:find("permission denied"), err)
assert(io.open(%q), "the script's own directory is readable")`, in("secret/key.txt"), in("script/data.txt"))
	s, err := luart.New(in("script/confined.lua"), []byte(src), luart.Options{
		URL: "http://127.0.0.1/", Threads: 1,
		Policy: analyzer.Policy{Read: []string{in("secret/*"), in("script/*")}},
	})
	if err != nil {
		t.Errorf("from Lua: %v", err)
		return
	}
	s.Close()
}
