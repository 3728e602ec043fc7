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
		{"169.254.1.1", true, "link-local"},
		{"fe80::1", true, "link-local"},
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
		v := p.CheckIP(net.ParseIP(tt.ip))
		if v.Allowed != tt.allowed || !strings.Contains(v.Rule, tt.rule) {
			t.Errorf("%s: allowed=%v rule %q, want %v and a rule containing %q", tt.ip, v.Allowed, v.Rule, tt.allowed, tt.rule)
		}
	}
	// The zero policy is the default.
	var def *Targets
	if !def.CheckIP(net.ParseIP("127.0.0.1")).Allowed || def.CheckIP(net.ParseIP("1.1.1.1")).Allowed {
		t.Error("nil Targets is not the default policy")
	}
	if v := def.CheckIP(net.ParseIP("100.127.255.255")); !v.Allowed || !strings.Contains(v.Rule, "CGNAT") {
		t.Errorf("100.127.255.255: %v", v)
	}
	if def.CheckIP(net.ParseIP("100.128.0.1")).Allowed {
		t.Error("100.128.0.1 is outside CGNAT")
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
	}
	for _, tt := range tests {
		vs, err := p.CheckHost(context.Background(), res, tt.host)
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
	if _, err := p.CheckHost(context.Background(), res, "nowhere.example"); err == nil {
		t.Error("unresolvable name: no error")
	}
}

func TestRefusalMessage(t *testing.T) {
	p := mustTargets(t, nil, []string{"10.9.0.0/16"})
	res := policytest.Resolver{"www.example.com": {"93.184.216.34"}, "x.lan.internal": {"10.9.0.3"}}
	vs, _ := p.CheckHost(context.Background(), res, "www.example.com")
	err := Refusal(vs)
	var re *RefusedError
	if !errors.As(err, &re) {
		t.Fatalf("Refusal = %v", err)
	}
	for _, want := range []string{"93.184.216.34 (www.example.com)", "public address", "--allow-target www.example.com", "--allow-target 93.184.216.34", "targets.allow"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	vs, _ = p.CheckHost(context.Background(), res, "x.lan.internal")
	if msg := Refusal(vs).Error(); !strings.Contains(msg, `targets.deny "10.9.0.0/16"`) || !strings.Contains(msg, "remove the entry") {
		t.Errorf("deny message %q", msg)
	}
}

func TestApproved(t *testing.T) {
	p := mustTargets(t, []string{"*.example.com"}, []string{"203.0.113.66"})
	res := policytest.Resolver{"www.example.com": {"203.0.113.10", "203.0.113.11"}}
	vs, err := p.CheckHost(context.Background(), res, "www.example.com")
	if err != nil || Refusal(vs) != nil {
		t.Fatalf("%v %v", vs, err)
	}
	var ips []net.IP
	for _, v := range vs {
		ips = append(ips, v.IP)
	}
	a := p.WithApproved(append(ips, net.ParseIP("203.0.113.66")))
	if !a.CheckIP(net.ParseIP("203.0.113.11")).Allowed {
		t.Error("approved address of the URL host refused")
	}
	if a.CheckIP(net.ParseIP("203.0.113.66")).Allowed {
		t.Error("deny lost to an approved address")
	}
	if p.CheckIP(net.ParseIP("203.0.113.11")).Allowed {
		t.Error("WithApproved changed the original")
	}
}

func TestNewTargetsErrors(t *testing.T) {
	for _, bad := range []string{"", "*", "a*.example.com", "example.com/path", "10.0.0.0/33", "*.", "http://x"} {
		if _, err := NewTargets([]Source{{"targets.allow", []string{bad}}}, nil); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
