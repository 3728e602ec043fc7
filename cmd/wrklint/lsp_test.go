package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wrklint/wrklint/internal/testutil"
)

// buildWrklint builds this command once per test binary run
// (testutil.GoBuild: relinked only when the code changed).
var buildWrklint = sync.OnceValues(func() (string, error) {
	return testutil.GoBuild("github.com/wrklint/wrklint/cmd/wrklint")
})

// lspClient speaks LSP's base protocol to a wrklint lsp process, written
// independently of the server's codec so that the test checks the wire
// format, not the server against itself.
type lspClient struct {
	t      *testing.T
	cmd    *exec.Cmd
	in     io.WriteCloser
	msgs   chan map[string]any
	nextID int
	stderr strings.Builder
}

func startLSP(t *testing.T, dir string) *lspClient {
	t.Helper()
	bin, err := buildWrklint()
	if err != nil {
		t.Fatal(err)
	}
	c := &lspClient{t: t, msgs: make(chan map[string]any, 100)}
	c.cmd = exec.Command(bin, "lsp", "--stdio") //nolint:gosec // G204: the wrklint binary this test built
	c.cmd.Dir = dir
	c.cmd.Stderr = &c.stderr
	if c.in, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		_ = c.cmd.Wait()
	})
	go c.read(bufio.NewReader(out))
	return c
}

func (c *lspClient) read(r *bufio.Reader) {
	defer close(c.msgs)
	for {
		length := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				length, _ = strconv.Atoi(v)
			}
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("server sent invalid JSON: %v\n%s", err, body)
			return
		}
		c.msgs <- m
	}
}

func (c *lspClient) send(m map[string]any) {
	c.t.Helper()
	m["jsonrpc"] = "2.0"
	data, err := json.Marshal(m)
	if err != nil {
		c.t.Fatal(err)
	}
	if _, err := fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(data), data); err != nil {
		c.t.Fatalf("writing to the server: %v", err)
	}
}

func (c *lspClient) notify(method string, params any) {
	c.t.Helper()
	c.send(map[string]any{"method": method, "params": params})
}

// call sends a request and returns its result, answering nothing else
// meanwhile; notifications received before the response are kept in
// pending for await.
func (c *lspClient) call(method string, params any) json.RawMessage {
	c.t.Helper()
	c.nextID++
	id := c.nextID
	m := map[string]any{"method": method, "id": id}
	if params != nil {
		m["params"] = params
	}
	c.send(m)
	msg := c.await(func(m map[string]any) bool {
		got, ok := m["id"].(float64)
		return ok && int(got) == id && m["method"] == nil
	})
	if e, ok := msg["error"]; ok {
		c.t.Fatalf("%s failed: %v", method, e)
	}
	data, _ := json.Marshal(msg["result"])
	return data
}

// await returns the first message that match accepts, within 10 s;
// other messages are dropped.
func (c *lspClient) await(match func(map[string]any) bool) map[string]any {
	c.t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case m, ok := <-c.msgs:
			if !ok {
				c.t.Fatalf("server closed its output; stderr:\n%s", c.stderr.String())
			}
			if match(m) {
				return m
			}
		case <-timeout:
			c.t.Fatalf("no expected message within 10s; stderr:\n%s", c.stderr.String())
		}
	}
}

type diagnostic struct {
	Range struct {
		Start struct{ Line, Character int }
		End   struct{ Line, Character int }
	}
	Severity        int
	Code            string
	Source          string
	Message         string
	CodeDescription struct{ Href string }
}

// diagnostics waits for the next publishDiagnostics for uri.
func (c *lspClient) diagnostics(uri string) (int, []diagnostic) {
	c.t.Helper()
	m := c.await(func(m map[string]any) bool {
		p, _ := m["params"].(map[string]any)
		return m["method"] == "textDocument/publishDiagnostics" && p["uri"] == uri
	})
	var p struct {
		Version     int
		Diagnostics []diagnostic
	}
	data, _ := json.Marshal(m["params"])
	if err := json.Unmarshal(data, &p); err != nil {
		c.t.Fatal(err)
	}
	return p.Version, p.Diagnostics
}

func fileURI(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

// TestLSPSession drives "wrklint lsp" as an editor does: initialize, open
// a script with a command execution (WL103), hover, code action, fix the
// script (diagnostics cleared after the debounce), change .wrklint.yml,
// shut down and exit with status 0.
func TestLSPSession(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds wrklint")
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "load.lua")
	uri := fileURI(script)
	bad := "request = function()\n    os.execute(\"id\")\n    return wrk.format()\nend\n"
	c := startLSP(t, dir)

	var init struct {
		Capabilities struct {
			TextDocumentSync struct {
				OpenClose bool
				Change    int
			}
			HoverProvider      bool
			CodeActionProvider struct{ CodeActionKinds []string }
		}
		ServerInfo struct{ Name, Version string }
	}
	caps := map[string]any{"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}}
	res := c.call("initialize", map[string]any{"processId": nil, "rootUri": fileURI(dir), "capabilities": caps})
	if err := json.Unmarshal(res, &init); err != nil {
		t.Fatal(err)
	}
	if init.ServerInfo.Name != "wrklint" || init.ServerInfo.Version == "" || !init.Capabilities.HoverProvider ||
		!init.Capabilities.TextDocumentSync.OpenClose || init.Capabilities.TextDocumentSync.Change != 1 ||
		len(init.Capabilities.CodeActionProvider.CodeActionKinds) != 1 {
		t.Errorf("initialize result: %s", res)
	}
	c.notify("initialized", map[string]any{})

	// The server asks to be told about .wrklint.yml changes.
	reg := c.await(func(m map[string]any) bool { return m["method"] == "client/registerCapability" })
	if data, _ := json.Marshal(reg["params"]); !strings.Contains(string(data), `"globPattern":"**/.wrklint.yml"`) ||
		!strings.Contains(string(data), `"method":"workspace/didChangeWatchedFiles"`) {
		t.Errorf("registration %s", data)
	}
	c.send(map[string]any{"id": reg["id"], "result": nil})

	// didOpen: analysed at once.
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "lua", "version": 1, "text": bad}})
	version, diags := c.diagnostics(uri)
	if version != 1 || len(diags) != 1 {
		t.Fatalf("after didOpen: version %d, diagnostics %+v", version, diags)
	}
	d := diags[0]
	if d.Code != "WL103" || d.Severity != 1 || d.Source != "wrklint" || d.Range.Start.Line != 1 || d.Range.Start.Character != 4 ||
		d.CodeDescription.Href != "https://github.com/wrklint/wrklint/blob/main/docs/rules/WL103.md" {
		t.Errorf("diagnostic %+v", d)
	}

	// hover inside the flagged range shows the rule's explain text.
	var hover struct{ Contents struct{ Kind, Value string } }
	res = c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 1, "character": 7}})
	if err := json.Unmarshal(res, &hover); err != nil {
		t.Fatal(err)
	}
	if hover.Contents.Kind != "markdown" || !strings.Contains(hover.Contents.Value, "WL103 CommandExecution") || !strings.Contains(hover.Contents.Value, "Default level: error") {
		t.Errorf("hover: %s", res)
	}
	if res := c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": 0, "character": 0}}); string(res) != "null" {
		t.Errorf("hover outside any finding: %s", res)
	}

	// codeAction: insert the directive above the line, indented like it.
	var actions []struct {
		Title, Kind string
		Edit        struct {
			Changes map[string][]struct {
				Range   struct{ Start, End struct{ Line, Character int } }
				NewText string
			}
		}
	}
	res = c.call("textDocument/codeAction", map[string]any{
		"textDocument": map[string]any{"uri": uri},
		"range":        map[string]any{"start": map[string]any{"line": 1, "character": 4}, "end": map[string]any{"line": 1, "character": 4}},
		"context":      map[string]any{"diagnostics": []any{}},
	})
	if err := json.Unmarshal(res, &actions); err != nil {
		t.Fatal(err)
	}
	if len(actions) != 1 || actions[0].Kind != "quickfix" || len(actions[0].Edit.Changes[uri]) != 1 {
		t.Fatalf("code actions: %s", res)
	}
	edit := actions[0].Edit.Changes[uri][0]
	if edit.NewText != "    -- wrklint:ignore-next-line WL103 -- <reason>\n" || edit.Range.Start.Line != 1 || edit.Range.Start.Character != 0 || edit.Range.End != edit.Range.Start {
		t.Errorf("edit %+v", edit)
	}

	// The directive, with a real reason, suppresses the finding: the edit
	// is what it claims to be.
	lines := strings.SplitAfter(bad, "\n")
	fixed := lines[0] + strings.Replace(edit.NewText, "<reason>", "fixture", 1) + strings.Join(lines[1:], "")
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 2}, "contentChanges": []any{map[string]any{"text": fixed}}})
	if version, diags = c.diagnostics(uri); version != 2 || len(diags) != 0 {
		t.Errorf("after the directive: version %d, diagnostics %+v", version, diags)
	}

	// didChange: debounced, then cleared for a clean script. Two quick
	// changes publish once, for the last version.
	start := time.Now()
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 3}, "contentChanges": []any{map[string]any{"text": bad}}})
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 4}, "contentChanges": []any{map[string]any{"text": cleanLua}}})
	if version, diags = c.diagnostics(uri); version != 4 || len(diags) != 0 {
		t.Errorf("after didChange: version %d, diagnostics %+v", version, diags)
	}
	if waited := time.Since(start); waited < 250*time.Millisecond {
		t.Errorf("diagnostics after %v: not debounced", waited)
	}

	// .wrklint.yml: a change is picked up on the next save.
	c.notify("textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": uri, "version": 5}, "contentChanges": []any{map[string]any{"text": bad}}})
	if _, diags = c.diagnostics(uri); len(diags) != 1 {
		t.Fatalf("version 5: %+v", diags)
	}
	if err := os.WriteFile(filepath.Join(dir, ".wrklint.yml"), []byte("rules:\n  level: {WL103: warning}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []any{map[string]any{"uri": fileURI(filepath.Join(dir, ".wrklint.yml")), "type": 2}}})
	if _, diags = c.diagnostics(uri); len(diags) != 1 || diags[0].Severity != 2 {
		t.Errorf("after the configuration change: %+v", diags)
	}
	if err := os.WriteFile(filepath.Join(dir, ".wrklint.yml"), []byte("rules:\n  disable: [WL103]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": uri}})
	if _, diags = c.diagnostics(uri); len(diags) != 0 {
		t.Errorf("after save with WL103 disabled: %+v", diags)
	}

	// didClose clears the file's diagnostics.
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	if _, diags = c.diagnostics(uri); len(diags) != 0 {
		t.Errorf("after didClose: %+v", diags)
	}

	if res := c.call("shutdown", nil); string(res) != "null" {
		t.Errorf("shutdown result %s", res)
	}
	c.notify("exit", nil)
	if err := waitExit(c.cmd, 10*time.Second); err != nil {
		t.Errorf("after shutdown and exit: %v; stderr:\n%s", err, c.stderr.String())
	}
}

// TestLSPExitWithoutShutdown checks LSP's rule: exit without shutdown, or
// a client that goes away, ends the server with status 1.
func TestLSPExitWithoutShutdown(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds wrklint")
	}
	for _, how := range []string{"exit", "eof", "garbage"} {
		t.Run(how, func(t *testing.T) {
			c := startLSP(t, t.TempDir())
			c.call("initialize", map[string]any{"processId": nil, "rootUri": nil, "capabilities": map[string]any{}})
			switch how {
			case "exit":
				c.notify("exit", nil)
			case "eof":
				_ = c.in.Close()
			case "garbage":
				fmt.Fprint(c.in, "Content-Length: 99999999999\r\n\r\n")
			}
			err := waitExit(c.cmd, 10*time.Second)
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 1 {
				t.Errorf("exit status: %v, want 1", err)
			}
		})
	}
}

func waitExit(cmd *exec.Cmd, timeout time.Duration) error {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		return errors.New("the server did not exit")
	}
}
