package analyzer

import (
	"bytes"
	"sort"
	"unicode/utf8"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/internal/luasrc"
)

// File is a parsed source file with exact positions for its AST nodes
// (luasrc does the lexing, parsing and alignment).
type File struct {
	*luasrc.File
}

// sourceError is a file that cannot be analysed.
type sourceError = luasrc.Error

// loadFile parses src. On failure it returns the partially built File
// (positions usable) and a *sourceError. buf may be nil.
func loadFile(name string, src []byte, buf *buffers) (*File, *sourceError) {
	if buf == nil {
		buf = &buffers{}
	}
	if len(src) > MaxFileSize {
		return &File{luasrc.NewFile(name, src)}, &sourceError{Msg: sizeMessage(len(src))}
	}
	if bytes.HasPrefix(src, []byte("\x1bLJ")) || bytes.HasPrefix(src, []byte("\x1bLua")) {
		return &File{luasrc.NewFile(name, src)}, &sourceError{Msg: "file is precompiled Lua bytecode, which cannot be verified; lint the source instead"}
	}
	f, err := luasrc.Parse(name, src, &buf.src)
	return &File{f}, err
}

// position converts a byte offset to a Position.
func (f *File) position(off int) Position {
	off = min(max(off, 0), len(f.Src))
	line := f.line(off)
	ls := f.LineStarts[line-1]
	return Position{
		Offset:      off,
		Line:        line,
		Column:      off - ls + 1,
		ColumnUTF16: utf16Len(f.Src[ls:off]) + 1,
	}
}

// line returns the 1-based line of a byte offset within the file.
func (f *File) line(off int) int {
	return sort.Search(len(f.LineStarts), func(i int) bool { return f.LineStarts[i] > off })
}

// lineText returns the text of the 1-based line without its line break.
func (f *File) lineText(line int) string {
	if line < 1 || line > len(f.LineStarts) {
		return ""
	}
	s := f.LineStarts[line-1]
	e := len(f.Src)
	if line < len(f.LineStarts) {
		e = f.LineStarts[line] - 1
	}
	if e > s && f.Src[e-1] == '\r' {
		e--
	}
	if e < s {
		e = s
	}
	return string(f.Src[s:e])
}

// utf16Len counts UTF-16 code units; invalid bytes count one unit each, as
// editors that replace them with U+FFFD do.
func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		b = b[size:]
	}
	return n
}

// exprID returns the dense id the aligner gave expression e, or -1.
func exprID(e ast.Expr) int { return luasrc.ExprID(e) }
