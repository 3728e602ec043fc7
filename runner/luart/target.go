package luart

import (
	"net"
	"strings"
)

// TargetPolicy builds Options.AllowTarget from targets.allow/deny entries
// (and --allow-target values): IP addresses and CIDR blocks. Host name
// patterns (*.example.com) name no address, so they cannot match one and
// are ignored here; the CLI applies them to the URL's host. Deny wins; an
// address matching neither list is allowed when it is loopback, private,
// link-local, unique-local or target itself.
func TargetPolicy(allow, deny []string, target *net.TCPAddr) func(net.IP) bool {
	allowNets, denyNets := ipNets(allow), ipNets(deny)
	return func(ip net.IP) bool {
		for _, n := range denyNets {
			if n.Contains(ip) {
				return false
			}
		}
		for _, n := range allowNets {
			if n.Contains(ip) {
				return true
			}
		}
		if target != nil && target.IP.Equal(ip) {
			return true
		}
		return defaultTarget(ip)
	}
}

// defaultTarget is DESIGN.md's default: local and private addresses only.
func defaultTarget(ip net.IP) bool {
	return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified()
}

func ipNets(entries []string) []*net.IPNet {
	var out []*net.IPNet
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if _, n, err := net.ParseCIDR(e); err == nil {
			out = append(out, n)
			continue
		}
		if ip := net.ParseIP(strings.Trim(e, "[]")); ip != nil {
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
		}
	}
	return out
}
