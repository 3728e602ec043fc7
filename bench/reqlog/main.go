// Command reqlog is the loopback HTTP server of bench/compare-corpus.sh:
// it answers every request with a small JSON body and records the
// distinct requests it saw (method, target, Host, sorted headers, body);
// GET /__take on the control address returns them, sorted, and forgets
// them. A separate control port keeps the harness's own requests out of
// the record.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// maxDistinct bounds the record: a script that sends a new URL per request
// fills it in a second.
const maxDistinct = 10000

type recorder struct {
	mu   sync.Mutex
	seen map[string]bool
	more int // requests past maxDistinct
}

func (r *recorder) serve(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(req.Body, 1<<16))
	var hs []string
	for name, vs := range req.Header {
		for _, v := range vs {
			hs = append(hs, name+": "+v)
		}
	}
	sort.Strings(hs)
	key := fmt.Sprintf("%s %s Host=%s [%s] body=%q", req.Method, req.RequestURI, req.Host, strings.Join(hs, ", "), body)
	r.mu.Lock()
	if len(r.seen) < maxDistinct || r.seen[key] {
		r.seen[key] = true
	} else {
		r.more++
	}
	r.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true,"id":1,"token":"t","data":[]}`)
}

func (r *recorder) take(w http.ResponseWriter, _ *http.Request) {
	r.mu.Lock()
	keys := make([]string, 0, len(r.seen))
	for k := range r.seen {
		keys = append(keys, k)
	}
	more := r.more
	r.seen, r.more = map[string]bool{}, 0
	r.mu.Unlock()
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintln(w, k)
	}
	if more > 0 {
		fmt.Fprintf(w, "(%d more distinct requests)\n", more)
	}
}

func main() {
	addr := flag.String("addr", "127.0.0.1:28741", "address to serve (loopback)")
	ctl := flag.String("control", "127.0.0.1:28742", "control address (GET /__take)")
	flag.Parse()
	r := &recorder{seen: map[string]bool{}}
	go func() {
		s := &http.Server{Addr: *ctl, Handler: http.HandlerFunc(r.take), ReadHeaderTimeout: 5 * time.Second}
		log.Fatal(s.ListenAndServe())
	}()
	s := &http.Server{Addr: *addr, Handler: http.HandlerFunc(r.serve), ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(s.ListenAndServe())
}
