package analyzer

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// maxSyntaxLevel is LuaJIT's LJ_MAX_XLEVEL: deeper nesting is rejected by
// LuaJIT ("chunk has too many syntax levels"), so such a script cannot run
// under wrk and need not be analysed. Checking it before parsing also keeps
// hostile input (100k nested parentheses) cheap.
const maxSyntaxLevel = 200

// maxTreeDepth bounds recursion over the AST (long chains of binary
// operators nest without brackets).
const maxTreeDepth = 5000

// File is a parsed source file with exact positions for its AST nodes.
type File struct {
	Name  string
	Src   []byte
	Chunk []ast.Stmt

	lineStarts []int
	tokens     []token
	comments   []comment
	// spans holds every expression's tokens, indexed by the expression's
	// id (see exprID); strs the LuaJIT-decoded value of every string
	// literal, and the name of every key written as a name (a.b, {b = 1}),
	// by the same id.
	spans []span
	strs  []string
	// localFuncs holds the "local function f" statements, which the AST
	// does not tell from "local f = function".
	localFuncs map[*ast.LocalAssignStmt]bool
}

// span is a range of tokens, first and last inclusive.
type span struct{ first, last int }

// sourceError is a file that cannot be analysed, with the byte offset to
// report WL001 at.
type sourceError struct {
	Offset int
	End    int
	Msg    string
}

func (e *sourceError) Error() string { return e.Msg }

// utf8BOM is the byte order mark LuaJIT's lexer skips at the start of a chunk.
const utf8BOM = "\xef\xbb\xbf"

// loadFile parses src. On failure it returns the partially built File
// (positions usable) and a *sourceError. buf may be nil.
func loadFile(name string, src []byte, buf *buffers) (*File, *sourceError) {
	if buf == nil {
		buf = &buffers{}
	}
	f := &File{Name: name, Src: src}
	f.lineStarts = lineStarts(src)
	if len(src) > MaxFileSize {
		return f, &sourceError{Msg: sizeMessage(len(src))}
	}
	if bytes.HasPrefix(src, []byte("\x1bLJ")) || bytes.HasPrefix(src, []byte("\x1bLua")) {
		return f, &sourceError{Msg: "file is precompiled Lua bytecode, which cannot be verified; lint the source instead"}
	}
	// LuaJIT skips a UTF-8 byte order mark, then a first line starting
	// with '#' (a "#!" line); editors on Windows save scripts with both.
	start := 0
	if bytes.HasPrefix(src, []byte(utf8BOM)) {
		start = len(utf8BOM)
	}
	if len(src) > start && src[start] == '#' {
		if nl := bytes.IndexByte(src[start:], '\n'); nl >= 0 {
			start += nl
		} else {
			start = len(src)
		}
	}
	toks, comments, luajit, lerr := lexInto(buf.tokens, src, start)
	f.tokens, f.comments = toks, comments
	if lerr != nil {
		return f, &sourceError{Offset: lerr.Offset, Msg: lerr.Msg}
	}
	match, serr := matchTokens(toks, buf.match)
	if serr != nil {
		return f, serr
	}
	buf.match = keep(match, buf.match)

	parseSrc := src
	if start > 0 || luajit {
		var ok bool
		if parseSrc, ok = parseCopy(src, start, toks); !ok {
			return f, &sourceError{Msg: "too many distinct non-ASCII identifiers to analyse"}
		}
	}
	chunk, err := parse.Parse(buf.reader(parseSrc), name)
	if err != nil {
		return f, f.parseError(err)
	}
	f.Chunk = chunk
	if aerr := f.align(match, buf); aerr != nil {
		return f, aerr
	}
	return f, nil
}

// parseError converts gopher-lua's error to a position. Its column is the
// end of the offending token; the token that ends there is what we report.
func (f *File) parseError(err error) *sourceError {
	var perr *parse.Error
	if !errors.As(err, &perr) {
		return &sourceError{Offset: 0, Msg: fmt.Sprintf("cannot parse: %v", err)}
	}
	msg := perr.Message
	if perr.Token != "" {
		msg = fmt.Sprintf("%s near '%s'", perr.Message, perr.Token)
	}
	if perr.Pos.Line < 1 || perr.Pos.Line > len(f.lineStarts) {
		// "at EOF": point at the last token.
		off := len(f.Src)
		if n := len(f.tokens); n >= 2 {
			off = f.tokens[n-2].Start
			return &sourceError{Offset: off, End: f.tokens[n-2].End, Msg: msg + " at end of file"}
		}
		return &sourceError{Offset: off, Msg: msg + " at end of file"}
	}
	lineStart := f.lineStarts[perr.Pos.Line-1]
	endOff := lineStart + perr.Pos.Column
	// Find the token that ends at (or contains) that offset on that line.
	i := sort.Search(len(f.tokens), func(i int) bool { return f.tokens[i].End >= endOff })
	if i < len(f.tokens) && f.tokens[i].Kind != tkEOF && f.tokens[i].Start < endOff+1 {
		return &sourceError{Offset: f.tokens[i].Start, End: f.tokens[i].End, Msg: msg}
	}
	off := endOff - 1
	if off < lineStart {
		off = lineStart
	}
	if off > len(f.Src) {
		off = len(f.Src)
	}
	return &sourceError{Offset: off, Msg: msg}
}

func lineStarts(src []byte) []int {
	// bytes.Count and bytes.IndexByte scan many bytes per instruction.
	starts := make([]int, 1, bytes.Count(src, []byte{'\n'})+1)
	for off := 0; ; {
		i := bytes.IndexByte(src[off:], '\n')
		if i < 0 {
			return starts
		}
		off += i + 1
		starts = append(starts, off)
	}
}

// position converts a byte offset to a Position.
func (f *File) position(off int) Position {
	off = min(max(off, 0), len(f.Src))
	line := f.line(off)
	ls := f.lineStarts[line-1]
	return Position{
		Offset:      off,
		Line:        line,
		Column:      off - ls + 1,
		ColumnUTF16: utf16Len(f.Src[ls:off]) + 1,
	}
}

// line returns the 1-based line of a byte offset within the file.
func (f *File) line(off int) int {
	return sort.Search(len(f.lineStarts), func(i int) bool { return f.lineStarts[i] > off })
}

// lineText returns the text of the 1-based line without its line break.
func (f *File) lineText(line int) string {
	if line < 1 || line > len(f.lineStarts) {
		return ""
	}
	s := f.lineStarts[line-1]
	e := len(f.Src)
	if line < len(f.lineStarts) {
		e = f.lineStarts[line] - 1
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
//
// The id lives in the node's LastLine field: gopher-lua sets it only on
// function expressions and statements, for debug information of compiled
// code, and wrklint never compiles. Keeping per-node data in slices
// indexed by it instead of maps keyed by interface values saves a tenth of
// the analysis time.
func exprID(e ast.Expr) int {
	if e == nil {
		return -1
	}
	return e.LastLine() - 1
}
