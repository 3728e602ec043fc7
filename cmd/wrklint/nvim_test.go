package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// nvimClient is run by Neovim's built-in LSP client (0.7 API:
// vim.lsp.start_client and buf_attach_client, which later versions keep)
// against "wrklint lsp": it opens a script, waits for the WL103
// diagnostic, asks for hover and code actions, applies the quick fix,
// rewrites the buffer clean, stops the client and writes what it saw as
// JSON.
const nvimClient = `
local bin, file, out = os.getenv("WRKLINT_BIN"), os.getenv("WRKLINT_FILE"), os.getenv("WRKLINT_OUT")
local result = {}
local exit_code
local client_id = vim.lsp.start_client({
  name = "wrklint",
  cmd = { bin, "lsp" },
  root_dir = vim.fn.fnamemodify(file, ":h"),
  on_exit = function(code) exit_code = code end,
})
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, client_id)

local function diags() return vim.diagnostic.get(buf) end
result.opened = vim.wait(10000, function() return #diags() > 0 end, 20)
result.diagnostics = {}
for _, d in ipairs(diags()) do
  table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, message = d.message,
    code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code), source = d.source })
end

local client = vim.lsp.get_client_by_id(client_id)
local uri = vim.uri_from_bufnr(buf)
local hover = client.request_sync("textDocument/hover",
  { textDocument = { uri = uri }, position = { line = 1, character = 6 } }, 5000, buf)
result.hover = hover and hover.result and hover.result.contents.value or ""

local actions = client.request_sync("textDocument/codeAction", {
  textDocument = { uri = uri },
  range = { start = { line = 1, character = 2 }, ["end"] = { line = 1, character = 2 } },
  context = { diagnostics = {} },
}, 5000, buf)
result.actions = {}
for _, a in ipairs(actions and actions.result or {}) do
  table.insert(result.actions, a.title)
  vim.lsp.util.apply_workspace_edit(a.edit, "utf-16")
end
result.after_fix = vim.api.nvim_buf_get_lines(buf, 0, -1, false)

-- The fix's placeholder is a reason, so the directive suppresses the finding.
result.suppressed = vim.wait(10000, function() return #diags() == 0 end, 20)

vim.api.nvim_buf_set_lines(buf, 0, -1, false, { "os.execute('id')" })
result.reported_again = vim.wait(10000, function() return #diags() == 1 end, 20)
vim.api.nvim_buf_set_lines(buf, 0, -1, false, { "local x = 1", "print(x)" })
result.cleared = vim.wait(10000, function() return #diags() == 0 end, 20)

vim.lsp.stop_client(client_id)
vim.wait(10000, function() return exit_code ~= nil end, 20)
result.exit_code = exit_code

local f = io.open(out, "w")
f:write(vim.fn.json_encode(result))
f:close()
vim.cmd("qa!")
`

// TestNeovim runs the language server under Neovim's own LSP client,
// headless. It skips when nvim is not installed (.ci/run installs it).
func TestNeovim(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds wrklint and runs Neovim")
	}
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("nvim is not installed (apt-get install neovim)")
	}
	bin, err := buildWrklint()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	script := filepath.Join(dir, "load.lua")
	writeFiles(t, dir, map[string]string{
		"load.lua":   "request = function()\n  os.execute(\"id\")\n  return wrk.format()\nend\n",
		"client.lua": nvimClient,
	})
	out := filepath.Join(dir, "result.json")
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-i", "NONE", "-u", "NONE", "-c", "luafile "+filepath.Join(dir, "client.lua")) //nolint:gosec // G204: nvim and the binary this test built
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "WRKLINT_BIN="+bin, "WRKLINT_FILE="+script, "WRKLINT_OUT="+out, "HOME="+dir, "XDG_STATE_HOME="+dir, "XDG_CACHE_HOME="+dir)
	if output, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, output)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the client wrote no result: %v", err)
	}
	var res struct {
		Opened      bool `json:"opened"`
		Diagnostics []struct {
			Lnum, Col, Severity int
			Message, Code       string
			Source              string
		} `json:"diagnostics"`
		Hover         string   `json:"hover"`
		Actions       []string `json:"actions"`
		AfterFix      []string `json:"after_fix"`
		Suppressed    bool     `json:"suppressed"`
		ReportedAgain bool     `json:"reported_again"`
		Cleared       bool     `json:"cleared"`
		ExitCode      *int     `json:"exit_code"`
	}
	t.Logf("Neovim saw: %s", data)
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !res.Opened || len(res.Diagnostics) != 1 {
		t.Fatalf("diagnostics after opening: %s", data)
	}
	if d := res.Diagnostics[0]; d.Code != "WL103" || d.Lnum != 1 || d.Col != 2 || d.Severity != 1 || d.Source != "wrklint" {
		t.Errorf("diagnostic %+v", d)
	}
	if !strings.Contains(res.Hover, "WL103 CommandExecution") {
		t.Errorf("hover %q", res.Hover)
	}
	if len(res.Actions) != 1 || len(res.AfterFix) < 2 || res.AfterFix[1] != "  -- wrklint:ignore-next-line WL103 -- <reason>" {
		t.Errorf("code action %q applied gives %q", res.Actions, res.AfterFix)
	}
	if !res.Suppressed || !res.ReportedAgain || !res.Cleared {
		t.Errorf("suppressed %v, reported again %v, cleared %v: %s", res.Suppressed, res.ReportedAgain, res.Cleared, data)
	}
	if res.ExitCode == nil || *res.ExitCode != 0 {
		t.Errorf("server exit code %v, want 0", res.ExitCode)
	}
}
