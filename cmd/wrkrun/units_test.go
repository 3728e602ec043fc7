package main

import "testing"

func TestParseSize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]uint64{"1024": 1024, "512M": 512 << 20, "512MiB": 512 << 20, "2g": 2 << 30, "64KB": 64 << 10} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "0", "x", "1.5G", "-1M", "9999999999G"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) accepted", in)
		}
	}
}
