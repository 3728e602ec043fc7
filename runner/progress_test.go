//go:build linux

package runner

import (
	"context"
	"testing"
	"time"
)

func TestProgress(t *testing.T) {
	t.Parallel()
	// Paced: two and a half seconds at full speed would take both cores.
	srv := startServer(t, false, respondPaced(okResponse("ok"), 2*time.Millisecond))
	cfg := testConfig(srv.addr, false)
	cfg.Duration = 2500 * time.Millisecond
	var got []Progress
	cfg.Progress = func(p Progress) { got = append(got, p) }
	s, err := Run(context.Background(), cfg, srv.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("%d progress calls in 2.5 s, want 2: %+v", len(got), got)
	}
	for i, p := range got {
		if p.Requests == 0 || p.P99US <= 0 || p.Rate <= 0 || p.Elapsed < time.Duration(i+1)*time.Second {
			t.Errorf("progress %d: %+v", i, p)
		}
	}
	if got[1].Requests < got[0].Requests || got[1].Requests > s.Requests {
		t.Errorf("requests %d, %d, final %d", got[0].Requests, got[1].Requests, s.Requests)
	}
}
