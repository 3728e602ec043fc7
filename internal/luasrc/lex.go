package luasrc

import "fmt"

// TokKind classifies a token of the analyzer's own lexer.
type TokKind uint8

// Kinds of tokens.
const (
	TkEOF TokKind = iota
	TkName
	TkKeyword
	TkString
	TkNumber
	TkOp
)

// Token is one lexical token. Start and End are byte offsets (End
// exclusive). For strings, Value is the decoded text with LuaJIT's escape
// rules; for other tokens it is the source text.
type Token struct {
	Kind  TokKind
	Start int
	End   int
	Value string
}

// Comment is a Lua comment: Start and End cover the whole comment including
// its leading "--"; Text is what follows the "--" (and the long bracket, if
// any).
type Comment struct {
	Start int
	End   int
	Text  string
	Long  bool
}

// LexError is a lexical error at a byte offset.
type LexError struct {
	Offset int
	Msg    string
}

func (e *LexError) Error() string { return e.Msg }

// lexer tokenizes Lua source the way LuaJIT does. It exists because
// gopher-lua's scanner reports no token ends, skips comments and decodes
// escapes the Lua 5.1 way ("\x65" is "x65" there and "e" under LuaJIT, which
// is what wrk runs).
type lexer struct {
	src []byte
	// text is src as one string: token and comment texts are slices of
	// it, which costs one allocation per file instead of one per token.
	text     string
	pos      int
	tokens   []Token
	comments []Comment
	// luajit is set when a token may need parseCopy's rewriting for
	// gopher-lua: a name with bytes >= 0x80, a number that is not plain
	// decimal digits, a short string spanning lines.
	luajit bool
}

// Lex tokenizes src starting at offset start (after a "#!" line). On a
// lexical error it returns the tokens so far and the error.
func Lex(src []byte, start int) ([]Token, []Comment, *LexError) {
	toks, comments, _, err := LexInto(nil, src, start)
	return toks, comments, err
}

// LexInto is Lex appending to buf[:0], a slice kept from an earlier file.
// It also reports whether parseCopy may have anything to rewrite.
func LexInto(buf []Token, src []byte, start int) ([]Token, []Comment, bool, *LexError) {
	lx := &lexer{src: src, text: string(src), pos: start}
	if want := len(src)/4 + 8; cap(buf) < want {
		buf = make([]Token, 0, want)
	}
	lx.tokens = buf[:0]
	err := lx.run()
	lx.tokens = append(lx.tokens, Token{Kind: TkEOF, Start: len(src), End: len(src)})
	return lx.tokens, lx.comments, lx.luajit, err
}

// Character classes of the lexer, looked up in one table: the name loop
// is the lexer's hottest.
const (
	clName  = 1 << iota // may start a name: letters, _, bytes >= 0x80
	clDigit             // 0-9
	clBlank             // space, tab
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80:
			t[c] = clName
		case c >= '0' && c <= '9':
			t[c] = clDigit
		case c == ' ' || c == '\t':
			t[c] = clBlank
		}
	}
	return t
}()

func isNameStart(c byte) bool { return charClass[c]&clName != 0 }

func isNameChar(c byte) bool { return charClass[c]&(clName|clDigit) != 0 }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isHex(c byte) bool {
	return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

func (lx *lexer) peek(off int) byte {
	if lx.pos+off < len(lx.src) {
		return lx.src[lx.pos+off]
	}
	return 0
}

func (lx *lexer) run() *LexError {
	src := lx.src
	for lx.pos < len(src) {
		c := src[lx.pos]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f':
			// Indentation comes in runs.
			p := lx.pos + 1
			for p < len(src) && charClass[src[p]]&clBlank != 0 {
				p++
			}
			lx.pos = p
		case c == '-' && lx.peek(1) == '-':
			if err := lx.comment(); err != nil {
				return err
			}
		case isNameStart(c):
			s, p := lx.pos, lx.pos
			high := false
			for p < len(src) && charClass[src[p]]&(clName|clDigit) != 0 {
				high = high || src[p] >= 0x80
				p++
			}
			if high {
				lx.luajit = true
			}
			lx.pos = p
			kind := TkName
			if isKeyword(src[s:p]) {
				kind = TkKeyword
			}
			lx.tokens = append(lx.tokens, Token{Kind: kind, Start: s, End: p, Value: lx.text[s:p]})
		case isDigit(c) || (c == '.' && isDigit(lx.peek(1))):
			if err := lx.number(); err != nil {
				return err
			}
		case c == '"' || c == '\'':
			if err := lx.shortString(c); err != nil {
				return err
			}
		case c == '[' && (lx.peek(1) == '[' || lx.peek(1) == '='):
			s := lx.pos
			if level, ok := lx.longOpen(); ok {
				text, err := lx.longBody(s, level, "string")
				if err != nil {
					return err
				}
				lx.tokens = append(lx.tokens, Token{Kind: TkString, Start: s, End: lx.pos, Value: text})
			} else {
				lx.op(1)
			}
		default:
			lx.operator(c)
		}
	}
	return nil
}

func (lx *lexer) operator(c byte) {
	switch c {
	case '.', '=', '~', '<', '>', ':', '/':
	default:
		lx.op(1) // cannot start a longer operator
		return
	}
	if lx.pos+3 <= len(lx.src) && string(lx.src[lx.pos:lx.pos+3]) == "..." {
		lx.op(3)
		return
	}
	if lx.pos+2 <= len(lx.src) {
		switch string(lx.src[lx.pos : lx.pos+2]) {
		case "..", "==", "~=", "<=", ">=", "::", "//", ">>", "<<":
			lx.op(2)
			return
		}
	}
	lx.op(1)
}

func (lx *lexer) op(n int) {
	s := lx.pos
	lx.pos += n
	lx.tokens = append(lx.tokens, Token{Kind: TkOp, Start: s, End: lx.pos, Value: lx.text[s:lx.pos]})
}

// isKeyword reports whether a name is one of Lua's reserved words; a switch
// compiles to comparisons, with no hashing and no allocation.
func isKeyword(w []byte) bool {
	switch string(w) {
	case "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
		"in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while":
		return true
	}
	return false
}

// number scans a numeric literal, including LuaJIT's forms (hex floats,
// 0b, ULL/LL/i suffixes); the parser decides later whether it accepts it.
func (lx *lexer) number() *LexError {
	src := lx.src
	s := lx.pos
	for lx.pos < len(src) {
		c := src[lx.pos]
		if (c == 'e' || c == 'E' || c == 'p' || c == 'P') && lx.pos+1 < len(src) && (src[lx.pos+1] == '+' || src[lx.pos+1] == '-') {
			// An exponent sign belongs to the number unless this is a hex
			// literal and 'e' is a digit.
			if !(c == 'e' || c == 'E') || !isHexLiteral(src[s:lx.pos]) {
				lx.pos += 2
				continue
			}
		}
		if isNameChar(c) || c == '.' {
			lx.pos++
			continue
		}
		break
	}
	lit := lx.text[s:lx.pos]
	if plainDecimal(lit) {
		lx.tokens = append(lx.tokens, Token{Kind: TkNumber, Start: s, End: lx.pos, Value: lit})
		return nil
	}
	if !validNumber(lit) {
		// LuaJIT reads the whole run as one number and rejects it
		// ("0function" is not 0 followed by a keyword).
		return &LexError{Offset: s, Msg: fmt.Sprintf("malformed number near '%s'", lit)}
	}
	// Only a number parseCopy rewrites needs the copy: 0x7fffffff or
	// 1e6 are Lua 5.1 numbers too.
	if _, rewrite := luajitNumber(lit); rewrite {
		lx.luajit = true
	}
	lx.tokens = append(lx.tokens, Token{Kind: TkNumber, Start: s, End: lx.pos, Value: lit})
	return nil
}

// plainDecimal reports whether lit is decimal digits with at most one
// point ("42", "99.9", ".5"), a number that Lua 5.1 and LuaJIT read alike.
func plainDecimal(lit string) bool {
	digits, points := 0, 0
	for i := 0; i < len(lit); i++ {
		switch {
		case isDigit(lit[i]):
			digits++
		case lit[i] == '.':
			points++
		default:
			return false
		}
	}
	return digits > 0 && points <= 1
}

func isHexLiteral(b []byte) bool {
	return len(b) >= 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X')
}

func (lx *lexer) shortString(quote byte) *LexError {
	s := lx.pos
	lx.pos++
	end := -1
	for i := lx.pos; i < len(lx.src); i++ {
		c := lx.src[i]
		if c == '\\' {
			i++
			if i >= len(lx.src) {
				break
			}
			switch lx.src[i] {
			case 'z':
				// \z skips the whitespace that follows, newlines included.
				for i+1 < len(lx.src) && isLuaSpace(lx.src[i+1]) {
					i++
					if lx.src[i] == '\n' || lx.src[i] == '\r' {
						lx.luajit = true
					}
				}
			case '\r', '\n':
				lx.luajit = true
				if i+1 < len(lx.src) && (lx.src[i+1] == '\r' || lx.src[i+1] == '\n') && lx.src[i+1] != lx.src[i] {
					i++
				}
			}
			continue
		}
		if c == quote {
			end = i
			break
		}
		if c == '\n' || c == '\r' {
			break
		}
	}
	if end < 0 {
		return &LexError{Offset: s, Msg: "unfinished string"}
	}
	val := lx.text[s+1 : end]
	if hasBackslash(lx.src[s+1 : end]) {
		v, err := DecodeString(lx.src[s+1 : end])
		if err != nil {
			return &LexError{Offset: s + 1 + err.Offset, Msg: err.Msg}
		}
		val = v
	}
	lx.pos = end + 1
	lx.tokens = append(lx.tokens, Token{Kind: TkString, Start: s, End: lx.pos, Value: val})
	return nil
}

// longOpen checks for "[" "="* "[" at the current position; it consumes it
// and returns the level when present.
func (lx *lexer) longOpen() (int, bool) {
	i := lx.pos + 1
	level := 0
	for i < len(lx.src) && lx.src[i] == '=' {
		level++
		i++
	}
	if i < len(lx.src) && lx.src[i] == '[' {
		lx.pos = i + 1
		return level, true
	}
	return 0, false
}

// longBody reads up to the matching "]" "="*level "]" and returns the text
// between the brackets, without a first newline, as Lua does.
func (lx *lexer) longBody(start, level int, what string) (string, *LexError) {
	src := lx.src
	i := lx.pos
	if i < len(src) && src[i] == '\r' {
		i++
		if i < len(src) && src[i] == '\n' {
			i++
		}
	} else if i < len(src) && src[i] == '\n' {
		i++
		if i < len(src) && src[i] == '\r' {
			i++
		}
	}
	bodyStart := i
	for ; i < len(src); i++ {
		if src[i] != ']' {
			continue
		}
		j := i + 1
		n := 0
		for j < len(src) && src[j] == '=' {
			n++
			j++
		}
		if n == level && j < len(src) && src[j] == ']' {
			lx.pos = j + 1
			return lx.text[bodyStart:i], nil
		}
	}
	return "", &LexError{Offset: start, Msg: fmt.Sprintf("unfinished long %s", what)}
}

func (lx *lexer) comment() *LexError {
	s := lx.pos
	lx.pos += 2
	if lx.peek(0) == '[' {
		if level, ok := lx.longOpen(); ok {
			text, err := lx.longBody(s, level, "comment")
			if err != nil {
				return err
			}
			lx.comments = append(lx.comments, Comment{Start: s, End: lx.pos, Text: text, Long: true})
			return nil
		}
	}
	for lx.pos < len(lx.src) && lx.src[lx.pos] != '\n' && lx.src[lx.pos] != '\r' {
		lx.pos++
	}
	lx.comments = append(lx.comments, Comment{Start: s, End: lx.pos, Text: lx.text[s+2 : lx.pos]})
	return nil
}
