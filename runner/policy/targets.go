// Package policy is wrkrun's guard against load sent where it should not go
// (docs/architecture.md, "Target policy"): which hosts and addresses may be targeted,
// and the load limits above which a run needs confirmation. The CLI checks
// the URL's host with it; the Lua runtime checks thread.addr and
// wrk.connect with the same Targets value.
package policy

import (
	"context"
	"fmt"
	"net"
	"strings"
)

// Resolver looks host names up; *net.Resolver is one, tests inject fakes so
// that no test depends on, or talks to, a real name server.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// rule is one allow or deny entry: an address block, an exact host name or
// a *.domain suffix.
type rule struct {
	text   string     // as written, for messages
	source string     // "--allow-target", "targets.allow" or "targets.deny"
	block  *net.IPNet // address or CIDR entry
	name   string     // exact host name entry, lower case
	suffix string     // "*.example.com" entry as ".example.com"
}

func (r rule) String() string { return fmt.Sprintf("%s %q", r.source, r.text) }

func (r rule) matchesIP(ip net.IP) bool { return r.block != nil && r.block.Contains(ip) }

func (r rule) matchesName(host string) bool {
	host = canonicalName(host)
	switch {
	case r.name != "":
		return host == r.name
	case r.suffix != "":
		return strings.HasSuffix(host, r.suffix)
	}
	return false
}

func canonicalName(host string) string { return strings.TrimSuffix(strings.ToLower(host), ".") }

func parseRule(entry, source string) (rule, error) {
	e := strings.TrimSpace(entry)
	r := rule{text: e, source: source}
	if _, n, err := net.ParseCIDR(e); err == nil {
		r.block = n
		return r, nil
	}
	if ip := parseIP(e); ip != nil {
		bits := 8 * len(ip)
		r.block = &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)}
		return r, nil
	}
	name := canonicalName(e)
	if strings.HasPrefix(name, "*.") {
		name = name[1:]
		r.suffix = name
	} else {
		r.name = name
	}
	if name == "" || name == "." || strings.ContainsAny(name, "*/ :[]") {
		return rule{}, fmt.Errorf("%s %q: want a host name, *.domain, an IP address or a CIDR block", source, entry)
	}
	return r, nil
}

// parseIP reads an IP literal (IPv6 optionally bracketed); IPv4 and
// IPv4-mapped IPv6 addresses come back in their 4-byte form so that one
// rule matches both spellings.
func parseIP(s string) net.IP {
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(s, "["), "]"))
	if ip == nil {
		return nil
	}
	if v4 := ip.To4(); v4 != nil {
		return v4
	}
	return ip
}

func normalize(ip net.IP) net.IP {
	if v4 := ip.To4(); v4 != nil {
		return v4
	}
	return ip
}

// Source names where a list of entries comes from, for messages.
type Source struct {
	Name    string   // "--allow-target", "targets.allow", "targets.deny"
	Entries []string // host names, *.domain, IP addresses, CIDR blocks
}

// Targets is the target policy. The zero value is the default policy:
// only local addresses. It is immutable, so threads share it freely.
type Targets struct {
	allow, deny []rule
	approved    []net.IP // addresses of a URL host allowed by name
}

// NewTargets builds the policy from allow lists (--allow-target,
// targets.allow) and deny lists (targets.deny); a malformed entry is an
// error.
func NewTargets(allow, deny []Source) (*Targets, error) {
	t := &Targets{}
	for _, lists := range []struct {
		src []Source
		dst *[]rule
	}{{allow, &t.allow}, {deny, &t.deny}} {
		for _, s := range lists.src {
			for _, e := range s.Entries {
				r, err := parseRule(e, s.Name)
				if err != nil {
					return nil, err
				}
				*lists.dst = append(*lists.dst, r)
			}
		}
	}
	return t, nil
}

// WithApproved returns a copy of t that also allows ips: the addresses the
// URL's host resolved to once it passed CheckHost, so that a script may
// pick any of them through wrk.lookup(wrk.host) and thread.addr.
func (t *Targets) WithApproved(ips []net.IP) *Targets {
	cp := Targets{}
	if t != nil {
		cp = *t
	}
	cp.approved = append([]net.IP(nil), cp.approved...)
	for _, ip := range ips {
		cp.approved = append(cp.approved, normalize(ip))
	}
	return &cp
}

// Verdict is the policy's answer for one address.
type Verdict struct {
	Host    string // the name the address came from; "" for a bare address
	IP      net.IP
	Zone    string // IPv6 zone of a resolved link-local address
	Allowed bool
	Denied  bool   // refused by a deny entry, which no allow entry overrides
	Rule    string // the rule that decided, e.g. `targets.deny "10.9.0.0/16"`, "default: loopback"
}

func (v Verdict) String() string {
	word := "refused"
	if v.Allowed {
		word = "allowed"
	}
	return fmt.Sprintf("%s %s (%s)", word, v.IP, v.Rule)
}

// CheckIP decides one address: a deny entry refuses it, then an allow
// entry, an approved address or a default local range allows it.
func (t *Targets) CheckIP(ip net.IP) Verdict {
	ip = normalize(ip)
	v := Verdict{IP: ip}
	if t == nil {
		t = &Targets{}
	}
	for _, r := range t.deny {
		if r.matchesIP(ip) {
			v.Denied, v.Rule = true, r.String()
			return v
		}
	}
	for _, r := range t.allow {
		if r.matchesIP(ip) {
			v.Allowed, v.Rule = true, r.String()
			return v
		}
	}
	for _, a := range t.approved {
		if a.Equal(ip) {
			v.Allowed, v.Rule = true, "the URL's host, allowed by name"
			return v
		}
	}
	if kind := localKind(ip); kind != "" {
		v.Allowed, v.Rule = true, "default: "+kind
		return v
	}
	v.Rule = "default: public address (only local addresses are allowed by default)"
	return v
}

// CheckHost resolves host (an IP literal is not looked up) and decides
// every address it resolves to: a deny entry for
// the name or an address refuses it; an allow entry for the name allows
// the addresses no deny entry covers; otherwise each address must pass
// CheckIP on its own, so a name that resolves to a public address is
// public, whatever its name (*.internal included). The run may go ahead
// only when every verdict allows.
func (t *Targets) CheckHost(ctx context.Context, r Resolver, host string) ([]Verdict, error) {
	if t == nil {
		t = &Targets{}
	}
	if ip := parseIP(host); ip != nil {
		v := t.CheckIP(ip)
		return []Verdict{v}, nil
	}
	addrs, err := r.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", host, err)
	}
	var nameDeny, nameAllow *rule
	for i := range t.deny {
		if t.deny[i].matchesName(host) {
			nameDeny = &t.deny[i]
			break
		}
	}
	for i := range t.allow {
		if t.allow[i].matchesName(host) {
			nameAllow = &t.allow[i]
			break
		}
	}
	out := make([]Verdict, 0, len(addrs))
	for _, a := range addrs {
		v := t.CheckIP(a.IP)
		v.Host, v.Zone = host, a.Zone
		switch {
		case nameDeny != nil:
			v.Allowed, v.Denied, v.Rule = false, true, nameDeny.String()
		case v.Allowed || v.Denied:
		case nameAllow != nil:
			v.Allowed, v.Rule = true, nameAllow.String()
		case localName(host) != "":
			v.Rule = fmt.Sprintf("default: %s is a local name, but it resolves to a public address", localName(host))
		}
		out = append(out, v)
	}
	return out, nil
}

// Refusal turns the refused verdicts into the error the CLI prints (exit
// 4): which rule refused which address, and how to allow it. Nil when all
// are allowed.
func Refusal(vs []Verdict) error {
	var lines []string
	for _, v := range vs {
		if v.Allowed {
			continue
		}
		what := v.IP.String()
		if v.Host != "" {
			what = fmt.Sprintf("%s (%s)", v.IP, v.Host)
		}
		var how string
		if v.Denied {
			how = "remove the entry from targets.deny in .wrklint.yml to allow it (deny always wins)"
		} else {
			opts := []string{"--allow-target " + v.IP.String()}
			if v.Host != "" {
				opts = append([]string{"--allow-target " + v.Host}, opts...)
			}
			how = "allow it with " + strings.Join(opts, " or ") + " (or targets.allow in .wrklint.yml)"
		}
		lines = append(lines, fmt.Sprintf("target %s refused by %s; %s", what, v.Rule, how))
	}
	if len(lines) == 0 {
		return nil
	}
	return &RefusedError{Lines: lines}
}

// RefusedError is a target policy refusal; the CLI exits 4 on it.
type RefusedError struct{ Lines []string }

func (e *RefusedError) Error() string { return strings.Join(e.Lines, "\n") }

// localKind names the default range ip falls in, "" for a public address.
func localKind(ip net.IP) string {
	switch {
	case ip.IsLoopback():
		return "loopback"
	case ip.IsUnspecified():
		return "unspecified address (this host)"
	case ip.IsPrivate():
		if ip.To4() != nil {
			return "private (RFC 1918)"
		}
		return "unique-local (fc00::/7)"
	case isCGNAT(ip):
		return "CGNAT (100.64.0.0/10)"
	case ip.IsLinkLocalUnicast():
		return "link-local"
	}
	return ""
}

// isCGNAT reports RFC 6598 shared address space (100.64.0.0/10), for
// which net.IP has no predicate.
func isCGNAT(ip net.IP) bool {
	v4 := ip.To4()
	return v4 != nil && v4[0] == 100 && v4[1]&0xc0 == 64
}

// localName returns the default name pattern host matches, "" if none.
func localName(host string) string {
	h := canonicalName(host)
	if h == "localhost" {
		return "localhost"
	}
	for _, s := range []string{".localhost", ".local", ".internal", ".test"} {
		if strings.HasSuffix(h, s) {
			return "*" + s
		}
	}
	return ""
}
