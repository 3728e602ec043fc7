// Package confine lets wrkrun take away its own rights once the script is
// loaded and its files are open: on Linux with Landlock, the process may
// then read only below the allowed read paths, the script's directory and
// what name resolution needs, write only below the allowed write
// directories and to its output files, and execute no program at all.
//
// Landlock applies to every thread of the process and cannot be undone, so
// Apply is called once, late, by the CLI; tests run it in a child process.
// Where the kernel has no Landlock, Apply changes nothing and says why.
package confine

// Policy is what the confined process may still touch. Paths may be
// relative (to the working directory); a path that does not exist is
// skipped.
type Policy struct {
	// Read are files or directories readable below: the script's
	// directory, the static part of every allow.read pattern.
	Read []string
	// Write are directories writable below (allow.write): files may be
	// created, written and truncated there, and read.
	Write []string
	// WriteFiles are files wrkrun writes after confining itself (--json,
	// --audit), usually already open.
	WriteFiles []string
	// Verify keeps the system's certificate locations readable, for TLS
	// verification (the pool is also loaded before confining).
	Verify bool
}

// Status says what Apply did.
type Status struct {
	// ABI is the kernel's Landlock ABI version; 0 when it has none.
	ABI int
	// Enforced is true when the restrictions are in force.
	Enforced bool
	// Reason explains, when not Enforced, why.
	Reason string
}

// systemReadFiles are files the Go runtime and the resolver read after
// start-up: name resolution (wrk.lookup in a hook), service names
// (LookupPort), the local time zone.
var systemReadFiles = []string{
	"/etc/hosts", "/etc/resolv.conf", "/etc/nsswitch.conf", "/etc/host.conf", "/etc/gai.conf",
	"/etc/services", "/etc/protocols", "/etc/localtime",
}

// systemWriteFiles may be opened for writing: /dev/null, which libraries
// open for streams they discard.
var systemWriteFiles = []string{"/dev/null"}

// systemReadDirs are directories read below for the same reasons: time
// zone data; shared libraries glibc's resolver loads when Go hands name
// resolution to it (cgo builds); the runtime's view of its CPU limits.
var systemReadDirs = []string{
	"/usr/share/zoneinfo", "/lib", "/lib64", "/usr/lib", "/usr/lib64",
	"/proc/self", "/sys/fs/cgroup", "/sys/devices/system/cpu",
}

// certDirs are where Go looks for the system's certificates (crypto/x509's
// root_linux.go lists them).
var certDirs = []string{
	"/etc/ssl", "/etc/pki", "/etc/ca-certificates", "/usr/share/ca-certificates",
	"/usr/local/share/certs", "/system/etc/security/cacerts",
}
