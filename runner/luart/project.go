package luart

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wrklint/wrklint/analyzer"
)

// LoadProject returns the configuration wrklint would use: the file named
// explicitly, else the first .wrklint.yml in dir or above, else defaults.
func LoadProject(explicit, dir string) (*analyzer.ProjectConfig, error) {
	path := explicit
	if path == "" {
		found, err := analyzer.FindConfig(dir)
		if err != nil {
			return nil, err
		}
		if found == "" {
			return &analyzer.ProjectConfig{}, nil
		}
		path = found
	}
	return analyzer.LoadConfig(path) // *analyzer.ConfigError names the file and line
}

// ParseSize reads a memory size for --script-memory: bytes, or a number
// with K, M, G (binary multiples; an optional "iB" or "B" suffix).
func ParseSize(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	u := strings.ToUpper(t)
	u = strings.TrimSuffix(strings.TrimSuffix(u, "IB"), "B")
	mult := uint64(1)
	if n := len(u); n > 0 {
		switch u[n-1] {
		case 'K':
			mult, u = 1<<10, u[:n-1]
		case 'M':
			mult, u = 1<<20, u[:n-1]
		case 'G':
			mult, u = 1<<30, u[:n-1]
		}
	}
	n, err := strconv.ParseUint(u, 10, 64)
	if err != nil || n == 0 || n > (1<<63)/mult {
		return 0, fmt.Errorf("invalid size %q (want e.g. 512M, 2G)", s)
	}
	return n * mult, nil
}
