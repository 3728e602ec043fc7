package peval

import (
	"bytes"
	"strings"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/internal/lualib"
	"github.com/wrklint/wrklint/internal/luasrc"
)

// isDecoder reports whether name is a library function a script decodes
// a hidden string with: byte and character maps, reversal, substitution,
// bit operations, number bases. A switch, not a map: MayDecode asks it of
// every name in a file.
func isDecoder(name string) bool {
	switch name {
	case "char", "byte", "reverse", "gsub", "gmatch", "sub", "rep",
		"bxor", "band", "bor", "bnot", "lshift", "rshift", "arshift",
		"rol", "ror", "bswap", "tohex", "tobit", "tonumber", "concat":
		return true
	}
	return false
}

// MayDecode is a necessary condition for Worth read from the lexer's
// tokens (src is the source they index), cheaper than Worth's walk of the
// tree and false for most files. A call Worth counts as decoding names its
// function with a name or a string key, so one token is that name (for a
// string key, as gopher-lua decodes it), or it is a method call :set(...)
// with a string literal among its arguments.
func MayDecode(toks []luasrc.Token, src []byte) bool {
	for i, t := range toks {
		switch t.Kind {
		case luasrc.TkName:
			if isDecoder(t.Value) || t.Value == "set" && methodCallWithString(toks, i) {
				return true
			}
		case luasrc.TkString:
			if isDecoder(t.Value) || isDecoder(parserValue(src[t.Start:t.End], t.Value)) {
				return true
			}
		}
	}
	return false
}

// methodCallWithString reports whether the name at toks[i] is the method
// of a call x:name(...) whose arguments hold a string literal.
func methodCallWithString(toks []luasrc.Token, i int) bool {
	if i == 0 || i+1 >= len(toks) || toks[i-1].Value != ":" || toks[i+1].Value != "(" {
		return false
	}
	depth := 0
	for _, t := range toks[i+1:] {
		switch {
		case t.Kind == luasrc.TkString:
			return true
		case t.Kind != luasrc.TkOp:
		case t.Value == "(" || t.Value == "{" || t.Value == "[":
			depth++
		case t.Value == ")" || t.Value == "}" || t.Value == "]":
			if depth--; depth == 0 {
				return false
			}
		}
	}
	return false
}

// parserValue is the value gopher-lua's parser gives a short string
// literal with escapes (the Lua 5.1 way: an unknown escape is the
// character itself, a decimal escape is taken modulo 256), when it is short
// enough to be a function's name; otherwise the lexer's value. Names are
// at most 8 bytes, and an escape is at most 4.
func parserValue(raw []byte, lexed string) string {
	if len(raw) < 2 || raw[0] != '"' && raw[0] != '\'' || len(raw) > 2+4*8 || bytes.IndexByte(raw, '\\') < 0 {
		return lexed
	}
	var out []byte
	body := raw[1 : len(raw)-1]
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 == len(body) {
			out = append(out, c)
			continue
		}
		i++
		switch e := body[i]; {
		case e >= '0' && e <= '9':
			v := int(e - '0')
			for n := 0; n < 2 && i+1 < len(body) && body[i+1] >= '0' && body[i+1] <= '9'; n++ {
				i++
				v = v*10 + int(body[i]-'0')
			}
			out = append(out, byte(v))
		case strings.IndexByte("abfnrtv\\\"'\n\r", e) >= 0:
			return "" // a control or quote character: no name
		default:
			out = append(out, e)
		}
	}
	return string(out)
}

// Worth reports whether evaluating chunk could find a secret that static
// folding cannot: the script calls a decoding function and holds
// something to decode — a long unbroken literal or a table of numbers.
// Most scripts have neither, and skip the cost of a Lua state.
func Worth(chunk []ast.Stmt) bool {
	g := &gate{}
	w := &walker{f: func(s *ast.StringExpr) {
		if !g.blob && encodedLooking(s.Value) {
			g.blob = true
		}
	}, call: g.visitCall, table: g.visitTable}
	w.stmts(chunk)
	return g.blob && g.decoder
}

type gate struct{ blob, decoder bool }

// encodedLooking reports whether a literal looks like encoded data rather
// than a path, a header or a sentence: at least 8 bytes that are neither
// printable ASCII nor line breaks (escapes), or a long run of letters and
// digits mixed (base64, hex, a shuffled alphabet, password punctuation
// allowed) with at most two spaces
// ("Bearer ..." reversed) that does not start like a path.
func encodedLooking(v string) bool {
	if len(v) < 8 {
		return false // fewer than 8 bytes of either kind
	}
	letters, digits, spaces, binary := 0, 0, 0, 0
	other := false
	for i := 0; i < len(v); i++ {
		c := v[i]
		switch {
		case c == '\n' || c == '\r' || c == '\t':
			other = true
		case c < 0x20 || c >= 0x7f:
			binary++
		case c >= '0' && c <= '9':
			digits++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		case c == ' ':
			spaces++
		case strings.IndexByte("+/=_-.~!#$&*@^?", c) < 0:
			// Password punctuation (!#$&*@^?) belongs to secrets and
			// substitution alphabets; anything else marks prose, paths,
			// JSON or formats.
			other = true
		}
	}
	if binary >= 8 {
		return true
	}
	return !other && binary == 0 && spaces <= 2 && len(v) >= 12 && v[0] != '/' && letters >= 4 && digits >= 2
}

func (g *gate) visitCall(c *ast.FuncCallExpr) {
	if g.decoder {
		return
	}
	name := c.Method
	switch f := c.Func.(type) {
	case *ast.AttrGetExpr:
		if k, ok := f.Key.(*ast.StringExpr); ok {
			name = k.Value
		}
	case *ast.IdentExpr:
		name = f.Value
	}
	// tonumber decodes only with a base (tonumber(x, 16)); thread:set of
	// a literal hands a piece to other hooks as a global, which static
	// folding does not follow (thread:set("id", counter) hands nothing).
	if isDecoder(name) || name == "tonumber" && len(c.Args) == 2 || c.Method == "set" && len(c.Args) == 2 && holdsLiteral(c.Args[1]) {
		g.decoder = true
	}
}

// holdsLiteral reports whether e is a string literal or a concatenation
// with one.
func holdsLiteral(e ast.Expr) bool {
	for {
		switch x := e.(type) {
		case *ast.StringExpr:
			return true
		case *ast.StringConcatOpExpr:
			if holdsLiteral(x.Lhs) {
				return true
			}
			e = x.Rhs
		default:
			return false
		}
	}
}

func (g *gate) visitTable(t *ast.TableExpr) {
	if g.blob {
		return
	}
	numbers, packed, pieces, piecesLen := 0, 0, 0, 0
	for _, f := range t.Fields {
		switch v := f.Value.(type) {
		case *ast.NumberExpr:
			if f.Key == nil {
				numbers++
				if packedBytes(v.Value) {
					packed++
				}
			}
		case *ast.StringExpr:
			// Fragments of one token, joined in some order at run time:
			// short runs of letters and digits without spaces or paths.
			if fragmentLooking(v.Value) {
				pieces++
				piecesLen += len(v.Value)
			}
		}
	}
	if numbers >= 8 || packed >= 3 || pieces >= 3 && piecesLen >= 16 {
		g.blob = true
	}
}

// packedBytes reports whether a number literal is an integer that holds
// three or four bytes (2^24 up to 2^32): text packed four characters to a
// number, which ordinary lists (status codes, percentiles, sizes) are not.
func packedBytes(lit string) bool {
	n, ok := lualib.ParseNumber(lit) // decimal or hexadecimal (0x50397821), as Lua reads it
	return ok && n >= 1<<24 && n < 1<<32 && n == float64(int64(n))
}

// fragmentLooking reports whether a literal could be a piece of a token:
// 2 to 64 bytes of letters, digits and the punctuation tokens use, mixing
// letters with digits or cases ("x7pQ", "ghp_"), unlike the words and
// names of ordinary lists ({"browse", "search"}, {"GET", "POST"}).
func fragmentLooking(v string) bool {
	if len(v) < 2 || len(v) > 64 || v[0] == '/' {
		// A path ("/api/v2/users"), as encodedLooking judges a whole
		// literal: lists of request paths are what scripts hold most.
		return false
	}
	var digit, lower, upper, mark bool
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c == '_':
			mark = true
		case strings.IndexByte("+/=-.~", c) < 0:
			return false
		}
	}
	letter := lower || upper
	return digit && letter || lower && upper || mark && letter
}
