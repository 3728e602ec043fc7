package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestJSONResultTLS checks the tls object of an https run's --json result
// against the schema, with resumption on and off (--no-tls-resume).
func TestJSONResultTLS(t *testing.T) {
	t.Parallel()
	schema := resultSchema(t)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Connection", "close") // every request a new handshake
		_, _ = w.Write([]byte("ok"))
	}))
	// The start-up connect check and the end of the run cut handshakes.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	for _, noResume := range []bool{false, true} {
		t.Run(fmt.Sprintf("no-tls-resume=%v", noResume), func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "out.json")
			// The thread stops itself after 10 responses, so 10
			// handshakes, however loaded the machine (a fixed second held
			// as few as 7 under -race); -d is only a ceiling.
			script := writeScript(t, "ten.lua", stopAfter10)
			args := []string{"--json", path, "-t1", "-c2", "-d30", "-s", script}
			if noResume {
				args = append(args, "--no-tls-resume")
			}
			var stdout, stderr testutil.SyncBuffer
			if code := run(append(args, srv.URL+"/"), testEnv(&stdout, &stderr)); code != 0 {
				t.Fatalf("exit %d, stderr %s", code, stderr.String())
			}
			raw := readValidResult(t, schema, path)
			var res struct {
				Requests uint64 `json:"requests"`
				TLS      *struct {
					Full    uint64 `json:"full_handshakes"`
					Resumed uint64 `json:"resumed_handshakes"`
				} `json:"tls"`
			}
			if err := json.Unmarshal(raw, &res); err != nil {
				t.Fatal(err)
			}
			if res.TLS == nil || res.Requests < 10 {
				t.Fatalf("no-tls-resume %v: requests %d, tls %+v; want several handshakes counted", noResume, res.Requests, res.TLS)
			}
			// The server closes every connection, so each request had a
			// handshake of its own.
			if res.TLS.Full+res.TLS.Resumed < res.Requests {
				t.Errorf("no-tls-resume %v: %d requests but %+v handshakes", noResume, res.Requests, *res.TLS)
			}
			if noResume && res.TLS.Resumed != 0 || !noResume && (res.TLS.Full > 2 || res.TLS.Resumed == 0) {
				t.Errorf("no-tls-resume %v: %+v", noResume, *res.TLS)
			}
		})
	}
}
