// Package luasrc turns Lua source into what the analyzer works on: tokens
// lexed as LuaJIT lexes them (string escapes decoded the LuaJIT way,
// LuaJIT-only number forms and names accepted), source rewritten where
// gopher-lua's Lua 5.1 parser would refuse LuaJIT syntax, gopher-lua's AST,
// and every expression aligned with its exact tokens. It knows nothing of
// rules or values.
package luasrc

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"sort"

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

	LineStarts []int
	Tokens     []Token
	Comments   []Comment
	// Spans holds every expression's tokens, indexed by the expression's
	// id (see ExprID); Strs the LuaJIT-decoded value of every string
	// literal, and the name of every key written as a name (a.b, {b = 1}),
	// by the same id.
	Spans []Span
	Strs  []string
	// LocalFuncs holds the "local function f" statements, which the AST
	// does not tell from "local f = function".
	LocalFuncs map[*ast.LocalAssignStmt]bool
}

// Span is a range of tokens, First and Last inclusive.
type Span struct{ First, Last int }

// Error is a file that cannot be analysed, with the byte offset (and end,
// when known) to report it at.
type Error struct {
	Offset int
	End    int
	Msg    string
}

func (e *Error) Error() string { return e.Msg }

// Buffers are slices one caller reuses from one file to the next, and the
// parser's reader. The zero value is ready to use.
type Buffers struct {
	Tokens []Token
	Match  []int32
	Spans  []Span
	Strs   []string
	src    bytes.Reader
	br     *bufio.Reader
}

// reader returns a buffered reader of src for the parser.
func (b *Buffers) reader(src []byte) *bufio.Reader {
	b.src.Reset(src)
	if b.br == nil {
		b.br = bufio.NewReaderSize(&b.src, parserBufSize)
	} else {
		b.br.Reset(&b.src)
	}
	return b.br
}

// parserBufSize is the buffer size gopher-lua's scanner asks for, so that
// it uses our reader as it is instead of allocating one.
const parserBufSize = 4096

// maxKeptLen bounds the slices kept: the buffers of an exceptionally large
// file are left to the garbage collector rather than held.
const maxKeptLen = 1 << 16

// NewFile returns a File for src with its lines counted and nothing parsed,
// for errors found before parsing.
func NewFile(name string, src []byte) *File {
	return &File{Name: name, Src: src, LineStarts: LineStarts(src)}
}

// utf8BOM is the byte order mark LuaJIT's lexer skips at the start of a chunk.
const utf8BOM = "\xef\xbb\xbf"

// Parse lexes, parses and aligns src. On failure it returns the partially
// built File (positions usable) and an *Error. buf may be nil.
func Parse(name string, src []byte, buf *Buffers) (*File, *Error) {
	if buf == nil {
		buf = &Buffers{}
	}
	f := NewFile(name, src)
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
	toks, comments, luajit, lerr := LexInto(buf.Tokens, src, start)
	f.Tokens, f.Comments = toks, comments
	if lerr != nil {
		return f, &Error{Offset: lerr.Offset, Msg: lerr.Msg}
	}
	match, serr := matchTokens(toks, buf.Match)
	if serr != nil {
		return f, serr
	}
	buf.Match = keep(match, buf.Match)

	parseSrc := src
	if start > 0 || luajit {
		var ok bool
		if parseSrc, ok = parseCopy(src, start, toks); !ok {
			return f, &Error{Msg: "too many distinct non-ASCII identifiers to analyse"}
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

// Keep stores the slices of f in buf for the next file.
func (b *Buffers) Keep(f *File) {
	if f != nil {
		b.Tokens, b.Spans, b.Strs = keep(f.Tokens, b.Tokens), keep(f.Spans, b.Spans), keep(f.Strs, b.Strs)
	}
}

// parseError converts gopher-lua's error to a position. Its column is the
// end of the offending token; the token that ends there is what we report.
func (f *File) parseError(err error) *Error {
	var perr *parse.Error
	if !errors.As(err, &perr) {
		return &Error{Offset: 0, Msg: fmt.Sprintf("cannot parse: %v", err)}
	}
	msg := perr.Message
	if perr.Token != "" {
		msg = fmt.Sprintf("%s near '%s'", perr.Message, perr.Token)
	}
	if perr.Pos.Line < 1 || perr.Pos.Line > len(f.LineStarts) {
		// "at EOF": point at the last token.
		off := len(f.Src)
		if n := len(f.Tokens); n >= 2 {
			off = f.Tokens[n-2].Start
			return &Error{Offset: off, End: f.Tokens[n-2].End, Msg: msg + " at end of file"}
		}
		return &Error{Offset: off, Msg: msg + " at end of file"}
	}
	lineStart := f.LineStarts[perr.Pos.Line-1]
	endOff := lineStart + perr.Pos.Column
	// Find the token that ends at (or contains) that offset on that line.
	i := sort.Search(len(f.Tokens), func(i int) bool { return f.Tokens[i].End >= endOff })
	if i < len(f.Tokens) && f.Tokens[i].Kind != TkEOF && f.Tokens[i].Start < endOff+1 {
		return &Error{Offset: f.Tokens[i].Start, End: f.Tokens[i].End, Msg: msg}
	}
	off := endOff - 1
	if off < lineStart {
		off = lineStart
	}
	if off > len(f.Src) {
		off = len(f.Src)
	}
	return &Error{Offset: off, Msg: msg}
}

// LineStarts returns the byte offset of every line of src.
func LineStarts(src []byte) []int {
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

// ExprID returns the dense id the aligner gave expression e, or -1.
//
// The id lives in the node's LastLine field: gopher-lua sets it only on
// function expressions and statements, for debug information of compiled
// code, and wrklint never compiles. Keeping per-node data in slices
// indexed by it instead of maps keyed by interface values saves a tenth of
// the analysis time.
func ExprID(e ast.Expr) int {
	if e == nil {
		return -1
	}
	return e.LastLine() - 1
}

// reuse returns s emptied, with room for n elements.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
}

// keep returns s for reuse (old if the caller stopped before making s), or
// nil when it is too large to keep.
func keep[T any](s, old []T) []T {
	switch {
	case s == nil:
		return old
	case cap(s) > maxKeptLen:
		return nil
	}
	return s[:0]
}
