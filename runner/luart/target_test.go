package luart

import (
	"net"
	"testing"
)

func TestTargetPolicy(t *testing.T) {
	target := &net.TCPAddr{IP: net.ParseIP("203.0.113.5"), Port: 80}
	allow := TargetPolicy([]string{"198.51.100.0/24", "2001:db8::1", "*.staging.example.com"}, []string{"10.9.0.0/16", "198.51.100.66"}, target)
	tests := map[string]bool{
		"127.0.0.1":      true,  // loopback
		"10.1.2.3":       true,  // private
		"10.9.1.1":       false, // denied block wins over the private default
		"fd00::1":        true,  // unique-local
		"fe80::1":        true,  // link-local
		"192.0.2.1":      false, // public, not allowed
		"198.51.100.7":   true,  // allowed block
		"198.51.100.66":  false, // denied inside the allowed block
		"2001:db8::1":    true,  // allowed address
		"2001:db8::2":    false,
		"203.0.113.5":    true, // the target itself
		"::ffff:8.8.8.8": false,
	}
	for ip, want := range tests {
		if got := allow(net.ParseIP(ip)); got != want {
			t.Errorf("%s: %v, want %v", ip, got, want)
		}
	}
}
