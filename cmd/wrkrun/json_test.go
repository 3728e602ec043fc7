package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func resultSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "docs", "wrkrun-result.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("wrkrun-result.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("wrkrun-result.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// checkSchema fails the test unless raw is JSON that schema accepts.
func checkSchema(t *testing.T, schema *jsonschema.Schema, raw []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, raw)
	}
	if err := schema.Validate(inst); err != nil {
		t.Fatalf("result does not match the schema: %v\n%s", err, raw)
	}
}

// readValidResult reads a --json file and checks it against schema.
func readValidResult(t *testing.T, schema *jsonschema.Schema, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	checkSchema(t, schema, raw)
	return raw
}

// TestJSONResult validates real --json output against the published
// schema and checks that its numbers agree with each other.
func TestJSONResult(t *testing.T) {
	t.Parallel()
	schema := resultSchema(t)
	url := startHTTP(t)
	h2url := startH2C(t)
	script := writeScript(t, "say.lua", "function done() io.write(\"from done\\n\") end\n")
	tests := []struct {
		name      string
		toStdout  bool
		args      []string
		lint      string
		textInErr bool
		wantText  []string
		http2     bool
	}{
		{name: "http2 h2c", args: []string{"-t1", "-c2", "-d1", "--http2", "-m", "4"}, lint: "none", http2: true},
		{name: "file", args: []string{"-t1", "-c2", "-d1"}, lint: "none"},
		{name: "stdout, report on stderr", toStdout: true, args: []string{"-t2", "-c4", "-d1", "-s", script}, lint: "passed"},
		{name: "constant rate with -U", args: []string{"-t2", "-c4", "-d1", "-R", "400", "--latency", "-U"}, lint: "none", wantText: []string{
			"  Latency Distribution (HdrHistogram - Recorded Latency)\n 50.000%", "\n 99.999%", "\n100.000%",
			"\n  Detailed Percentile spectrum:\n       Value   Percentile   TotalCount 1/(1-Percentile)\n\n",
			"#[Mean    =", "\n----------------------------------------------------------\n\n  Latency Distribution (HdrHistogram - Uncorrected Latency (measured without taking delayed starts into account))\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "out.json")
			dest := path
			if tt.toStdout {
				dest = "-"
			}
			var stdout, stderr testutil.SyncBuffer
			target := url
			if tt.http2 {
				target = h2url
			}
			code := run(append(append([]string{"--json", dest}, tt.args...), target), testEnv(&stdout, &stderr))
			if code != 0 {
				t.Fatalf("exit %d, stderr %s", code, stderr.String())
			}
			var raw []byte
			text := stdout.String()
			if tt.toStdout {
				raw, text = []byte(stdout.String()), stderr.String()
			} else {
				var err error
				if raw, err = os.ReadFile(path); err != nil {
					t.Fatal(err)
				}
			}
			if !strings.Contains(text, "Requests/sec:") {
				t.Errorf("text report missing from %q", text)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(text, w) {
					t.Errorf("report lacks %q:\n%s", w, text)
				}
			}
			if tt.toStdout && !strings.Contains(text, "from done") {
				t.Errorf("script output not moved to stderr: %q", text)
			}
			checkSchema(t, schema, raw)
			var res struct {
				Config struct {
					Rate    int    `json:"rate"`
					HTTP2   string `json:"http2"`
					Streams int    `json:"streams"`
				} `json:"config"`
				Protocol    string `json:"protocol"`
				Uncorrected *struct {
					Count int64 `json:"count"`
				} `json:"uncorrected_latency"`
				ScheduleLag *struct {
					Count int64 `json:"count"`
					P50   int64 `json:"p50_us"`
					P99   int64 `json:"p99_us"`
					Max   int64 `json:"max_us"`
				} `json:"schedule_lag"`
				Interrupted *bool            `json:"interrupted"`
				Requests    int64            `json:"requests"`
				StatusCodes map[string]int64 `json:"status_codes"`
				Lint        struct{ Verdict string }
				Latency     struct {
					Count       int64 `json:"count"`
					MaxUS       int64 `json:"max_us"`
					Percentiles []struct {
						Percentile float64 `json:"percentile"`
						ValueUS    int64   `json:"value_us"`
					}
					Histogram struct{ Data string }
				}
			}
			if err := json.Unmarshal(raw, &res); err != nil {
				t.Fatal(err)
			}
			wantProto, wantMode, wantStreams := "HTTP/1.1", "", 0
			if tt.http2 {
				wantProto, wantMode, wantStreams = "HTTP/2", "require", 4
			}
			if res.Protocol != wantProto || res.Config.HTTP2 != wantMode || res.Config.Streams != wantStreams {
				t.Errorf("protocol %q, http2 %q, streams %d; want %q %q %d", res.Protocol, res.Config.HTTP2, res.Config.Streams, wantProto, wantMode, wantStreams)
			}
			if res.Requests == 0 || res.StatusCodes["200"] != res.Requests || res.Lint.Verdict != tt.lint {
				t.Errorf("requests %d, status codes %v, lint %q (want %q)", res.Requests, res.StatusCodes, res.Lint.Verdict, tt.lint)
			}
			if rated := res.Config.Rate == 400; rated != (res.Uncorrected != nil && res.Uncorrected.Count > 0) {
				t.Errorf("rate %d but uncorrected latency %v", res.Config.Rate, res.Uncorrected)
			}
			// Every completed request's batch was sent, and its lag recorded.
			if lag := res.ScheduleLag; (res.Config.Rate > 0) != (lag != nil) ||
				lag != nil && (lag.Count < res.Requests || lag.P50 > lag.P99 || lag.P99 > lag.Max) {
				t.Errorf("rate %d, %d requests, schedule lag %+v", res.Config.Rate, res.Requests, lag)
			}
			if res.Interrupted == nil || *res.Interrupted {
				t.Errorf("interrupted: %v; want false", res.Interrupted)
			}
			want := []float64{50, 75, 90, 99, 99.9, 99.99, 100}
			ps := res.Latency.Percentiles
			if len(ps) != len(want) {
				t.Fatalf("percentiles %v", ps)
			}
			for i, p := range ps {
				if p.Percentile != want[i] || (i > 0 && p.ValueUS < ps[i-1].ValueUS) {
					t.Errorf("percentiles %v: not %v ascending", ps, want)
				}
			}
			if ps[len(ps)-1].ValueUS != res.Latency.MaxUS {
				t.Errorf("p100 %d != max %d", ps[len(ps)-1].ValueUS, res.Latency.MaxUS)
			}
			h, err := hdrhistogram.Decode([]byte(res.Latency.Histogram.Data))
			if err != nil || h.TotalCount() != res.Latency.Count {
				t.Errorf("histogram: %v, count %v want %d", err, h, res.Latency.Count)
			}
		})
	}
}

func TestJSONUnwritable(t *testing.T) {
	t.Parallel()
	url, conns := countingListener(t)
	var stdout, stderr testutil.SyncBuffer
	code := run([]string{"--json", filepath.Join(t.TempDir(), "no", "such", "dir.json"), "-d1", url}, testEnv(&stdout, &stderr))
	if code != 1 || !strings.Contains(stderr.String(), "--json") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
	if conns.Load() != 0 {
		t.Error("connected before failing on --json")
	}
}

// startH2C serves HTTP/2 with prior knowledge (h2c) on 127.0.0.1 and
// returns its URL.
func startH2C(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor != 2 {
			w.WriteHeader(http.StatusHTTPVersionNotSupported)
			return
		}
		_, _ = io.WriteString(w, "ok")
	}), Protocols: new(http.Protocols), ReadHeaderTimeout: 5 * time.Second}
	srv.Protocols.SetUnencryptedHTTP2(true)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}
