// Package version is the one version string wrklint and wrkrun print,
// read from what the Go toolchain stamped into the binary.
package version

import (
	"runtime/debug"
	"strings"
)

// Devel is the version of a build that carries neither a module version
// nor VCS information (go build -buildvcs=false, a source tarball).
const Devel = "0.0.0-devel"

// String is the running binary's version; see FromBuildInfo.
func String() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Devel
	}
	return FromBuildInfo(info)
}

// FromBuildInfo derives the version from a binary's build information:
//
//   - the module version without its "v" when the toolchain recorded one:
//     "1.2.3" for go install ...@v1.2.3, a pseudo-version for a commit, and
//     (Go 1.24 and later) the version derived from the checkout's tag or
//     commit for go build in a clone, "+dirty" when it had local changes;
//   - else "0.0.0-devel+" and the VCS revision (12 hex digits), ".dirty"
//     appended for a modified tree;
//   - else Devel.
//
// It always starts with a number (no "v", never "(devel)") because SARIF
// consumers compare tool versions as semantic versions.
func FromBuildInfo(info *debug.BuildInfo) string {
	if info == nil {
		return Devel
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return strings.TrimPrefix(v, "v")
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return Devel
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := Devel + "+" + rev
	if dirty {
		v += ".dirty"
	}
	return v
}
