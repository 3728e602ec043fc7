package testutil

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
)

// GoBuild builds the main package pkg (an import path of this module, e.g.
// github.com/wrklint/wrklint/cmd/wrkrun) and returns the executable's path.
//
// The executable goes to a fixed place in the user's cache directory,
// one per checkout (keyed by the module's directory), rather than to a
// fresh temporary directory: the go command leaves an up-to-date
// executable in place instead of linking it again, so a test that needs
// the real binary costs a link only when the code changed, not on every
// run of the suite. Concurrent builds of the same executable are safe: the
// go command moves the new file into place with a rename.
func GoBuild(pkg string) (string, error) {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	modDir := filepath.Dir(strings.TrimSpace(string(gomod)))
	if modDir == "." || modDir == "" {
		return "", fmt.Errorf("building %s: not inside a module", pkg)
	}
	base, err := os.UserCacheDir()
	if err != nil {
		base = os.TempDir()
	}
	sum := sha256.Sum256([]byte(modDir))
	dir := filepath.Join(base, "wrklint-test-bin", hex.EncodeToString(sum[:8]))
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("building %s: %w", pkg, err)
	}
	bin := filepath.Join(dir, path.Base(pkg))
	cmd := exec.Command("go", "build", "-o", bin, pkg) //nolint:gosec // G204: the go command building this module's own package
	cmd.Dir = modDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build %s: %w\n%s", pkg, err, out)
	}
	return bin, nil
}
