package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
)

// demoFiles are the bundled scripts `wrkrun demo` runs: one a linter
// passes, one it refuses.
//
//go:embed demo/example.lua demo/malicious.lua
var demoFiles embed.FS

// demoDuration is how long the demo benchmark runs.
const demoDuration = "3s"

// newDemoCmd is `wrkrun demo`: a first run that needs nothing but the
// binary. It serves HTTP on 127.0.0.1, shows the plan and a benchmark of a
// bundled script against it, then a malicious script refused by the lint
// gate and a public target refused by the target policy. Nothing leaves
// the machine: the only connections go to the embedded server, and the
// public target is an IP literal checked with --dry-run.
func newDemoCmd(e env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "A local server, a benchmark and two refusals",
		Long: `Serve HTTP on 127.0.0.1 and show, with bundled scripts: the plan of a
benchmark (--dry-run), the benchmark, a malicious script refused by the
lint gate (exit 3) and a public target refused by the target policy (exit
4). Nothing leaves the machine.`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 0 {
				return &subcommandError{cmd, fmt.Errorf("takes no arguments (got %q)", args)}
			}
			return nil
		},
		RunE: func(*cobra.Command, []string) error {
			// Confinement is for the whole process and for good: the
			// demo's later steps and its clean-up would lose their files.
			e.confine = nil
			d := e.demoDuration
			if d == "" {
				d = demoDuration
			}
			if err := demo(e, d); err != nil {
				return &codeError{exitError, fmt.Errorf("wrkrun demo: %w", err)}
			}
			return nil
		},
	}
	cmd.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error { return &subcommandError{cmd, err} })
	return cmd
}

// demo runs the four steps; the benchmark lasts duration.
func demo(e env, duration string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("starting the demo server: %w", err)
	}
	srv := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"ok":true}`))
		}),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(e.stderr, "wrkrun demo: server: %v\n", err)
		}
	}()
	url := "http://" + ln.Addr().String() + "/"

	dir, err := os.MkdirTemp("", "wrkrun-demo-")
	if err != nil {
		return fmt.Errorf("creating a directory for the demo scripts: %w", err)
	}
	defer os.RemoveAll(dir)
	// An empty configuration, so that a .wrklint.yml in the working
	// directory cannot change what the demo shows.
	config := filepath.Join(dir, "wrklint.yml")
	if err := os.WriteFile(config, nil, 0o600); err != nil {
		return fmt.Errorf("writing the demo configuration: %w", err)
	}
	paths := map[string]string{}
	for _, name := range []string{"example.lua", "malicious.lua"} {
		b, err := demoFiles.ReadFile("demo/" + name)
		if err != nil {
			return fmt.Errorf("reading the bundled %s: %w", name, err)
		}
		paths[name] = filepath.Join(dir, name)
		if err := os.WriteFile(paths[name], b, 0o600); err != nil {
			return fmt.Errorf("writing %s: %w", name, err)
		}
	}

	steps := []struct {
		title string
		args  []string
		want  int
	}{
		{"1. The plan for a benchmark of a local server with a bundled script (--dry-run: lint, target policy, load; nothing is sent)",
			[]string{"--dry-run", "-t1", "-c10", "-d" + duration, "-s", paths["example.lua"], url}, exitOK},
		{"2. The benchmark itself",
			[]string{"-t1", "-c10", "-d" + duration, "--latency", "-s", paths["example.lua"], url}, exitOK},
		{"3. A malicious script: the lint gate refuses it before any connection (exit 3)",
			[]string{"-t1", "-c10", "-d" + duration, "-s", paths["malicious.lua"], url}, exitLint},
		{"4. A public address: the target policy refuses it unless allowed (exit 4)",
			[]string{"--dry-run", "http://203.0.113.10/"}, exitPolicy},
	}
	for _, st := range steps {
		fmt.Fprintf(e.stdout, "\n== %s\n$ wrkrun %s\n", st.title, shellJoin(st.args, dir))
		args := append([]string{"--config", config}, st.args...)
		if code := run(args, e); code != st.want {
			return fmt.Errorf("step %q exited %d, want %d", st.title, code, st.want)
		}
	}
	fmt.Fprintf(e.stdout, "\nDone: every gate behaved as it should. Try `wrkrun --dry-run <your URL>` next.\n")
	return nil
}

// shellJoin prints a demo command line with the temporary directory
// left out, for reading rather than pasting.
func shellJoin(args []string, dir string) string {
	out := make([]string, len(args))
	for i, a := range args {
		if filepath.Dir(a) == dir {
			a = filepath.Base(a)
		}
		out[i] = a
	}
	return strings.Join(out, " ")
}
