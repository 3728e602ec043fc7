package policy

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/runner/policy/policytest"
)

func mustTargets(t *testing.T, allow, deny []string) *Targets {
	t.Helper()
	p, err := NewTargets([]Source{{"--allow-target", allow}}, []Source{{"targets.deny", deny}})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCheckIP(t *testing.T) {
	p := mustTargets(t,
		[]string{"198.51.100.0/24", "2001:db8::1", "*.staging.example.com", "[2001:db8:1::5]", "100.64.0.0/10"},
		[]string{"10.9.0.0/16", "198.51.100.66", "fd00:bad::/32", "100.64.1.0/24"})
	tests := []struct {
		ip      string
		allowed bool
		rule    string
	}{
		{"127.0.0.1", true, "loopback"},
		{"127.3.2.1", true, "loopback"},
		{"::1", true, "loopback"},
		{"10.1.2.3", true, "RFC 1918"},
		{"172.16.0.1", true, "RFC 1918"},
		{"172.32.0.1", false, "public"},
		{"192.168.9.9", true, "RFC 1918"},
		{"100.64.0.1", true, `"100.64.0.0/10"`}, // CGNAT, here also allowed explicitly
		{"100.64.1.7", false, `targets.deny "100.64.1.0/24"`},
		{"169.254.1.1", false, "link-local"},
		{"169.254.169.254", false, "default: link-local (169.254.0.0/16, cloud metadata services), allowed only explicitly"},
		{"::ffff:169.254.169.254", false, "link-local"},
		{"fe80::1", false, "link-local (fe80::/10)"},
		{"fd00:ec2::254", false, "cloud metadata service"},
		{"100.100.100.200", true, `"100.64.0.0/10"`}, // metadata, but allowed explicitly
		{"fd00::1", true, "unique-local"},
		{"fd00:bad::1", false, `targets.deny "fd00:bad::/32"`},
		{"10.9.1.1", false, `targets.deny "10.9.0.0/16"`}, // deny wins over the private default
		{"192.0.2.1", false, "public"},
		{"8.8.8.8", false, "public"},
		{"::ffff:8.8.8.8", false, "public"}, // IPv4-mapped is still IPv4
		{"::ffff:10.1.1.1", true, "RFC 1918"},
		{"198.51.100.7", true, `--allow-target "198.51.100.0/24"`},
		{"198.51.100.66", false, `targets.deny "198.51.100.66"`}, // deny inside an allowed block
		{"2001:db8::1", true, `"2001:db8::1"`},
		{"2001:db8::2", false, "public"},
		{"2001:db8:1::5", true, "2001:db8:1::5"},
		{"2606:4700::1111", false, "public"},
	}
	for _, tt := range tests {
		v := p.CheckIP(net.ParseIP(tt.ip), 80)
		if v.Allowed != tt.allowed || !strings.Contains(v.Rule, tt.rule) {
			t.Errorf("%s: allowed=%v rule %q, want %v and a rule containing %q", tt.ip, v.Allowed, v.Rule, tt.allowed, tt.rule)
		}
	}
	// The zero policy is the default.
	var def *Targets
	if !def.CheckIP(net.ParseIP("127.0.0.1"), 80).Allowed || def.CheckIP(net.ParseIP("1.1.1.1"), 80).Allowed {
		t.Error("nil Targets is not the default policy")
	}
	if v := def.CheckIP(net.ParseIP("100.127.255.255"), 80); !v.Allowed || !strings.Contains(v.Rule, "CGNAT") {
		t.Errorf("100.127.255.255: %v", v)
	}
	if def.CheckIP(net.ParseIP("100.128.0.1"), 80).Allowed {
		t.Error("100.128.0.1 is outside CGNAT")
	}
	if v := def.CheckIP(net.ParseIP("100.100.100.200"), 80); v.Allowed || !strings.Contains(v.Rule, "cloud metadata service") {
		t.Errorf("100.100.100.200 (metadata in CGNAT space): %v", v)
	}
}

func TestCheckHost(t *testing.T) {
	res := policytest.Resolver{
		"localhost":                  {"127.0.0.1", "::1"},
		"db.internal":                {"10.0.0.5"},
		"evil.internal":              {"10.0.0.6", "93.184.216.34"}, // a local name resolving to a public address
		"api.staging.example.com":    {"203.0.113.10", "203.0.113.11"},
		"API.Staging.Example.com.":   {"203.0.113.10", "203.0.113.11"},
		"x.prod.example.com":         {"10.0.0.7"},
		"www.example.com":            {"93.184.216.34", "2606:2800:220:1::1"},
		"mixed.example.com":          {"10.0.0.8", "198.51.100.9"},
		"sneaky.staging.example.com": {"203.0.113.12", "10.9.0.1"},
		"metadata.internal":          {"169.254.169.254"},
		"meta.staging.example.com":   {"169.254.169.254"},
	}
	p := mustTargets(t,
		[]string{"*.staging.example.com", "*.prod.example.com", "Exact.Example.Org."},
		[]string{"*.prod.example.com", "10.9.0.0/16"})
	tests := []struct {
		host    string
		allowed []bool
		rule    string // of the first refused address, or of the first one
	}{
		{"localhost", []bool{true, true}, "loopback"},
		{"127.0.0.1", []bool{true}, "loopback"},
		{"::1", []bool{true}, "loopback"},
		{"db.internal", []bool{true}, "RFC 1918"},
		{"evil.internal", []bool{true, false}, "*.internal is a local name, but it resolves to a public address"},
		{"api.staging.example.com", []bool{true, true}, `"*.staging.example.com"`},
		{"API.Staging.Example.com.", []bool{true, true}, `"*.staging.example.com"`},
		{"x.prod.example.com", []bool{false}, `targets.deny "*.prod.example.com"`}, // deny over allow, even for a private address
		{"www.example.com", []bool{false, false}, "public"},
		{"mixed.example.com", []bool{true, false}, "public"},
		{"sneaky.staging.example.com", []bool{true, false}, `targets.deny "10.9.0.0/16"`},
		{"8.8.8.8", []bool{false}, "public"},
		{"metadata.internal", []bool{false}, "link-local"},                    // a local name, but link-local
		{"meta.staging.example.com", []bool{true}, `"*.staging.example.com"`}, // explicitly, by name
	}
	for _, tt := range tests {
		vs, err := p.CheckHost(context.Background(), res, tt.host, 80)
		if err != nil {
			t.Errorf("%s: %v", tt.host, err)
			continue
		}
		if len(vs) != len(tt.allowed) {
			t.Errorf("%s: %d verdicts, want %d", tt.host, len(vs), len(tt.allowed))
			continue
		}
		rule := vs[0].Rule
		for i, v := range vs {
			if v.Allowed != tt.allowed[i] {
				t.Errorf("%s: address %s allowed=%v, want %v (%s)", tt.host, v.IP, v.Allowed, tt.allowed[i], v.Rule)
			}
			if !v.Allowed && rule == vs[0].Rule && vs[0].Allowed {
				rule = v.Rule
			}
		}
		if !strings.Contains(rule, tt.rule) {
			t.Errorf("%s: rule %q, want one containing %q", tt.host, rule, tt.rule)
		}
		allAllowed := true
		for _, a := range tt.allowed {
			allAllowed = allAllowed && a
		}
		if err := Refusal(vs); (err == nil) != allAllowed {
			t.Errorf("%s: Refusal = %v, want refusal %v", tt.host, err, !allAllowed)
		}
	}
	if _, err := p.CheckHost(context.Background(), res, "nowhere.example", 80); err == nil {
		t.Error("unresolvable name: no error")
	}
}

func TestRefusalMessage(t *testing.T) {
	p := mustTargets(t, nil, []string{"10.9.0.0/16"})
	res := policytest.Resolver{"www.example.com": {"93.184.216.34"}, "x.lan.internal": {"10.9.0.3"}}
	vs, _ := p.CheckHost(context.Background(), res, "www.example.com", 80)
	err := Refusal(vs)
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("Refusal = %v", err)
	}
	for _, want := range []string{"93.184.216.34 (www.example.com)", "public address", "--allow-target www.example.com", "--allow-target 93.184.216.34:80", "targets.allow"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	vs, _ = p.CheckHost(context.Background(), res, "x.lan.internal", 80)
	if msg := Refusal(vs).Error(); !strings.Contains(msg, `targets.deny "10.9.0.0/16"`) || !strings.Contains(msg, "remove the entry") {
		t.Errorf("deny message %q", msg)
	}
}

// TestCheckScript: what thread.addr and wrk.connect may use. The defaults
// play no part: other ports of the URL's host, and other local addresses,
// need an explicit entry.
func TestCheckScript(t *testing.T) {
	p := mustTargets(t,
		[]string{"10.0.0.5", "127.0.0.1:9000", "[::1]:9001", "*.example.com", "db.example.org:5432", "192.0.2.0/24:443"},
		[]string{"203.0.113.66", "10.0.0.5:22", "bad.example.com"}).
		WithApproved([]net.IP{net.ParseIP("127.0.0.1"), net.ParseIP("203.0.113.66"), net.ParseIP("::ffff:127.0.0.2")}, 8080)
	tests := []struct {
		ip      string
		port    int
		name    string // the name the address was looked up by
		allowed bool
		rule    string
	}{
		{"127.0.0.1", 8080, "", true, "the URL's host and port"},
		{"127.0.0.2", 8080, "", true, "the URL's host and port"}, // IPv4-mapped spelling approved
		{"127.0.0.1", 1, "", false, "not the URL's host and port (127.0.0.1:8080)"},
		{"127.0.0.1", 22, "", false, "not the URL's host and port"},
		{"127.0.0.1", 9000, "", true, `--allow-target "127.0.0.1:9000"`},
		{"127.0.0.3", 8080, "", false, "not the URL's host"}, // loopback, but not the URL's
		{"::1", 9001, "", true, `"[::1]:9001"`},
		{"::1", 8080, "", false, "not the URL's host"},
		{"10.1.2.3", 80, "", false, "not the URL's host"}, // private, not allowed by default any more
		{"10.0.0.5", 80, "", true, `--allow-target "10.0.0.5"`},
		{"10.0.0.5", 22, "", false, `targets.deny "10.0.0.5:22"`},
		{"203.0.113.66", 8080, "", false, `targets.deny "203.0.113.66"`}, // deny wins over the URL's own
		{"169.254.169.254", 80, "", false, "not the URL's host"},
		{"198.51.100.1", 443, "api.example.com", true, `--allow-target "*.example.com"`},
		{"198.51.100.1", 443, "", false, "not the URL's host"}, // the same address not from a lookup
		{"198.51.100.2", 5432, "db.example.org", true, `"db.example.org:5432"`},
		{"198.51.100.2", 5433, "db.example.org", false, "not the URL's host"},
		{"198.51.100.3", 80, "bad.example.com", false, `targets.deny "bad.example.com"`},
		{"192.0.2.9", 443, "", true, `"192.0.2.0/24:443"`},
		{"192.0.2.9", 80, "", false, "not the URL's host"},
	}
	for _, tt := range tests {
		v := p.CheckScript(net.ParseIP(tt.ip), tt.port, tt.name)
		if v.Allowed != tt.allowed || !strings.Contains(v.Rule, tt.rule) {
			t.Errorf("%s port %d via %q: allowed=%v rule %q, want %v and a rule containing %q", tt.ip, tt.port, tt.name, v.Allowed, v.Rule, tt.allowed, tt.rule)
		}
	}
	// Without an approved URL (nil, or the policy the CLI checked the URL
	// with) a script may use only what is allowed explicitly.
	var def *Targets
	if v := def.CheckScript(net.ParseIP("127.0.0.1"), 8080, ""); v.Allowed {
		t.Errorf("nil Targets allows %v", v)
	}
	if v := p.CheckScript(net.ParseIP("127.0.0.1"), 1, ""); v.Allow() != "127.0.0.1:1" {
		t.Errorf("Allow() = %q", v.Allow())
	}
}

// TestCheckLookup: wrk.lookup may resolve the URL's host and what is
// allowed explicitly, nothing else.
func TestCheckLookup(t *testing.T) {
	p := mustTargets(t, []string{"*.example.com", "10.0.0.5", "db.example.org:5432"}, []string{"bad.example.com", "10.0.0.0/8"}).
		WithApproved([]net.IP{net.ParseIP("192.168.1.10")}, 80)
	tests := []struct {
		host, url string
		allowed   bool
		rule      string
	}{
		{"localhost", "localhost", true, "the URL's host"},
		{"LocalHost.", "localhost", true, "the URL's host"},
		{"127.0.0.1", "127.0.0.1", true, "the URL's host"},
		{"::1", "::1", true, "the URL's host"},
		{"192.168.1.10", "web.lan", true, "an address of the URL's host"},
		{"10.1.2.3", "127.0.0.1", false, `targets.deny "10.0.0.0/8"`},
		{"10.0.0.5", "127.0.0.1", false, `targets.deny "10.0.0.0/8"`}, // deny wins
		{"evil.example.net", "127.0.0.1", false, "only the URL's host (127.0.0.1) may be looked up"},
		{"x.exfil.attacker.test", "localhost", false, "only the URL's host"},
		{"169.254.169.254", "127.0.0.1", false, "only the URL's host"},
		{"api.example.com", "127.0.0.1", true, `"*.example.com"`},
		{"bad.example.com", "127.0.0.1", false, `targets.deny "bad.example.com"`},
		{"db.example.org", "127.0.0.1", true, `"db.example.org:5432"`}, // the port is checked on use
	}
	for _, tt := range tests {
		v := p.CheckLookup(tt.host, tt.url)
		if v.Allowed != tt.allowed || !strings.Contains(v.Rule, tt.rule) {
			t.Errorf("lookup %q (URL host %q): allowed=%v rule %q, want %v and %q", tt.host, tt.url, v.Allowed, v.Rule, tt.allowed, tt.rule)
		}
	}
}

func TestRulePorts(t *testing.T) {
	p := mustTargets(t, []string{"app.example.com:8443", "203.0.113.0/24:443", "[2001:db8::/32]:443"}, nil)
	res := policytest.Resolver{"app.example.com": {"198.51.100.20"}}
	for _, tt := range []struct {
		host    string
		port    int
		allowed bool
	}{
		{"app.example.com", 8443, true},
		{"app.example.com", 443, false},
		{"203.0.113.7", 443, true},
		{"203.0.113.7", 80, false},
		{"2001:db8::7", 443, true},
		{"2001:db8::7", 8443, false},
	} {
		vs, err := p.CheckHost(context.Background(), res, tt.host, tt.port)
		if err != nil || len(vs) != 1 || vs[0].Allowed != tt.allowed {
			t.Errorf("%s port %d: %v %v, want allowed=%v", tt.host, tt.port, vs, err, tt.allowed)
		}
	}
	if p.WithApproved(nil, 80).CheckIP(net.ParseIP("127.0.0.1"), 80).Allowed != true {
		t.Error("WithApproved changed the URL's defaults")
	}
}

func TestNewTargetsErrors(t *testing.T) {
	for _, bad := range []string{"", "*", "a*.example.com", "example.com/path", "10.0.0.0/33", "*.", "http://x",
		"example.com:0", "example.com:65536", "example.com:http", "example.com:", "[::1", "[::1]8080", "[::1]:x", "10.0.0.1:+80"} {
		if _, err := NewTargets([]Source{{"targets.allow", []string{bad}}}, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
