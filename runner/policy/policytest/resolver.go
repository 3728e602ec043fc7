// Package policytest holds test doubles for package policy.
package policytest

import (
	"context"
	"net"
)

// Resolver answers host names from a table, so tests of the target policy
// never look a name up for real. A name that is not in the table is "no
// such host".
type Resolver map[string][]string

// LookupIPAddr implements the resolver the policy uses.
func (r Resolver) LookupIPAddr(_ context.Context, host string) ([]net.IPAddr, error) {
	ips, ok := r[host]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
	}
	out := make([]net.IPAddr, 0, len(ips))
	for _, s := range ips {
		out = append(out, net.IPAddr{IP: net.ParseIP(s)})
	}
	return out, nil
}
