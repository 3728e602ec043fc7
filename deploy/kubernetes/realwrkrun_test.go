package kubernetes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
)

// TestJobArgsWithRealWrkrun runs the Job's container command, as
// Kubernetes would expand it, with the wrkrun of this repository: two
// shards against a local server, stdout and stderr in one log per pod as
// kubectl logs shows them. run.sh (with the fake kubectl serving those
// logs) must then extract each shard's JSON and merge them with the real
// `wrkrun merge`. It catches a Job whose flags wrkrun does not take and
// output run.sh cannot parse.
func TestJobArgsWithRealWrkrun(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds wrkrun and runs it for a second")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go not found")
	}
	r := newRunSh(t)
	wrkrun, err := testutil.GoBuild("github.com/wrklint/wrklint/cmd/wrkrun")
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	paths := map[string]bool{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		mu.Lock()
		paths[req.URL.Path] = true
		mu.Unlock()
		fmt.Fprint(w, "ok")
	}))
	defer srv.Close()

	d := loadDeployment(t)
	c := container(t, d.job)
	example, err := filepath.Abs("example.lua")
	if err != nil {
		t.Fatal(err)
	}
	const shards = 2
	env := map[string]string{
		"SHARDS": fmt.Sprint(shards), "START_AT": time.Now().Add(time.Second).UTC().Format(time.RFC3339Nano),
		"TARGET_URL": srv.URL + "/", "DURATION": "500ms", "THREADS": "2", "CONNECTIONS": "5", "RATE": "0",
		"ALLOW_TARGET": "localhost",
	}
	for _, e := range c.Env {
		if _, ok := env[e.Name]; !ok {
			t.Fatalf("env %s of the Job is not set by this test", e.Name)
		}
	}
	var args []string
	for _, a := range c.Args {
		a = varRef.ReplaceAllStringFunc(a, func(ref string) string { return env[ref[2:len(ref)-1]] })
		args = append(args, strings.ReplaceAll(a, "/etc/wrkrun/script.lua", example))
	}
	var wg sync.WaitGroup
	errs := make([]error, shards)
	for i := range shards {
		log, err := os.Create(filepath.Join(r.fake, fmt.Sprintf("log-%d", i)))
		if err != nil {
			t.Fatal(err)
		}
		defer log.Close()
		cmd := exec.Command(wrkrun, args...) //nolint:gosec // G204: the wrkrun just built, with the Job's arguments
		cmd.Env = append(os.Environ(), fmt.Sprintf("JOB_COMPLETION_INDEX=%d", i))
		cmd.Stdout, cmd.Stderr = log, log
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = cmd.Run()
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			log, _ := os.ReadFile(filepath.Join(r.fake, fmt.Sprintf("log-%d", i)))
			t.Fatalf("shard %d: wrkrun %q: %v\n%s", i, args, err, log)
		}
	}

	r.env = append(r.env, "WRKRUN="+wrkrun)
	code, stderr := r.run("-N", fmt.Sprint(shards), "-c", "5", "-d", "1s", "-o", r.out, "-u", srv.URL+"/")
	if code != 0 {
		t.Fatalf("run.sh: exit %d, stderr:\n%s", code, stderr)
	}
	var total uint64
	for i := range shards {
		var res struct {
			Requests uint64 `json:"requests"`
			Run      struct {
				Shard *int `json:"shard"`
			} `json:"run"`
		}
		b, err := os.ReadFile(filepath.Join(r.out, fmt.Sprintf("shard-%d.json", i)))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &res); err != nil {
			t.Fatalf("shard-%d.json: %v", i, err)
		}
		if res.Run.Shard == nil || *res.Run.Shard != i || res.Requests == 0 {
			t.Errorf("shard-%d.json: shard %v, %d requests", i, res.Run.Shard, res.Requests)
		}
		total += res.Requests
	}
	var merged struct {
		Requests uint64 `json:"requests"`
	}
	b, err := os.ReadFile(filepath.Join(r.out, "merged.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &merged); err != nil || merged.Requests != total {
		t.Errorf("merged.json: %d requests, want the shards' %d (%v)", merged.Requests, total, err)
	}
	// done() ran once, in the merge, on all requests.
	report, _ := os.ReadFile(filepath.Join(r.out, "merged.txt"))
	if want := fmt.Sprintf("requests: %d, p99 latency:", total); strings.Count(string(report), want) != 1 {
		t.Errorf("merged.txt lacks the merged done()'s %q:\n%s", want, report)
	}
	// The script's paths carried each pod's shard.
	mu.Lock()
	defer mu.Unlock()
	for i := range shards {
		found := false
		for p := range paths {
			found = found || strings.HasPrefix(p, fmt.Sprintf("/items/%d-", i))
		}
		if !found {
			t.Errorf("no request path of shard %d (/items/%d-...)", i, i)
		}
	}
}
