package version

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFromBuildInfo(t *testing.T) {
	rev := "0123456789abcdef0123456789abcdef01234567"
	tests := []struct {
		name string
		info *debug.BuildInfo
		want string
	}{
		{"no build info", nil, Devel},
		{"go install @tag", &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, "1.2.3"},
		{"go install @commit", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261206101500-0123456789ab"}}, "0.0.0-20261206101500-0123456789ab"},
		{"checkout stamped by Go 1.24+, dirty", &debug.BuildInfo{
			Main:     debug.Module{Version: "v0.1.1-0.20261206101500-0123456789ab+dirty"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}},
		}, "0.1.1-0.20261206101500-0123456789ab+dirty"},
		{"checkout without module version", &debug.BuildInfo{
			Main:     debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "false"}},
		}, "0.0.0-devel+0123456789ab"},
		{"modified checkout", &debug.BuildInfo{
			Main:     debug.Module{Version: "(devel)"},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: "true"}},
		}, "0.0.0-devel+0123456789ab.dirty"},
		{"no VCS information", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, Devel},
		{"empty version", &debug.BuildInfo{}, Devel},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FromBuildInfo(tt.info); got != tt.want {
				t.Errorf("FromBuildInfo = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestBinariesAgree builds wrklint and wrkrun from a clone of this
// checkout and checks that both print the same version, and that it is
// not the fallback: a build from a clone names its commit. A clone,
// because the go command stamps VCS information only where .git is a
// directory (not in a git worktree) and leaves it out with
// -buildvcs=false.
func TestBinariesAgree(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two binaries")
	}
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is needed for VCS stamping")
	}
	top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		t.Skip("not in a git checkout")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	if out, err := exec.Command("git", "clone", "-q", strings.TrimSpace(string(top)), src).CombinedOutput(); err != nil { //nolint:gosec // G204: git and go on this checkout, and the binaries just built
		t.Fatalf("git clone: %v\n%s", err, out)
	}
	// -trimpath as the release builds have it; it also keeps the compiled
	// packages independent of the clone's directory, so that the build
	// cache serves them and only the two links are done anew.
	env := append(os.Environ(), "GOFLAGS=-buildvcs=true -trimpath")
	build := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./cmd/wrklint", "./cmd/wrkrun") //nolint:gosec // G204: git and go on this checkout, and the binaries just built
	build.Dir = src
	build.Env = env
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	lint, err := exec.Command(filepath.Join(dir, "wrklint"), "--version").Output() //nolint:gosec // G204: git and go on this checkout, and the binaries just built
	if err != nil {
		t.Fatalf("wrklint --version: %v", err)
	}
	// wrkrun -v prints the version and then wrk's usage, exiting 1 as wrk does.
	run, _ := exec.Command(filepath.Join(dir, "wrkrun"), "-v").Output() //nolint:gosec // G204: git and go on this checkout, and the binaries just built
	lv := regexp.MustCompile(`^wrklint (\S+)\n$`).FindStringSubmatch(string(lint))
	rv := regexp.MustCompile(`^wrkrun (\S+) `).FindStringSubmatch(string(run))
	if lv == nil || rv == nil {
		t.Fatalf("unexpected output:\nwrklint: %q\nwrkrun: %q", lint, run)
	}
	if lv[1] != rv[1] {
		t.Errorf("wrklint says %s, wrkrun says %s", lv[1], rv[1])
	}
	head, err := exec.Command("git", "-C", src, "rev-parse", "--short=12", "HEAD").Output() //nolint:gosec // G204: git and go on this checkout, and the binaries just built
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(lv[1], strings.TrimSpace(string(head))) && !regexp.MustCompile(`^\d+\.\d+\.\d+$`).MatchString(lv[1]) {
		t.Errorf("version %q names neither the commit %s nor a release", lv[1], head)
	}
}
