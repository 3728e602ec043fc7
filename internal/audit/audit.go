// Package audit writes wrkrun's audit log: one JSON object per line for
// every security-relevant thing a script did (environment reads, file
// opens, modules loaded, addresses connected, sandbox denials, redactions)
// and what wrkrun did to itself (confinement). The schema is documented in
// docs/audit-log.md; fields are only ever added.
package audit

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"sync"
	"time"
)

// Event kinds. A sandbox denial is an env, file, module or connect event
// with Allowed false.
const (
	KindStart     = "start"      // the run's script, once
	KindEnv       = "env"        // os.getenv(Name)
	KindFile      = "file"       // io.open / io.lines of Path with Mode
	KindModule    = "module"     // require(Name)
	KindConnect   = "connect"    // wrk.connect(Addr) or thread.addr = Addr
	KindRedaction = "redaction"  // Count secrets masked in one write
	KindConfine   = "confine"    // the process confined itself (or could not)
	KindSuppress  = "suppressed" // events left out past the per-site bound
)

// Event is one line of the log. Zero fields are left out, except allowed,
// which is always present on events that were checked against a policy.
type Event struct {
	Time    time.Time `json:"time"`
	Kind    string    `json:"event"`
	Hook    string    `json:"hook,omitempty"`   // "init()", "response()", "top level"...
	Thread  int       `json:"thread,omitempty"` // 1-based; 0 (absent) for the main state
	At      string    `json:"at,omitempty"`     // "script.lua:12": the calling line
	Name    string    `json:"name,omitempty"`   // environment variable or module
	Path    string    `json:"path,omitempty"`   // file, as the script wrote it
	Mode    string    `json:"mode,omitempty"`   // io.open mode
	Addr    string    `json:"addr,omitempty"`   // ip:port
	Allowed *bool     `json:"allowed,omitempty"`
	Count   int       `json:"count,omitempty"`
	Detail  string    `json:"detail,omitempty"`
}

// Allowed returns a pointer for Event.Allowed.
func Allowed(ok bool) *bool { return &ok }

// perKey bounds how many events of one kind from one call site (and name
// or path) are written: a response() that reads the environment or prints
// a secret on every response must not fill the disk. What is dropped is
// counted and written as "suppressed" events when the log is closed.
const perKey = 100

// maxLines bounds the whole log (about 15 MB): a script that opens a new
// file name on every response would get past perKey. Past it, events are
// only counted, in one "suppressed" line with detail "log limit".
const maxLines = 100_000

// Log is an open audit log. A nil *Log records nothing, so callers need
// not check. It is safe for concurrent use.
type Log struct {
	mu      sync.Mutex
	f       io.WriteCloser
	w       *bufio.Writer
	err     error
	seen    map[string]int
	dropped map[string]*Event
	lines   int // written so far
	over    int // events past maxLines
	now     func() time.Time
}

// Create creates (or truncates) the log file, readable by its owner only:
// the log names the files and variables a script touched.
func Create(path string) (*Log, error) {
	f, err := CreatePrivate(path)
	if err != nil {
		return nil, err
	}
	return New(f), nil
}

// CreatePrivate creates or truncates a file wrkrun writes (--json, --audit)
// with mode 0600; an existing file's mode is set to 0600 too.
func CreatePrivate(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, err
	}
	if err := f.Chmod(0o600); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// New returns a Log writing to w, which Close closes.
func New(w io.WriteCloser) *Log {
	return &Log{f: w, w: bufio.NewWriter(w), seen: map[string]int{}, dropped: map[string]*Event{}, now: time.Now}
}

// Record writes e, stamping its time when it has none. Events past the
// per-site bound are counted instead. Write errors are kept for Close.
func (l *Log) Record(e Event) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if e.Time.IsZero() {
		e.Time = l.now()
	}
	e.Time = e.Time.UTC()
	if l.lines >= maxLines {
		l.over++
		return
	}
	key := e.Kind + "\x00" + e.At + "\x00" + e.Name + "\x00" + e.Path + "\x00" + e.Addr + "\x00" + e.Hook
	if l.seen[key]++; l.seen[key] > perKey {
		d := l.dropped[key]
		if d == nil {
			d = &Event{Kind: KindSuppress, Hook: e.Hook, Thread: e.Thread, At: e.At, Name: e.Name, Path: e.Path, Addr: e.Addr, Detail: e.Kind}
			l.dropped[key] = d
		}
		d.Count++
		return
	}
	l.write(&e)
	l.lines++
	// Events are rare outside the bound; flushing each keeps the log
	// complete when the process is killed mid-run.
	if l.err == nil {
		l.err = l.w.Flush()
	}
}

func (l *Log) write(e *Event) {
	if l.err != nil {
		return
	}
	b, err := json.Marshal(e)
	if err != nil {
		l.err = err
		return
	}
	b = append(b, '\n')
	_, l.err = l.w.Write(b)
}

// Close writes the suppressed counts, flushes and closes the file.
func (l *Log) Close() error {
	if l == nil {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, key := range slices.Sorted(maps.Keys(l.dropped)) {
		d := l.dropped[key]
		d.Time = l.now().UTC()
		l.write(d)
	}
	l.dropped = map[string]*Event{}
	if l.over > 0 {
		l.write(&Event{Time: l.now().UTC(), Kind: KindSuppress, Count: l.over, Detail: "log limit"})
		l.over = 0
	}
	if err := l.w.Flush(); l.err == nil {
		l.err = err
	}
	if err := l.f.Close(); l.err == nil {
		l.err = err
	}
	return l.err
}
