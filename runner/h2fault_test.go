//go:build linux

package runner

import (
	"context"
	"errors"
	"net"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/http2"

	"github.com/wrklint/wrklint/internal/testutil/h2fault"
)

// postScript sends a POST with a small body on every stream, so that the
// request side of flow control is exercised.
type postScript struct{}

const postBody = "hello, http/2 world"

func (postScript) Caps() ScriptCaps                    { return ScriptCaps{Request: true} }
func (postScript) NewThread(int) (ThreadScript, error) { return postThread{}, nil }

type postThread struct{}

func (postThread) StaticRequest() ([]byte, error) { return nil, errors.New("unused") }
func (postThread) Request(dst []byte) ([]byte, error) {
	return append(dst, "POST /post HTTP/1.1\r\nHost: h2fault.test\r\nContent-Length: 19\r\n\r\n"+postBody...), nil
}
func (postThread) Response(*Response) error      { return nil }
func (postThread) Delay() (time.Duration, error) { return 0, nil }
func (postThread) Stopped() bool                 { return false }

// faultConfig is a one-thread HTTP/2 run against a fault server.
func faultConfig(t *testing.T, s *h2fault.Server, conns, streams int) (Config, *net.TCPAddr) {
	t.Helper()
	u, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	addr, err := net.ResolveTCPAddr("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	// sharedProcess: a worker blocking raw keeps its P (runner/poll_linux.go),
	// and the parallel subtests' workers would starve the in-process
	// servers of Ps for a sysmon period (~10-20 ms) at every step.
	// A long --timeout, as in testConfig; the slow server sets its own.
	return Config{URL: s.URL, Threads: 2, Connections: conns, Duration: 500 * time.Millisecond,
		Timeout: 10 * time.Second, HTTP2: HTTP2Require, Streams: streams, sharedProcess: true}, addr
}

// served: every request the runner counted was answered by the server,
// which answered at most the streams in flight at the end more.
func served(t checker, s *Summary, st h2fault.Stats, inFlight int) {
	t.Helper()
	if s.Requests == 0 || int(s.Requests) > st.Served || st.Served > int(s.Requests)+inFlight {
		t.Errorf("runner counted %d requests, the server answered %d (at most %d in flight at the end)", s.Requests, st.Served, inFlight)
	}
}

// checker is what a fault case's check needs of a *testing.T.
type checker interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// TestHTTP2FaultServers runs the engine against each h2fault server. The
// servers check the client on the wire (windows, stream limits, header
// blocks); the test checks the counts on both sides. cmd/wrkrun has the
// same cases through the command line.
func TestHTTP2FaultServers(t *testing.T) {
	t.Parallel()
	// Most servers hold each response 1 ms: the runs then cost a fraction
	// of the CPU of a closed loop against an instant server, which matters
	// when this package's tests run in parallel on two cores.
	tests := []struct {
		name           string
		b              h2fault.Behavior
		conns, streams int
		post           bool
		timeout        time.Duration
		// until ends the run once what check needs has happened (polled
		// every 10 ms; the duration is then a ceiling): a fixed half
		// second saw nothing at all happen on a loaded machine.
		until func(p Progress, srv *h2fault.Server) bool
		check func(t checker, s *Summary, st h2fault.Stats, inFlight int)
	}{
		{name: "streams held open", b: h2fault.Behavior{Delay: 2 * time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, srv *h2fault.Server) bool {
				st := srv.Stats()
				return p.Requests > 0 && st.MaxConcurrent >= 4 && st.ReqConns >= 2
			},
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				if st.MaxConcurrent != 4 || st.ReqConns != 2 {
					t.Errorf("at most %d concurrent streams over %d connections; want 4 (-m 4) over 2", st.MaxConcurrent, st.ReqConns)
				}
			}},
		{name: "TLS", b: h2fault.Behavior{TLS: true, Delay: time.Millisecond}, conns: 2, streams: 8,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) { served(t, s, st, inFlight) }},
		{name: "max streams 1", b: h2fault.Behavior{MaxConcurrentStreams: 1, Delay: time.Millisecond}, conns: 2, streams: 8,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) { served(t, s, st, inFlight) }},
		{name: "GOAWAY NO_ERROR", b: h2fault.Behavior{GoAwayAfter: 5, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, srv *h2fault.Server) bool {
				st := srv.Stats()
				return p.Requests > 10 && st.GoAways > 0 && st.ReqConns > 2
			},
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				if st.GoAways == 0 || st.ReqConns <= 2 || s.Requests <= 10 || s.Errors.Conn != 0 {
					t.Errorf("%d GOAWAYs, %d connections, %d requests, %d connection errors", st.GoAways, st.ReqConns, s.Requests, s.Errors.Conn)
				}
			}},
		{name: "GOAWAY ENHANCE_YOUR_CALM", b: h2fault.Behavior{GoAwayAfter: 5, GoAwayCode: http2.ErrCodeEnhanceYourCalm, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 && p.Errors > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				if s.Errors.Conn == 0 || s.Errors.Conn > uint64(st.GoAways) || s.Errors.ConnCauses["GOAWAY ENHANCE_YOUR_CALM"] != s.Errors.Conn {
					t.Errorf("connection errors %d %v; server sent %d GOAWAYs", s.Errors.Conn, s.Errors.ConnCauses, st.GoAways)
				}
			}},
		{name: "GOAWAY below streams in flight", b: h2fault.Behavior{GoAwayAfter: 4, GoAwayLow: true, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, srv *h2fault.Server) bool { return p.Requests > 8 && srv.Stats().ReqConns >= 3 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				// Streams above the last-stream-id were not processed: sent
				// again on the next connection, not errors.
				served(t, s, st, inFlight)
				if st.ReqConns < 3 || s.Requests <= 8 || s.Errors.Stream+s.Errors.Conn+s.Errors.Read != 0 {
					t.Errorf("%d connections, %d requests: the run should go on", st.ReqConns, s.Requests)
				}
			}},
		{name: "RST_STREAM CANCEL", b: h2fault.Behavior{ResetEvery: 5, ResetCode: http2.ErrCodeCancel, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 && p.Errors > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				if s.Errors.Stream == 0 || int(s.Errors.Stream) > st.Resets || st.Resets > int(s.Errors.Stream)+8 {
					t.Errorf("stream errors %d %v, server reset %d", s.Errors.Stream, s.Errors.StreamCauses, st.Resets)
				}
			}},
		{name: "RST_STREAM REFUSED_STREAM", b: h2fault.Behavior{ResetEvery: 5, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, srv *h2fault.Server) bool { return p.Requests > 0 && srv.Stats().Resets > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				if st.Resets == 0 || s.Errors.Stream != 0 {
					t.Errorf("stream errors %d %v, server refused %d", s.Errors.Stream, s.Errors.StreamCauses, st.Resets)
				}
			}},
		{name: "1-byte window", b: h2fault.Behavior{InitialWindow: 1, Trickle: true}, conns: 2, streams: 2, post: true,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				for _, r := range st.Requests {
					if r.Method != "POST" || string(r.Body) != postBody {
						t.Fatalf("server got %s with body %q", r.Method, r.Body)
					}
				}
			}},
		{name: "SETTINGS lowered", b: h2fault.Behavior{SettingsAfter: 3, NewMaxStreams: 1, NewInitialWindow: 5, Delay: time.Millisecond},
			until: func(p Progress, srv *h2fault.Server) bool {
				st := srv.Stats()
				return p.Requests > 0 && st.Settings > 0 && st.Streams > 2*3+8
			},
			conns: 2, streams: 8, post: true, check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				if st.Settings == 0 || st.Streams <= 2*3+8 {
					t.Errorf("%d SETTINGS, %d requests", st.Settings, s.Requests)
				}
			}},
		{name: "SETTINGS raised", b: h2fault.Behavior{MaxConcurrentStreams: 1, SettingsAfter: 5, NewMaxStreams: 4, Delay: 2 * time.Millisecond},
			until: func(p Progress, srv *h2fault.Server) bool {
				st := srv.Stats()
				return p.Requests > 0 && st.MaxConcurrent >= 4 && st.Streams > 2*5+4
			},
			conns: 2, streams: 8, check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				if st.MaxConcurrent < 4 || st.Streams <= 2*5+4 {
					t.Errorf("at most %d concurrent streams after the limit went up to 4", st.MaxConcurrent)
				}
			}},
		{name: "PING", b: h2fault.Behavior{PingEvery: 10, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, srv *h2fault.Server) bool { return p.Requests > 0 && srv.Stats().Pings > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				if st.Pings == 0 || st.PingAcks < st.Pings-st.Conns { // the last PING of a connection may go unanswered
					t.Errorf("%d PINGs, %d ACKs", st.Pings, st.PingAcks)
				}
			}},
		{name: "CONTINUATION", b: h2fault.Behavior{ContinuationChunk: 40, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) { served(t, s, st, inFlight) }},
		{name: "padded DATA", b: h2fault.Behavior{Padding: 255, BodySize: 5000, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) { served(t, s, st, inFlight) }},
		{name: "large responses", b: h2fault.Behavior{BodySize: 256 << 10, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				// Each response is 4 default windows long: one that
				// completes proves wrkrun sent WINDOW_UPDATEs.
				served(t, s, st, inFlight)
				if s.Errors.Timeout != 0 {
					t.Errorf("%d requests, %d timeouts: stalled on the window?", s.Requests, s.Errors.Timeout)
				}
			}},
		// The timeout is also the start-up check's wait for the server: a
		// loaded machine did not connect within 100 ms.
		{name: "slow server", b: h2fault.Behavior{Delay: 5 * time.Second}, conns: 2, streams: 2, timeout: time.Second,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Timeouts > 0 },
			check: func(t checker, s *Summary, _ h2fault.Stats, _ int) {
				if s.Requests != 0 || s.Errors.Timeout == 0 {
					t.Errorf("%d requests, %d timeouts", s.Requests, s.Errors.Timeout)
				}
			}},
		{name: "103 Early Hints before every response", b: h2fault.Behavior{EarlyHints: true, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				// An interim response is not the response: one request
				// each, all 200.
				served(t, s, st, inFlight)
				if s.StatusCodes[200] != s.Requests || s.Errors.Stream+s.Errors.Conn != 0 {
					t.Errorf("status codes %v for %d requests, errors %+v", s.StatusCodes, s.Requests, s.Errors)
				}
			}},
		{name: "trailers after DATA", b: h2fault.Behavior{Trailers: true, Delay: time.Millisecond}, conns: 2, streams: 4,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Requests > 0 },
			check: func(t checker, s *Summary, st h2fault.Stats, inFlight int) {
				served(t, s, st, inFlight)
				if s.StatusCodes[200] != s.Requests || s.Errors.Stream+s.Errors.Conn != 0 {
					t.Errorf("status codes %v for %d requests, errors %+v", s.StatusCodes, s.Requests, s.Errors)
				}
			}},
		{name: "PUSH_PROMISE although push is off", b: h2fault.Behavior{PushPromise: true, Delay: time.Millisecond}, conns: 2, streams: 2,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Errors > 0 },
			check: func(t checker, s *Summary, _ h2fault.Stats, _ int) {
				if s.Requests != 0 || s.Errors.ConnCauses["PROTOCOL_ERROR"] == 0 {
					t.Errorf("%d requests, errors %+v", s.Requests, s.Errors)
				}
			}},
		{name: "CONTINUATION flood", b: h2fault.Behavior{ContinuationFlood: true}, conns: 2, streams: 2,
			check: func(t checker, s *Summary, st h2fault.Stats, _ int) {
				// The client announced a 1 MiB header list: it must give up
				// long before the server's 64 MiB (the rest is socket
				// buffers), and count it once it has read more than that
				// (a slow client, under -race, may not get that far).
				if s.Requests != 0 || st.FloodBytes >= 16<<20 || s.Bytes > 2<<20 && s.Errors.Conn+s.Errors.Stream == 0 {
					t.Errorf("%d requests, %d bytes read, errors %+v; the server wrote %d bytes of one header block",
						s.Requests, s.Bytes, s.Errors, st.FloodBytes)
				}
			}},
		{name: "HPACK bomb", b: h2fault.Behavior{HPACKBomb: true}, conns: 2, streams: 2,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Errors > 0 },
			check: func(t checker, s *Summary, _ h2fault.Stats, _ int) {
				// 16 MB of decoded header list against the 1 MiB announced.
				if s.Requests != 0 || s.Errors.Conn+s.Errors.Stream == 0 {
					t.Errorf("%d requests, errors %+v", s.Requests, s.Errors)
				}
			}},
		{name: "DATA frame above SETTINGS_MAX_FRAME_SIZE", b: h2fault.Behavior{OversizeFrame: true, BodySize: 20000}, conns: 2, streams: 2,
			until: func(p Progress, _ *h2fault.Server) bool { return p.Errors > 0 },
			check: func(t checker, s *Summary, _ h2fault.Stats, _ int) {
				if s.Requests != 0 || s.Errors.ConnCauses["FRAME_SIZE_ERROR"] == 0 {
					t.Errorf("%d requests, errors %+v", s.Requests, s.Errors)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := h2fault.Start(t, tt.b)
			cfg, addr := faultConfig(t, srv, tt.conns, tt.streams)
			if tt.post {
				cfg.Script = postScript{}
			}
			if tt.timeout > 0 {
				cfg.Timeout = tt.timeout
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.until != nil {
				cfg.Duration = 10 * time.Second // a ceiling
				cfg.progressEvery = 10 * time.Millisecond
				cfg.Progress = func(p Progress) {
					if tt.until(p, srv) {
						cancel()
					}
				}
			}
			s, err := Run(ctx, cfg, addr, nil)
			if err != nil {
				t.Fatal(err)
			}
			srv.Close() // the counters are final
			st := srv.Stats()
			if len(st.Violations) > 0 {
				t.Errorf("the server saw protocol violations: %q", st.Violations)
			}
			if s.Requests > 0 && s.Protocol != "HTTP/2" {
				t.Errorf("protocol %q", s.Protocol)
			}
			for _, r := range st.Requests {
				if strings.ToLower(r.Authority) != r.Authority || r.Scheme == "" {
					t.Errorf("request %+v", r)
					break
				}
			}
			tt.check(t, s, st, tt.conns*tt.streams)
			if t.Failed() || testing.Verbose() {
				t.Logf("%s: %d requests, errors %+v; server %d conns, %d streams, %d served", tt.name, s.Requests, s.Errors, st.Conns, st.Streams, st.Served)
			}
		})
	}
}

// TestHTTP2NotHTTP2: servers that never make an h2c connection usable are
// refused by the start-up check, with an error that says why, before any
// load.
func TestHTTP2NotHTTP2(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		url     func(t *testing.T) string
		wantErr string
	}{
		{name: "HTTP/1.1-only server", url: func(t *testing.T) string { return h2fault.StartHTTP1(t).URL },
			wantErr: `does not speak HTTP/2.*"HTTP/1.1 505`},
		{name: "never sends SETTINGS", url: func(t *testing.T) string { return h2fault.Start(t, h2fault.Behavior{NoSettings: true}).URL },
			wantErr: `sent no HTTP/2 SETTINGS`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			raw := tt.url(t)
			u, _ := url.Parse(raw)
			addr, err := net.ResolveTCPAddr("tcp", u.Host)
			if err != nil {
				t.Fatal(err)
			}
			// Timeout: the check waits that long for the first frame; a
			// loaded machine's late server must not pass for silence.
			cfg := Config{URL: raw, Threads: 2, Connections: 2, Duration: 300 * time.Millisecond, Timeout: time.Second,
				HTTP2: HTTP2Require, Streams: 2, sharedProcess: true}
			s, err := Run(context.Background(), cfg, addr, nil)
			if err == nil || !regexp.MustCompile(tt.wantErr).MatchString(err.Error()) {
				t.Errorf("Run = %v, %v; want an error matching %q", s, err, tt.wantErr)
			}
		})
	}
}
