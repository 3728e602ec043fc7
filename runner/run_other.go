//go:build !linux

package runner

import (
	"context"
	"errors"
	"net"
)

// The reactor is built on epoll; other platforms would need a kqueue
// backend with the same poller methods.
func runPlatform(context.Context, *Config, Target, *net.TCPAddr, Started) (*Summary, error) {
	return nil, errors.New("wrkrun: this platform is not supported (the engine needs Linux epoll)")
}
