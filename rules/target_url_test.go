package rules

import "testing"

func TestLoopbackHost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		hostport string
		want     bool
	}{
		{"localhost", true},
		{"localhost:8080", true},
		{"api.localhost:80", true},
		{"127.0.0.1:9000", true},
		{"127.8.9.10", true},
		{"[::1]:8080", true},
		{"0.0.0.0:80", true},
		{"user:pw@127.0.0.1:81", true},
		{"169.254.169.254", false},
		{"10.0.0.7", false},
		{"localhost.evil.example", false},
		{"127.0.0.1.nip.io", false},
		{"[fd00:ec2::254]", false},
		{"user@evil.example:80", false},
	} {
		if got := loopbackHost(tc.hostport); got != tc.want {
			t.Errorf("loopbackHost(%q) = %v, want %v", tc.hostport, got, tc.want)
		}
	}
}
