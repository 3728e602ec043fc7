package config

import "testing"

// TestMatchPath is the one table for the path dialect of exclude,
// allow.read and allow.write.
func TestMatchPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"data/**/*.txt", "data/a/b/c.txt", true},
		{"data/**/*.txt", "data/c.txt", true},
		{"data/**/*.txt", "./data/a/c.txt", true},
		{"data/**/*.txt", "data/a/c.csv", false},
		{"data/**/*.txt", "other/data/c.txt", false},
		{"data/*.txt", "data/urls.txt", true},
		{"data/*.txt", "data/sub/urls.txt", false},
		{"./data/*.txt", "data/urls.txt", true},
		{"data/?.txt", "data/a.txt", true},
		{"data/?.txt", "data/ab.txt", false},
		{"data/[ab].txt", "data/b.txt", true},
		{"data/[!ab].txt", "data/b.txt", false},
		{"data/{a,b}.txt", "data/a.txt", true},
		{"reports/", "reports/x.csv", true},
		{"./", "out.csv", true}, // the working directory, as the sandbox's hints write it
		{"./", "a/b/out.csv", true},
		{"./", "../out.csv", false},
		{"./", "/etc/passwd", false},
		{"./reports/", "reports/x.csv", true},
		{"reports/", "reports/a/b/x.csv", true},
		{"reports/", "reportsx/y", false},
		{"reports/", "reports/../etc/passwd", false}, // cleaned to etc/passwd
		{"**", "a/b/c", true},
		{"**", "../secret", false}, // climbing out needs a pattern that does
		{"../shared/*.txt", "../shared/a.txt", true},
		{"**", "/etc/passwd", false}, // absolute paths need absolute patterns
		{"/tmp/run/**", "/tmp/run/a/b", true},
		{"/tmp/run/", "/tmp/run/x", true},
		{"/tmp/run/**", "tmp/run/x", false},
		{"vendor/**", "vendor", true},
		{"**/vendor/**", "a/b/vendor/x/y.lua", true},
		{"data/*.txt", "data\\a.txt", true},  // Windows separators in the path
		{"data/\\*.txt", "data/*.txt", true}, // \ escapes in patterns
		{"data/\\*.txt", "data/a.txt", false},
		{"data/[", "data/[", false}, // a bad pattern matches nothing
		{"urls.txt", "urls.txt", true},
		{"urls.txt", "x/urls.txt", false},
	}
	for _, tt := range tests {
		if got := MatchPath(tt.pattern, tt.path); got != tt.want {
			t.Errorf("MatchPath(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
	for _, bad := range []string{"data/[", "a/{b"} {
		if ValidPathPattern(bad) == nil {
			t.Errorf("ValidPathPattern(%q) accepted", bad)
		}
	}
}
