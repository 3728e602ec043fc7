package lsp

import (
	"bufio"
	"strconv"
	"strings"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
)

func TestCodecRead(t *testing.T) {
	tests := []struct {
		name, in, want, wantErr string
	}{
		{"plain", "Content-Length: 7\r\n\r\n{\"a\":1}", `1`, ""},
		{"content-type and case", "content-length: 7\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{\"a\":2}", `2`, ""},
		{"bare LF", "Content-Length: 7\n\n{\"a\":3}", `3`, ""},
		{"no length", "Content-Type: x\r\n\r\n{}", "", "without Content-Length"},
		{"huge length refused before reading", "Content-Length: 4294967295\r\n\r\n", "", "above the 64 MiB limit"},
		{"negative", "Content-Length: -1\r\n\r\n", "", "bad Content-Length"},
		{"header line without end", "X-" + strings.Repeat("a", 5000), "", "header line too long"},
		{"malformed header", "nonsense\r\n\r\n", "", "malformed header"},
		{"short body", "Content-Length: 10\r\n\r\n{}", "", "reading a message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v struct{ A int }
			err := codec{}.ReadObject(bufio.NewReader(strings.NewReader(tt.in)), &v)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || strconv.Itoa(v.A) != tt.want {
				t.Errorf("got %+v, %v; want a=%s", v, err, tt.want)
			}
		})
	}
}

func TestCodecWrite(t *testing.T) {
	var b strings.Builder
	if err := (codec{}).WriteObject(&b, map[string]string{"é": "x"}); err != nil {
		t.Fatal(err)
	}
	// Content-Length counts bytes: "é" is two.
	if got, want := b.String(), "Content-Length: 10\r\n\r\n{\"é\":\"x\"}"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestApplyEdit(t *testing.T) {
	tests := []struct {
		name, text string
		r          Range
		newText    string
		want       string
	}{
		{"insert at a line start", "a\nb\n", Range{Position{1, 0}, Position{1, 0}}, "x", "a\nxb\n"},
		{"replace across lines", "abc\ndef\n", Range{Position{0, 1}, Position{1, 2}}, "-", "a-f\n"},
		// "é" is one UTF-16 unit, "😀" two: character 3 is after the emoji.
		{"UTF-16 units", "é😀z", Range{Position{0, 3}, Position{0, 4}}, "Z", "é😀Z"},
		{"past the line end clamps to it", "ab\ncd", Range{Position{0, 99}, Position{0, 99}}, "!", "ab!\ncd"},
		{"past the end clamps to the end", "ab", Range{Position{5, 0}, Position{6, 0}}, "!", "ab!"},
		{"reversed range", "abcd", Range{Position{0, 3}, Position{0, 1}}, "", "ad"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := applyEdit(tt.text, tt.r, tt.newText); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFindingRange(t *testing.T) {
	tests := []struct {
		name       string
		start, end analyzer.Position
		want       Range
	}{
		{"UTF-16 columns, zero-based", analyzer.Position{Line: 2, Column: 9, ColumnUTF16: 7}, analyzer.Position{Line: 2, Column: 20, ColumnUTF16: 18}, Range{Position{1, 6}, Position{1, 17}}},
		{"empty range covers a character", analyzer.Position{Line: 1, ColumnUTF16: 1}, analyzer.Position{Line: 1, ColumnUTF16: 1}, Range{Position{0, 0}, Position{0, 1}}},
		{"zero position stays in the document", analyzer.Position{}, analyzer.Position{}, Range{Position{0, 0}, Position{0, 1}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := analyzer.Finding{Start: tt.start, End: tt.end}
			if got := findingRange(&f); got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestURIPath(t *testing.T) {
	tests := []struct{ uri, want string }{
		{"file:///home/u/load%20test.lua", "/home/u/load test.lua"},
		{"untitled:Untitled-1", ""},
		{"file://%zz", ""},
	}
	for _, tt := range tests {
		if got := uriPath(tt.uri); got != tt.want {
			t.Errorf("uriPath(%q) = %q, want %q", tt.uri, got, tt.want)
		}
	}
}

// TestDiagnosticsRelated: a finding's related locations (WL803's writes, a
// taint source) become the diagnostic's relatedInformation in the same
// document.
func TestDiagnosticsRelated(t *testing.T) {
	s := &server{}
	f := analyzer.Finding{
		RuleID: "WL803", Message: "done() reads n",
		Start: analyzer.Position{Line: 9, ColumnUTF16: 9}, End: analyzer.Position{Line: 9, ColumnUTF16: 10},
		Related: []analyzer.Location{{
			Start: analyzer.Position{Line: 4, ColumnUTF16: 3}, End: analyzer.Position{Line: 4, ColumnUTF16: 12},
			Message: "written in response()",
		}},
	}
	diags := s.diagnostics("file:///s.lua", []analyzer.Finding{f})
	if len(diags) != 1 || len(diags[0].RelatedInformation) != 1 {
		t.Fatalf("diagnostics %+v", diags)
	}
	want := DiagnosticRelatedInformation{
		Location: Location{URI: "file:///s.lua", Range: Range{Position{3, 2}, Position{3, 11}}},
		Message:  "written in response()",
	}
	if got := diags[0].RelatedInformation[0]; got != want {
		t.Errorf("related %+v, want %+v", got, want)
	}
}
