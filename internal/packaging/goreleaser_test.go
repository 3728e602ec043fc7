package packaging

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestGoReleaser checks the release configuration: both tools for Linux,
// macOS and Windows on amd64 and arm64, static, in archives with a
// checksum file, and dist/ ignored by git (else the release build's tree
// is dirty and the version says +dirty). "goreleaser check" validates the
// file fully when goreleaser is installed.
func TestGoReleaser(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(root, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int `yaml:"version"`
		Builds  []struct {
			ID     string   `yaml:"id"`
			Main   string   `yaml:"main"`
			Binary string   `yaml:"binary"`
			Env    []string `yaml:"env"`
			Goos   []string `yaml:"goos"`
			Goarch []string `yaml:"goarch"`
		} `yaml:"builds"`
		Archives []struct {
			IDs []string `yaml:"ids"`
		} `yaml:"archives"`
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string `yaml:"algorithm"`
		} `yaml:"checksum"`
	}
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 {
		t.Errorf("version %d, want 2 (GoReleaser v2)", cfg.Version)
	}
	built := map[string]bool{}
	for _, b := range cfg.Builds {
		built[b.Main] = true
		if "./cmd/"+b.Binary != b.Main || b.ID != b.Binary {
			t.Errorf("build %q: main %s, binary %s", b.ID, b.Main, b.Binary)
		}
		if !slices.Contains(b.Env, "CGO_ENABLED=0") {
			t.Errorf("build %s is not static (CGO_ENABLED=0)", b.ID)
		}
		for _, want := range []string{"linux", "darwin", "windows"} {
			if !slices.Contains(b.Goos, want) {
				t.Errorf("build %s lacks %s", b.ID, want)
			}
		}
		for _, want := range []string{"amd64", "arm64"} {
			if !slices.Contains(b.Goarch, want) {
				t.Errorf("build %s lacks %s", b.ID, want)
			}
		}
	}
	if !built["./cmd/wrklint"] || !built["./cmd/wrkrun"] {
		t.Errorf("builds %v, want ./cmd/wrklint and ./cmd/wrkrun", built)
	}
	if len(cfg.Archives) == 0 || !slices.Contains(cfg.Archives[0].IDs, "wrklint") || !slices.Contains(cfg.Archives[0].IDs, "wrkrun") {
		t.Errorf("archives %+v do not hold both tools", cfg.Archives)
	}
	if cfg.Checksum.NameTemplate == "" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v", cfg.Checksum)
	}
	ignore, err := os.ReadFile(filepath.Join(root, ".gitignore"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(strings.Split(string(ignore), "\n"), "/dist/") {
		t.Error(".gitignore lacks /dist/, GoReleaser's output")
	}

	goreleaser, err := exec.LookPath("goreleaser")
	if err != nil {
		t.Log("goreleaser not installed: skipping goreleaser check")
		return
	}
	cmd := exec.Command(goreleaser, "check") //nolint:gosec // G204: goreleaser from PATH on this repository
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("goreleaser check: %v\n%s", err, out)
	}
}
