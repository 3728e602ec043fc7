//go:build !linux

package confine

// ABI is 0: Landlock is Linux's.
func ABI() int { return 0 }

// Apply changes nothing outside Linux and says so.
func Apply(Policy) (Status, error) {
	return Status{Reason: "Landlock confinement exists only on Linux"}, nil
}
