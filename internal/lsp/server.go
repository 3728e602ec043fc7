// Package lsp is wrklint's language server: it analyses the Lua scripts an
// editor has open and publishes the findings as diagnostics, offers a
// quick fix that inserts a wrklint:ignore directive, and shows a rule's
// documentation on hover. It speaks LSP 3.17 over a stream (stdio) with
// JSON-RPC from github.com/sourcegraph/jsonrpc2.
package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/ruledocs"
	"github.com/wrklint/wrklint/report"
)

// RuleDocsBase is the URL a rule's page path (docs/rules/WL103.md) is
// appended to for a diagnostic's codeDescription: the repository's
// default branch, which keeps the pages of every rule ever released.
const RuleDocsBase = report.InformationURI + "/blob/main/"

// DefaultDebounce is how long after the last change a document is
// analysed: typing does not start an analysis per keystroke.
const DefaultDebounce = 300 * time.Millisecond

// ErrNoShutdown is returned when the client sent exit without shutdown
// first, or went away; the process should exit 1 (LSP "exit").
var ErrNoShutdown = errors.New("the client ended the session without shutdown")

// Options are what the server depends on.
type Options struct {
	// Rules is the catalogue (rules.All()), for hover texts.
	Rules []*analyzer.Rule
	// Version is reported in serverInfo.
	Version string
	// Config returns the analysis configuration for the script at path
	// ("" for a document that is not a file) and whether the project
	// excludes it. It is called for every analysis, so that an edited
	// .wrklint.yml takes effect on the next one.
	Config func(path string) (cfg analyzer.Options, excluded bool, err error)
	// Explain is a rule's documentation, as "wrklint explain" prints it.
	Explain func(r *analyzer.Rule) string
	// Debounce overrides DefaultDebounce (tests).
	Debounce time.Duration
}

// Serve runs the server on rw until the client sends exit or closes the
// stream. It returns nil after shutdown and exit, ErrNoShutdown otherwise.
func Serve(ctx context.Context, rw io.ReadWriteCloser, opts Options) error {
	if opts.Debounce <= 0 {
		opts.Debounce = DefaultDebounce
	}
	s := &server{opts: opts, docs: map[string]*document{}, shown: map[string]bool{}, exit: make(chan error, 1), ready: make(chan struct{})}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s.conn = jsonrpc2.NewConn(ctx, jsonrpc2.NewBufferedStream(rw, codec{}), s)
	close(s.ready) // the connection reads (and calls Handle) before NewConn returns
	var err error
	select {
	case err = <-s.exit:
	case <-s.conn.DisconnectNotify():
		err = ErrNoShutdown
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.stopTimers()
	_ = s.conn.Close()
	return err
}

type server struct {
	opts Options
	// conn is set once, before ready is closed; Handle waits for ready, and
	// everything else that uses conn is started from Handle.
	conn  *jsonrpc2.Conn
	ready chan struct{}
	exit  chan error

	mu       sync.Mutex
	docs     map[string]*document // by URI
	shutdown bool
	shown    map[string]bool // configuration errors already shown
	// canWatch: the client can register workspace/didChangeWatchedFiles.
	canWatch bool
}

// document is an open script. Its fields are guarded by server.mu.
type document struct {
	uri, path string
	lua       bool
	version   int
	text      string
	timer     *time.Timer
	// findings are those of the last analysis, of text at analysed.
	findings []analyzer.Finding
	analysed int
}

// Handle dispatches one message. jsonrpc2 calls it for one message at a
// time, in order, so document changes apply in the order sent; analyses
// run on timers, off this goroutine.
func (s *server) Handle(ctx context.Context, conn *jsonrpc2.Conn, req *jsonrpc2.Request) {
	<-s.ready
	result, err := s.handle(ctx, req)
	if req.Notif {
		return
	}
	if err != nil {
		var rpcErr *jsonrpc2.Error
		if !errors.As(err, &rpcErr) {
			rpcErr = &jsonrpc2.Error{Code: jsonrpc2.CodeInternalError, Message: err.Error()}
		}
		_ = conn.ReplyWithError(ctx, req.ID, rpcErr)
		return
	}
	_ = conn.Reply(ctx, req.ID, result)
}

func (s *server) handle(ctx context.Context, req *jsonrpc2.Request) (any, error) {
	s.mu.Lock()
	down := s.shutdown
	s.mu.Unlock()
	if down && req.Method != "exit" {
		if req.Notif {
			return nil, nil
		}
		return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidRequest, Message: "the server is shut down"}
	}
	switch req.Method {
	case "initialize":
		var p InitializeParams
		if err := decode(req, &p); err != nil {
			return nil, err
		}
		s.mu.Lock()
		s.canWatch = p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration
		s.mu.Unlock()
		return InitializeResult{
			Capabilities: ServerCapabilities{
				PositionEncoding:   "utf-16",
				TextDocumentSync:   TextDocumentSyncOptions{OpenClose: true, Change: SyncFull, Save: SaveOptions{}},
				HoverProvider:      true,
				CodeActionProvider: CodeActionOptions{CodeActionKinds: []string{"quickfix"}},
			},
			ServerInfo: ServerInfo{Name: "wrklint", Version: s.opts.Version},
		}, nil
	case "initialized":
		s.mu.Lock()
		watch := s.canWatch
		s.mu.Unlock()
		if watch {
			// A request to the client may only follow initialized, and its
			// answer arrives through this connection, which this goroutine
			// must not block waiting for it.
			go s.watchConfig(ctx)
		}
		return nil, nil
	case "$/setTrace", "$/cancelRequest", "workspace/didChangeConfiguration":
		return nil, nil
	case "shutdown":
		s.mu.Lock()
		s.shutdown = true
		s.mu.Unlock()
		s.stopTimers()
		return nil, nil
	case "exit":
		s.mu.Lock()
		var err error
		if !s.shutdown {
			err = ErrNoShutdown
		}
		s.mu.Unlock()
		select {
		case s.exit <- err:
		default: // a second exit: Serve is already returning
		}
		return nil, nil
	case "textDocument/didOpen":
		var p DidOpenTextDocumentParams
		if err := decode(req, &p); err != nil {
			return nil, err
		}
		s.open(p.TextDocument)
		return nil, nil
	case "textDocument/didChange":
		var p DidChangeTextDocumentParams
		if err := decode(req, &p); err != nil {
			return nil, err
		}
		s.change(p)
		return nil, nil
	case "textDocument/didSave":
		var p DidSaveTextDocumentParams
		if err := decode(req, &p); err != nil {
			return nil, err
		}
		s.saved(p.TextDocument.URI)
		return nil, nil
	case "textDocument/didClose":
		var p DidCloseTextDocumentParams
		if err := decode(req, &p); err != nil {
			return nil, err
		}
		s.close(ctx, p.TextDocument.URI)
		return nil, nil
	case "workspace/didChangeWatchedFiles":
		s.reanalyseAll()
		return nil, nil
	case "textDocument/hover":
		var p TextDocumentPositionParams
		if err := decode(req, &p); err != nil {
			return nil, err
		}
		return s.hover(p), nil
	case "textDocument/codeAction":
		var p CodeActionParams
		if err := decode(req, &p); err != nil {
			return nil, err
		}
		return s.codeActions(p), nil
	}
	if req.Notif {
		return nil, nil // unknown notifications are ignored, as LSP asks
	}
	return nil, &jsonrpc2.Error{Code: jsonrpc2.CodeMethodNotFound, Message: "method not supported: " + req.Method}
}

func decode(req *jsonrpc2.Request, v any) error {
	if req.Params == nil {
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: "missing params"}
	}
	if err := json.Unmarshal(*req.Params, v); err != nil {
		return &jsonrpc2.Error{Code: jsonrpc2.CodeInvalidParams, Message: fmt.Sprintf("%s: %v", req.Method, err)}
	}
	return nil
}

// watchConfig asks the client to report changes of .wrklint.yml files.
func (s *server) watchConfig(ctx context.Context) {
	params := RegistrationParams{Registrations: []Registration{{
		ID:     "wrklint-config",
		Method: "workspace/didChangeWatchedFiles",
		RegisterOptions: DidChangeWatchedFilesRegistrationOptions{
			Watchers: []FileSystemWatcher{{GlobPattern: "**/" + config.FileName}},
		},
	}}}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_ = s.conn.Call(ctx, "client/registerCapability", params, nil) // without it, saves still re-read the file
}

func (s *server) open(item TextDocumentItem) {
	path := uriPath(item.URI)
	d := &document{
		uri: item.URI, path: path, version: item.Version, text: item.Text,
		// A client that names no language, or an editor that calls a
		// *.lua file something else, still gets its script analysed.
		lua: item.LanguageID == "lua" || item.LanguageID == "" || strings.HasSuffix(path, ".lua"),
	}
	s.mu.Lock()
	if old := s.docs[item.URI]; old != nil && old.timer != nil {
		old.timer.Stop()
	}
	s.docs[item.URI] = d
	s.scheduleLocked(d, 0)
	s.mu.Unlock()
}

func (s *server) change(p DidChangeTextDocumentParams) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[p.TextDocument.URI]
	if d == nil {
		return
	}
	for _, c := range p.ContentChanges {
		if c.Range == nil {
			d.text = c.Text
			continue
		}
		// Full sync was asked for; a client that sends ranges anyway is
		// followed rather than misread.
		d.text = applyEdit(d.text, *c.Range, c.Text)
	}
	d.version = p.TextDocument.Version
	s.scheduleLocked(d, s.opts.Debounce)
}

// saved analyses the saved document at once, with the configuration
// read again; saving a .wrklint.yml re-analyses every open script.
func (s *server) saved(uri string) {
	if filepath.Base(uriPath(uri)) == config.FileName {
		s.reanalyseAll()
		return
	}
	s.mu.Lock()
	if d := s.docs[uri]; d != nil {
		s.scheduleLocked(d, 0)
	}
	s.mu.Unlock()
}

func (s *server) close(ctx context.Context, uri string) {
	s.mu.Lock()
	d := s.docs[uri]
	if d != nil && d.timer != nil {
		d.timer.Stop()
	}
	delete(s.docs, uri)
	s.mu.Unlock()
	if d != nil && d.lua {
		// Diagnostics of a closed file would otherwise stay in the editor.
		_ = s.conn.Notify(ctx, "textDocument/publishDiagnostics", PublishDiagnosticsParams{URI: uri, Diagnostics: []Diagnostic{}})
	}
}

func (s *server) reanalyseAll() {
	s.mu.Lock()
	for _, d := range s.docs {
		s.scheduleLocked(d, 0)
	}
	s.mu.Unlock()
}

// scheduleLocked (re)starts d's timer; s.mu is held.
func (s *server) scheduleLocked(d *document, delay time.Duration) {
	if !d.lua || s.shutdown {
		return
	}
	if d.timer != nil {
		d.timer.Stop()
	}
	uri := d.uri
	d.timer = time.AfterFunc(delay, func() { s.analyse(uri) })
}

func (s *server) stopTimers() {
	s.mu.Lock()
	for _, d := range s.docs {
		if d.timer != nil {
			d.timer.Stop()
		}
	}
	s.mu.Unlock()
}

// analyse runs the analysis of the document's current text and publishes
// the diagnostics, unless the text changed meanwhile (a newer analysis is
// then scheduled and publishes instead).
func (s *server) analyse(uri string) {
	s.mu.Lock()
	d := s.docs[uri]
	if d == nil || s.shutdown {
		s.mu.Unlock()
		return
	}
	text, version, path := d.text, d.version, d.path
	s.mu.Unlock()

	cfg, excluded, err := s.opts.Config(path)
	if err != nil {
		s.showOnce(fmt.Sprintf("wrklint: %v (analysing with the default configuration)", err))
		cfg, excluded = analyzer.Options{Rules: s.opts.Rules}, false
	}
	name := path
	if name == "" {
		name = uri
	}
	var findings []analyzer.Finding
	if !excluded {
		findings = analyzer.Analyze(name, []byte(text), &cfg)
		analyzer.SortFindings(findings)
	}

	s.mu.Lock()
	if s.docs[uri] != d || d.version != version || d.text != text {
		s.mu.Unlock()
		return
	}
	d.findings, d.analysed = findings, version
	diags := s.diagnostics(uri, findings)
	s.mu.Unlock()
	v := version
	_ = s.conn.Notify(context.Background(), "textDocument/publishDiagnostics", PublishDiagnosticsParams{URI: uri, Version: &v, Diagnostics: diags})
}

func (s *server) showOnce(msg string) {
	s.mu.Lock()
	seen := s.shown[msg]
	s.shown[msg] = true
	s.mu.Unlock()
	if !seen {
		_ = s.conn.Notify(context.Background(), "window/showMessage", ShowMessageParams{Type: 1, Message: msg})
	}
}

// diagnostics converts the findings not suppressed by a directive.
func (s *server) diagnostics(uri string, findings []analyzer.Finding) []Diagnostic {
	diags := []Diagnostic{}
	for i := range findings {
		f := &findings[i]
		if f.Suppression != nil {
			continue
		}
		d := Diagnostic{
			Range:    findingRange(f),
			Severity: severity(f.Level),
			Code:     f.RuleID,
			Source:   "wrklint",
			Message:  f.Message,
		}
		if r := s.rule(f.RuleID); r != nil {
			d.CodeDescription = &CodeDescription{Href: RuleDocsBase + ruledocs.PagePath(r)}
		}
		// Related locations (a taint source, the writes WL803 points at)
		// are in the same file: the server analyses one file, without the
		// modules it loads, and a place in another file is left out.
		for _, rel := range f.Related {
			if rel.File != "" {
				continue
			}
			d.RelatedInformation = append(d.RelatedInformation, DiagnosticRelatedInformation{
				Location: Location{URI: uri, Range: positionRange(rel.Start, rel.End)},
				Message:  rel.Message,
			})
		}
		diags = append(diags, d)
	}
	return diags
}

func (s *server) rule(id string) *analyzer.Rule {
	for _, r := range s.opts.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

func severity(l analyzer.Level) DiagnosticSeverity {
	switch l {
	case analyzer.LevelError:
		return SeverityError
	case analyzer.LevelWarning:
		return SeverityWarning
	default:
		return SeverityInformation
	}
}

// findingRange is the finding's range in LSP positions (0-based lines,
// UTF-16 characters); an empty range covers one character so that
// editors can show it.
func findingRange(f *analyzer.Finding) Range { return positionRange(f.Start, f.End) }

// positionRange converts 1-based positions with UTF-16 columns to an LSP
// range, never empty.
func positionRange(start, end analyzer.Position) Range {
	r := Range{
		Start: Position{Line: max(start.Line-1, 0), Character: max(start.ColumnUTF16-1, 0)},
		End:   Position{Line: max(end.Line-1, 0), Character: max(end.ColumnUTF16-1, 0)},
	}
	if !before(r.Start, r.End) {
		r.End = Position{Line: r.Start.Line, Character: r.Start.Character + 1}
	}
	return r
}

func before(a, b Position) bool {
	return a.Line < b.Line || (a.Line == b.Line && a.Character < b.Character)
}

// hover shows the documentation of the rules whose findings cover the
// position.
func (s *server) hover(p TextDocumentPositionParams) *Hover {
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[p.TextDocument.URI]
	if d == nil {
		return nil
	}
	var parts []string
	var at *Range
	seen := map[string]bool{}
	for i := range d.findings {
		f := &d.findings[i]
		r := findingRange(f)
		if f.Suppression != nil || before(p.Position, r.Start) || !before(p.Position, r.End) || seen[f.RuleID] {
			continue
		}
		seen[f.RuleID] = true
		if at == nil {
			at = &r
		}
		text := fmt.Sprintf("**%s %s**: %s", f.RuleID, f.Name, f.Message)
		if rule := s.rule(f.RuleID); rule != nil && s.opts.Explain != nil {
			text += "\n\n" + s.opts.Explain(rule)
		}
		parts = append(parts, text)
	}
	if len(parts) == 0 {
		return nil
	}
	return &Hover{Contents: MarkupContent{Kind: "markdown", Value: strings.Join(parts, "\n\n---\n\n")}, Range: at}
}

// codeActions offers, for each finding on the requested lines, to insert
// "-- wrklint:ignore-next-line WLxxx -- <reason>" above its first line,
// indented like it. The reason is a placeholder to replace: wrklint
// requires one, and only the author knows it.
func (s *server) codeActions(p CodeActionParams) []CodeAction {
	s.mu.Lock()
	defer s.mu.Unlock()
	actions := []CodeAction{}
	d := s.docs[p.TextDocument.URI]
	if d == nil || d.analysed != d.version {
		return actions // the findings are of an older text; the next analysis brings new ones
	}
	lines := strings.Split(d.text, "\n")
	seen := map[string]bool{}
	for i := range d.findings {
		f := &d.findings[i]
		r := findingRange(f)
		if f.Suppression != nil || r.End.Line < p.Range.Start.Line || r.Start.Line > p.Range.End.Line || !suppressible(f.RuleID) {
			continue
		}
		key := fmt.Sprintf("%d %s", r.Start.Line, f.RuleID)
		if seen[key] || r.Start.Line >= len(lines) {
			continue
		}
		seen[key] = true
		line := lines[r.Start.Line]
		indent := line[:len(line)-len(strings.TrimLeft(line, " \t"))]
		at := Position{Line: r.Start.Line, Character: 0}
		diag := Diagnostic{Range: r, Severity: severity(f.Level), Code: f.RuleID, Source: "wrklint", Message: f.Message}
		actions = append(actions, CodeAction{
			Title:       fmt.Sprintf("Ignore %s on this line (wrklint:ignore-next-line, with a reason)", f.RuleID),
			Kind:        "quickfix",
			Diagnostics: []Diagnostic{diag},
			Edit: WorkspaceEdit{Changes: map[string][]TextEdit{p.TextDocument.URI: {{
				Range:   Range{Start: at, End: at},
				NewText: indent + "-- wrklint:ignore-next-line " + f.RuleID + " -- <reason>\n",
			}}}},
		})
	}
	return actions
}

// suppressible reports whether a directive may name the rule: the
// engine's own findings (WL001 parse error, WL002 bad directive, WL003
// unused suppression) cannot be suppressed.
func suppressible(id string) bool {
	return id != analyzer.ParseErrorRule.ID && id != "WL002" && id != "WL003"
}

// uriPath is the file path of a file: URI, or "" for other schemes
// (an unsaved buffer).
func uriPath(uri string) string {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return ""
	}
	return filepath.FromSlash(u.Path)
}

// applyEdit replaces r (UTF-16 positions) in text with newText.
func applyEdit(text string, r Range, newText string) string {
	start, end := offset(text, r.Start), offset(text, r.End)
	if end < start {
		start, end = end, start
	}
	return text[:start] + newText + text[end:]
}

// offset converts an LSP position to a byte offset in text, clamped to
// the line and the text.
func offset(text string, p Position) int {
	off := 0
	for line := 0; line < p.Line; line++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	units := 0
	for i, r := range text[off:] {
		if units >= p.Character || r == '\n' {
			return off + i
		}
		units++
		if r >= 0x10000 {
			units++
		}
	}
	return len(text)
}
