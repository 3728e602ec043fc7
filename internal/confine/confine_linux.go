//go:build linux

package confine

import (
	"crypto/x509"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/landlock-lsm/go-landlock/landlock"
	ll "github.com/landlock-lsm/go-landlock/landlock/syscall"
)

// Access rights granted; execute is in none of them, so no program can be
// started (execve fails with EACCES), even one in a readable directory.
const (
	readFile = landlock.AccessFSSet(ll.AccessFSReadFile)
	readDir  = landlock.AccessFSSet(ll.AccessFSReadFile | ll.AccessFSReadDir)
	writeDir = landlock.AccessFSSet(ll.AccessFSReadFile | ll.AccessFSReadDir | ll.AccessFSWriteFile |
		ll.AccessFSTruncate | ll.AccessFSMakeReg | ll.AccessFSMakeDir)
	writeFile = landlock.AccessFSSet(ll.AccessFSReadFile | ll.AccessFSWriteFile | ll.AccessFSTruncate)
)

// ABI returns the kernel's Landlock ABI version, 0 when it has none (not
// built in, or not enabled at boot: the lsm= list lacks landlock).
func ABI() int {
	v, err := ll.LandlockGetABIVersion()
	if err != nil {
		return 0
	}
	return v
}

// Apply confines the process as p says, with the strongest Landlock ABI
// the kernel offers (best effort: older kernels restrict fewer kinds of
// access). Without Landlock it returns a Status saying so and a nil error;
// an error means Landlock exists but could not be applied.
func Apply(p Policy) (Status, error) {
	st := Status{ABI: ABI()}
	if st.ABI == 0 {
		st.Reason = "the kernel has no Landlock (not built in, or not in the lsm= boot parameter)"
		return st, nil
	}
	preload(p.Verify)
	rules := []landlock.Rule{
		landlock.PathAccess(readFile, existing(systemReadFiles)...),
		landlock.PathAccess(readDir, existing(systemReadDirs)...),
		landlock.PathAccess(readDir, existing(p.Read)...),
		landlock.PathAccess(writeDir, existing(p.Write)...),
		landlock.PathAccess(writeFile, existing(p.WriteFiles)...),
		landlock.PathAccess(writeFile, existing(systemWriteFiles)...),
	}
	if p.Verify {
		rules = append(rules, landlock.PathAccess(readDir, existing(certDirs)...))
	}
	if err := landlock.V10.BestEffort().RestrictPaths(rules...); err != nil {
		return st, fmt.Errorf("landlock: %w", err)
	}
	st.Enforced = true
	return st, nil
}

// preload makes the runtime read, before it no longer may, what it would
// otherwise read lazily: the local time zone (os.date in a hook) and, for
// --verify, the system certificate pool.
func preload(verify bool) {
	_, _ = time.Now().Local().Zone() // loads time.Local
	if verify {
		_, _ = x509.SystemCertPool()
	}
}

// existing returns the absolute forms of the paths that exist; Landlock
// rules need an open file descriptor of each.
func existing(paths []string) []string {
	var out []string
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		if _, err := os.Stat(abs); err == nil {
			out = append(out, abs)
		}
	}
	return out
}
