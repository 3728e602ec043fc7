package audit

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

func readEvents(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
		}
		out = append(out, m)
	}
	return out
}

func TestLog(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	l.Record(Event{Time: at, Kind: KindEnv, Hook: "init()", Thread: 1, At: "s.lua:3", Name: "API_TOKEN", Allowed: Allowed(true)})
	l.Record(Event{Kind: KindFile, Hook: "top level", At: "s.lua:1", Path: "/etc/passwd", Mode: "r", Allowed: Allowed(false)})
	for range perKey + 5 {
		l.Record(Event{Kind: KindRedaction, Hook: "response()", Thread: 2, At: "s.lua:9", Count: 1})
	}
	// The file is complete before Close: events are flushed as they come.
	if n := len(readEvents(t, path)); n != 2+perKey {
		t.Errorf("%d lines before Close, want %d", n, 2+perKey)
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	ev := readEvents(t, path)
	if len(ev) != 3+perKey {
		t.Fatalf("%d lines, want %d", len(ev), 3+perKey)
	}
	first := ev[0]
	if first["time"] != "2026-01-02T02:04:05Z" || first["event"] != "env" || first["name"] != "API_TOKEN" ||
		first["allowed"] != true || first["hook"] != "init()" || first["at"] != "s.lua:3" || first["thread"] != 1.0 {
		t.Errorf("env event = %v", first)
	}
	if _, ok := first["value"]; ok {
		t.Error("an env event has a value")
	}
	if ev[1]["allowed"] != false || ev[1]["mode"] != "r" {
		t.Errorf("denied file event = %v", ev[1])
	}
	last := ev[len(ev)-1]
	if last["event"] != "suppressed" || last["detail"] != "redaction" || last["count"] != 5.0 || last["at"] != "s.lua:9" {
		t.Errorf("suppressed summary = %v", last)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
}

func TestCreatePrivateTightensExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "out.json")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := CreatePrivate(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 || info.Size() != 0 {
		t.Errorf("mode %v size %d, want 0600 and truncated", info.Mode().Perm(), info.Size())
	}
	if _, err := Create(filepath.Join(t.TempDir(), "missing", "a.jsonl")); err == nil || !strings.Contains(err.Error(), "no such file") {
		t.Errorf("Create in a missing directory: %v", err)
	}
}

// The whole log is bounded, whatever the call sites.
func TestLogLimit(t *testing.T) {
	var buf strings.Builder
	l := New(nopCloser{&buf})
	for i := range maxLines + 7 {
		l.Record(Event{Kind: KindFile, At: "s.lua:1", Path: "f" + strconv.Itoa(i), Allowed: Allowed(false)})
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != maxLines+1 || !strings.Contains(lines[len(lines)-1], `"count":7,"detail":"log limit"`) {
		t.Errorf("%d lines, last %q", len(lines), lines[len(lines)-1])
	}
	if len(l.seen) > maxLines {
		t.Errorf("%d keys tracked", len(l.seen))
	}
}

type nopCloser struct{ *strings.Builder }

func (nopCloser) Close() error { return nil }

func TestNilLog(t *testing.T) {
	var l *Log
	l.Record(Event{Kind: KindEnv})
	if err := l.Close(); err != nil {
		t.Error(err)
	}
}
