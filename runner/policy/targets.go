// Package policy is wrkrun's guard against load sent where it should not go
// (docs/configuration.md, "targets"): which hosts, addresses and ports may
// be targeted (the load limits are config.Limits). The CLI checks the URL's host with it (CheckHost); the Lua runtime checks
// wrk.lookup (CheckLookup), thread.addr and wrk.connect (CheckScript) with
// the same Targets value.
package policy

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
)

// Resolver looks host names up; *net.Resolver is one, tests inject fakes so
// that no test depends on, or talks to, a real name server.
type Resolver interface {
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// rule is one allow or deny entry: an address block, an exact host name or
// a *.domain suffix, optionally with a port.
type rule struct {
	text   string     // as written, for messages
	source string     // "--allow-target", "targets.allow" or "targets.deny"
	block  *net.IPNet // address or CIDR entry
	name   string     // exact host name entry, lower case
	suffix string     // "*.example.com" entry as ".example.com"
	port   int        // 0: every port
}

func (r rule) String() string { return fmt.Sprintf("%s %q", r.source, r.text) }

// matchesPort: port 0 asks about the address alone (a wrk.lookup), which
// a rule with a port covers too, since the port is checked when the
// address is used.
func (r rule) matchesPort(port int) bool { return r.port == 0 || port == 0 || r.port == port }

func (r rule) matchesIP(ip net.IP, port int) bool {
	return r.block != nil && r.block.Contains(ip) && r.matchesPort(port)
}

func (r rule) matchesName(host string, port int) bool {
	host = canonicalName(host)
	switch {
	case !r.matchesPort(port):
		return false
	case r.name != "":
		return host == r.name
	case r.suffix != "":
		return strings.HasSuffix(host, r.suffix)
	}
	return false
}

func canonicalName(host string) string { return strings.TrimSuffix(strings.ToLower(host), ".") }

// splitPort separates an entry's optional port: "host:port",
// "[ipv6]:port", "10.0.0.0/8:443". A bare IPv6 address or block (several
// colons, no brackets) has none.
func splitPort(e string) (string, int, error) {
	var host, port string
	switch {
	case strings.HasPrefix(e, "["):
		end := strings.Index(e, "]")
		if end < 0 {
			return "", 0, fmt.Errorf("missing ']'")
		}
		host, port = e[1:end], e[end+1:]
		if port == "" {
			return host, 0, nil
		}
		if !strings.HasPrefix(port, ":") {
			return "", 0, fmt.Errorf("want [address]:port")
		}
		port = port[1:]
	case strings.Count(e, ":") == 1:
		host, port, _ = strings.Cut(e, ":")
	default:
		return e, 0, nil
	}
	n, err := strconv.Atoi(port)
	if err != nil || n < 1 || n > 65535 || port[0] == '+' {
		return "", 0, fmt.Errorf("port %q: want 1-65535", port)
	}
	return host, n, nil
}

func parseRule(entry, source string) (rule, error) {
	r := rule{text: strings.TrimSpace(entry), source: source}
	e, port, err := splitPort(r.text)
	if err != nil {
		return rule{}, fmt.Errorf("%s %q: %w", source, entry, err)
	}
	r.port = port
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
		return rule{}, fmt.Errorf("%s %q: want a host name, *.domain, an IP address or a CIDR block, optionally with :port", source, entry)
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

// Targets is the target policy. The zero value is the default: the URL may
// name a local address (loopback, private, CGNAT; not link-local, not a
// cloud metadata service), and a script may use nothing but the URL's
// addresses and port. It is immutable, so threads share it freely.
type Targets struct {
	allow, deny []rule
	approved    []net.IP // the addresses the URL's host resolved to and passed
	urlPort     int      // the URL's port, with approved
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

// WithApproved returns a copy of t for the script of a run whose URL
// passed CheckHost: ips are the addresses its host resolved to, port is its
// port. A script may pick any of them, with that port, through
// wrk.lookup(wrk.host, wrk.port), thread.addr and wrk.connect.
func (t *Targets) WithApproved(ips []net.IP, port int) *Targets {
	cp := Targets{}
	if t != nil {
		cp = *t
	}
	cp.approved = nil
	for _, ip := range ips {
		cp.approved = append(cp.approved, normalize(ip))
	}
	cp.urlPort = port
	return &cp
}

func (t *Targets) isApproved(ip net.IP) bool {
	for _, a := range t.approved {
		if a.Equal(ip) {
			return true
		}
	}
	return false
}

// Verdict is the policy's answer for one address.
type Verdict struct {
	Host    string // the name the address came from; "" for a bare address
	IP      net.IP
	Port    int    // the port asked about; 0 when only the address was
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

// Allow is the --allow-target value that would allow the verdict's
// address (with its port when there is one).
func (v Verdict) Allow() string {
	if v.Port == 0 {
		return v.IP.String()
	}
	return net.JoinHostPort(v.IP.String(), strconv.Itoa(v.Port))
}

// CheckIP decides the address of the URL's host, on the URL's port: a
// deny entry refuses it, then an allow entry, or a default local range
// allows it.
func (t *Targets) CheckIP(ip net.IP, port int) Verdict {
	ip = normalize(ip)
	v := Verdict{IP: ip, Port: port}
	if t == nil {
		t = &Targets{}
	}
	if r := t.denied(ip, port); r != nil {
		v.Denied, v.Rule = true, r.String()
		return v
	}
	if r := t.allowed(ip, port); r != nil {
		v.Allowed, v.Rule = true, r.String()
		return v
	}
	if kind := refusedKind(ip); kind != "" {
		v.Rule = "default: " + kind + ", allowed only explicitly"
		return v
	}
	if kind := localKind(ip); kind != "" {
		v.Allowed, v.Rule = true, "default: "+kind
		return v
	}
	v.Rule = "default: public address (only local addresses are allowed by default)"
	return v
}

func (t *Targets) denied(ip net.IP, port int) *rule {
	for i := range t.deny {
		if t.deny[i].matchesIP(ip, port) {
			return &t.deny[i]
		}
	}
	return nil
}

func (t *Targets) allowed(ip net.IP, port int) *rule {
	for i := range t.allow {
		if t.allow[i].matchesIP(ip, port) {
			return &t.allow[i]
		}
	}
	return nil
}

// CheckScript decides an address a script sends load to (thread.addr) or
// connects to (wrk.connect). The person who typed the URL consented to its
// host and port only, so the default ranges play no part: the address must
// be one the URL's host resolved to, with the URL's port, or be allowed
// explicitly by address, or come from a wrk.lookup of a name allowed
// explicitly (name, "" for none). A deny entry refuses it in any case.
func (t *Targets) CheckScript(ip net.IP, port int, name string) Verdict {
	ip = normalize(ip)
	v := Verdict{IP: ip, Port: port, Host: name}
	if t == nil {
		t = &Targets{}
	}
	if r := t.denied(ip, port); r != nil {
		v.Denied, v.Rule = true, r.String()
		return v
	}
	if name != "" {
		for _, r := range t.deny {
			if r.matchesName(name, port) {
				v.Denied, v.Rule = true, r.String()
				return v
			}
		}
	}
	if port == t.urlPort && t.isApproved(ip) {
		v.Allowed, v.Rule = true, "the URL's host and port"
		return v
	}
	if r := t.allowed(ip, port); r != nil {
		v.Allowed, v.Rule = true, r.String()
		return v
	}
	if name != "" {
		for _, r := range t.allow {
			if r.matchesName(name, port) {
				v.Allowed, v.Rule = true, r.String()
				return v
			}
		}
	}
	v.Rule = "not the URL's host and port"
	if len(t.approved) > 0 {
		v.Rule += " (" + net.JoinHostPort(t.approved[0].String(), strconv.Itoa(t.urlPort)) + ")"
	}
	return v
}

// CheckLookup decides whether a script may look host up (wrk.lookup),
// before anything is resolved: a DNS query for a name of the script's
// choosing is a channel out of the sandbox. Allowed: the URL's host
// (urlHost), one of its addresses, or a name or address allowed
// explicitly; a deny entry refuses it in any case.
func (t *Targets) CheckLookup(host, urlHost string) Verdict {
	if t == nil {
		t = &Targets{}
	}
	v := Verdict{Host: host}
	ip := parseIP(host)
	for _, r := range t.deny {
		if ip != nil && r.matchesIP(ip, 0) || ip == nil && r.matchesName(host, 0) {
			v.Denied, v.Rule = true, r.String()
			return v
		}
	}
	switch {
	case canonicalName(host) == canonicalName(urlHost) || ip != nil && ip.Equal(parseIP(urlHost)):
		v.Allowed, v.Rule = true, "the URL's host"
		return v
	case ip != nil && t.isApproved(ip):
		v.Allowed, v.Rule = true, "an address of the URL's host"
		return v
	}
	for _, r := range t.allow {
		if ip != nil && r.matchesIP(ip, 0) || ip == nil && r.matchesName(host, 0) {
			v.Allowed, v.Rule = true, r.String()
			return v
		}
	}
	v.Rule = "only the URL's host (" + urlHost + ") may be looked up"
	return v
}

// CheckHost resolves host (an IP literal is not looked up) and decides
// every address it resolves to: a deny entry for
// the name or an address refuses it; an allow entry for the name allows
// the addresses no deny entry covers; otherwise each address must pass
// CheckIP on its own, so a name that resolves to a public address is
// public, whatever its name (*.internal included). The run may go ahead
// only when every verdict allows.
func (t *Targets) CheckHost(ctx context.Context, r Resolver, host string, port int) ([]Verdict, error) {
	if t == nil {
		t = &Targets{}
	}
	if ip := parseIP(host); ip != nil {
		v := t.CheckIP(ip, port)
		return []Verdict{v}, nil
	}
	addrs, err := r.LookupIPAddr(ctx, host)
	if err != nil {
		return nil, fmt.Errorf("resolving %s: %w", host, err)
	}
	var nameDeny, nameAllow *rule
	for i := range t.deny {
		if t.deny[i].matchesName(host, port) {
			nameDeny = &t.deny[i]
			break
		}
	}
	for i := range t.allow {
		if t.allow[i].matchesName(host, port) {
			nameAllow = &t.allow[i]
			break
		}
	}
	out := make([]Verdict, 0, len(addrs))
	for _, a := range addrs {
		v := t.CheckIP(a.IP, port)
		v.Host, v.Zone = host, a.Zone
		switch {
		case nameDeny != nil:
			v.Allowed, v.Denied, v.Rule = false, true, nameDeny.String()
		case v.Allowed || v.Denied:
		case nameAllow != nil:
			// An explicit name allows even link-local and metadata
			// addresses: someone typed that name on purpose.
			v.Allowed, v.Rule = true, nameAllow.String()
		case localName(host) != "" && refusedKind(v.IP) == "":
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
			opts := []string{"--allow-target " + v.Allow()}
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

// metadataAddrs are cloud instance metadata services outside link-local
// ranges (AWS's IPv6 endpoint is unique-local, Alibaba's is in CGNAT space):
// credentials live there, so the default never allows them.
var metadataAddrs = []net.IP{net.ParseIP("fd00:ec2::254"), net.ParseIP("100.100.100.200").To4()}

// refusedKind names the local ranges the default refuses although they are
// local: link-local (169.254.0.0/16 holds the metadata service of most
// clouds at 169.254.169.254; fe80::/10) and metadata addresses. "" if none.
func refusedKind(ip net.IP) string {
	for _, m := range metadataAddrs {
		if m.Equal(ip) {
			return "cloud metadata service"
		}
	}
	if ip.IsLinkLocalUnicast() {
		if ip.To4() != nil {
			return "link-local (169.254.0.0/16, cloud metadata services)"
		}
		return "link-local (fe80::/10)"
	}
	return ""
}

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
