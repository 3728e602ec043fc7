package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil/h2fault"
)

// nginxH2 is a one-worker nginx on 127.0.0.1 with an h2c server and a TLS
// h2 server, each with its own access log of "$server_protocol $status".
type nginxH2 struct {
	h2cURL, tlsURL string
	dir            string
	cmd            *exec.Cmd
	done           chan struct{} // closed when nginx has exited
	waitErr        error         // its exit, once done is closed
}

// freePort returns a port that was free a moment ago (nginx needs a
// number in its configuration).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func startNginxH2(t *testing.T) *nginxH2 {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		t.Skip("nginx not installed (Debian: nginx-light)")
	}
	dir := t.TempDir()
	// The worker may run as an unprivileged user: let it reach the logs.
	if err := os.Chmod(dir, 0o755); err != nil { //nolint:gosec // a test's temp directory
		t.Fatal(err)
	}
	cert, key, err := h2fault.WritePEM(dir)
	if err != nil {
		t.Fatal(err)
	}
	h2cPort, tlsPort := freePort(t), freePort(t)
	conf := fmt.Sprintf(`worker_processes 1;
daemon off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log warn;
events { worker_connections 1024; }
http {
    log_format proto '$server_protocol $status';
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    keepalive_requests 100000000;
    server {
        listen 127.0.0.1:%[2]d http2;
        access_log %[1]s/h2c.log proto;
        location / { return 200 "ok\n"; }
    }
    server {
        listen 127.0.0.1:%[3]d ssl http2;
        ssl_certificate %[4]s;
        ssl_certificate_key %[5]s;
        access_log %[1]s/tls.log proto;
        location / { return 200 "ok\n"; }
    }
}
`, dir, h2cPort, tlsPort, cert, key)
	confPath := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(confPath, []byte(conf), 0o600); err != nil {
		t.Fatal(err)
	}
	n := &nginxH2{h2cURL: fmt.Sprintf("http://127.0.0.1:%d/", h2cPort), tlsURL: fmt.Sprintf("https://127.0.0.1:%d/", tlsPort),
		dir: dir, done: make(chan struct{})}
	n.cmd = exec.Command(bin, //nolint:gosec // nginx from PATH with a config this test wrote
		"-e", filepath.Join(dir, "error.log"), "-p", dir, "-c", confPath)
	if err := n.cmd.Start(); err != nil {
		t.Fatalf("starting nginx: %v", err)
	}
	go func() {
		n.waitErr = n.cmd.Wait()
		close(n.done)
	}()
	t.Cleanup(n.stop)
	for _, port := range []int{h2cPort, tlsPort} {
		deadline := time.Now().Add(5 * time.Second)
		for {
			c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
			if err == nil {
				c.Close()
				break
			}
			select {
			case <-n.done:
				log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
				t.Fatalf("nginx exited: %v\n%s", n.waitErr, log)
			default:
			}
			if time.Now().After(deadline) {
				t.Fatalf("nginx does not listen on %d", port)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return n
}

// stop shuts nginx down gracefully (its logs complete), then hard after a
// bound; safe to call twice.
func (n *nginxH2) stop() {
	select {
	case <-n.done:
		return
	default:
	}
	_ = n.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-n.done:
	case <-time.After(5 * time.Second):
		_ = n.cmd.Process.Kill()
		<-n.done
	}
}

// logged counts the access log's lines by protocol.
func (n *nginxH2) logged(t *testing.T, name string) map[string]int {
	t.Helper()
	f, err := os.Open(filepath.Join(n.dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	protos := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		proto, _, _ := strings.Cut(sc.Text(), " ")
		protos[proto]++
	}
	return protos
}

// TestHTTP2Nginx runs wrkrun --http2 against nginx over h2c and TLS and
// checks from nginx's access log that every request wrkrun counted was
// HTTP/2.0: the log holds only HTTP/2.0 lines, at least as many as wrkrun
// reported, and at most the streams in flight at the end more.
func TestHTTP2Nginx(t *testing.T) {
	t.Parallel()
	n := startNginxH2(t)
	const conns, streams = 4, 10
	results := map[string]h2Run{}
	// TLS for 1 s: its handshakes run on goroutines that other tests' -t1
	// workers can hold up (see TestHTTP2ALPN).
	for _, tc := range []struct{ log, url, d string }{{"h2c.log", n.h2cURL, "500ms"}, {"tls.log", n.tlsURL, "1s"}} {
		r := runH2(t, tc.url, "--http2", "-t2", fmt.Sprintf("-c%d", conns), fmt.Sprintf("-m%d", streams), "-d", tc.d)
		if r.code != 0 {
			t.Fatalf("%s: exit %d\nstdout %s\nstderr %s", tc.url, r.code, r.stdout, r.stderr)
		}
		results[tc.log] = r
	}
	n.stop()
	for name, r := range results {
		protos := n.logged(t, name)
		h2 := protos["HTTP/2.0"]
		delete(protos, "HTTP/2.0")
		if len(protos) != 0 {
			t.Errorf("%s: nginx logged other protocols %v", name, protos)
		}
		if r.res.Protocol != "HTTP/2" || r.res.Requests == 0 || h2 < int(r.res.Requests) || h2 > int(r.res.Requests)+conns*streams {
			t.Errorf("%s: wrkrun counted %d requests as %q, nginx logged %d HTTP/2.0 requests", name, r.res.Requests, r.res.Protocol, h2)
		}
		if s := r.res.StatusCodes["200"]; s != int64(r.res.Requests) {
			t.Errorf("%s: status codes %v for %d requests", name, r.res.StatusCodes, r.res.Requests)
		}
	}
}
