package lsp

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"testing"
	"time"

	"github.com/wrklint/wrklint/analyzer"
)

// pipeRW is one end of an in-process connection.
type pipeRW struct {
	io.Reader
	io.WriteCloser
}

// TestServeConcurrent runs the server in-process (so that go test -race
// sees it) through a burst of changes racing the analysis timers, hovers
// and code actions in between, then shutdown and exit.
func TestServeConcurrent(t *testing.T) {
	clientR, serverW := io.Pipe()
	serverR, clientW := io.Pipe()
	rule := &analyzer.Rule{ID: "WL999", Name: "Fake", Level: analyzer.LevelError}
	done := make(chan error, 1)
	go func() {
		done <- Serve(context.Background(), pipeRW{serverR, serverW}, Options{
			Rules:    []*analyzer.Rule{rule},
			Version:  "test",
			Debounce: time.Millisecond,
			Config: func(string) (analyzer.Options, bool, error) {
				return analyzer.Options{Rules: []*analyzer.Rule{analyzer.ParseErrorRule}}, false, nil
			},
			Explain: func(r *analyzer.Rule) string { return r.ID },
		})
	}()
	msgs := make(chan map[string]any, 1000)
	go func() {
		r := bufio.NewReader(clientR)
		for {
			var m map[string]any
			if err := (codec{}).ReadObject(r, &m); err != nil {
				close(msgs)
				return
			}
			msgs <- m
		}
	}()
	send := func(m map[string]any) {
		m["jsonrpc"] = "2.0"
		if err := (codec{}).WriteObject(clientW, m); err != nil {
			t.Fatal(err)
		}
	}
	id := 0
	call := func(method string, params any) map[string]any {
		id++
		send(map[string]any{"id": id, "method": method, "params": params})
		for m := range msgs {
			if got, ok := m["id"].(float64); ok && int(got) == id {
				return m
			}
		}
		t.Fatalf("no answer to %s", method)
		return nil
	}
	call("initialize", map[string]any{"capabilities": map[string]any{}})
	send(map[string]any{"method": "initialized", "params": map[string]any{}})
	const uri = "file:///tmp/x.lua"
	send(map[string]any{"method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "lua", "version": 1, "text": "local x = = 1\n"}}})
	for v := 2; v < 60; v++ {
		text := "local x = 1\n"
		if v%2 == 0 {
			text = "local x = = 1\n"
		}
		send(map[string]any{"method": "textDocument/didChange", "params": map[string]any{
			"textDocument": map[string]any{"uri": uri, "version": v}, "contentChanges": []any{map[string]any{"text": text}}}})
		if v%10 == 0 {
			call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 0, "character": 8}})
			call("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": uri},
				"range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 0, "character": 0}}, "context": map[string]any{}})
			time.Sleep(2 * time.Millisecond)
		}
	}
	// The last version (59) is clean: its diagnostics must arrive, empty.
	deadline := time.After(10 * time.Second)
	for {
		var m map[string]any
		select {
		case m = <-msgs:
		case <-deadline:
			t.Fatal("no diagnostics for the last version")
		}
		if m["method"] != "textDocument/publishDiagnostics" {
			continue
		}
		var p PublishDiagnosticsParams
		data, _ := json.Marshal(m["params"])
		if err := json.Unmarshal(data, &p); err != nil {
			t.Fatal(err)
		}
		if p.Version != nil && *p.Version == 59 {
			if len(p.Diagnostics) != 0 {
				t.Errorf("version 59 has %+v", p.Diagnostics)
			}
			break
		}
	}
	if m := call("unknown/method", map[string]any{}); m["error"] == nil {
		t.Errorf("an unknown request got %v, want an error", m)
	}
	call("shutdown", nil)
	send(map[string]any{"method": "exit"})
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve returned %v after shutdown and exit", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not return after exit")
	}
}
