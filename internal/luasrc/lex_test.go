package luasrc

import (
	"strings"
	"testing"
)

func TestDecodeLuaJITString(t *testing.T) {
	tests := []struct {
		name, body, want string
		wantErr          bool
	}{
		{"plain", `execute`, "execute", false},
		{"hex", `\x65xecute`, "execute", false},
		{"hex upper", `\x4F\x53`, "OS", false},
		{"decimal", `\101xecute`, "execute", false},
		{"decimal short", `\65\066\0677`, "ABC7", false},
		{"unicode", `\u{65}xecute`, "execute", false},
		{"unicode two bytes", `\u{E9}`, "\xc3\xa9", false},
		{"unicode surrogate kept", `\u{D800}`, "\xed\xa0\x80", false},
		{"z skips whitespace", "exe\\z  \n\t cute", "execute", false},
		{"escaped newline", "a\\\nb", "a\nb", false},
		{"escaped crlf is one newline", "a\\\r\nb", "a\nb", false},
		{"simple escapes", `\a\b\f\n\r\t\v\\\"\'`, "\a\b\f\n\r\t\v\\\"'", false},
		{"bad hex", `\x6`, "", true},
		{"bad hex digit", `\xg0`, "", true},
		{"decimal too big", `\256`, "", true},
		{"unknown escape", `\q`, "", true},
		{"unicode unterminated", `\u{65`, "", true},
		{"unicode without brace", `\u65`, "", true},
		{"unicode too large", `\u{80000000}`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeString([]byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("error = %v, want error %v", err, tt.wantErr)
			}
			if err == nil && got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLexTokens(t *testing.T) {
	tests := []struct {
		name   string
		src    string
		values []string
		kinds  []TokKind
	}{
		{"names and ops", `local x=a..b`, []string{"local", "x", "=", "a", "..", "b"}, []TokKind{TkKeyword, TkName, TkOp, TkName, TkOp, TkName}},
		{"long string levels", "s = [==[a]]b]==]", []string{"s", "=", "a]]b"}, []TokKind{TkName, TkOp, TkString}},
		{"long string skips first newline", "s = [[\nab]]", []string{"s", "=", "ab"}, []TokKind{TkName, TkOp, TkString}},
		{"comment is not a token", "a -- os.execute\nb", []string{"a", "b"}, []TokKind{TkName, TkName}},
		{"long comment", "a --[==[ ]] io.popen ]==] b", []string{"a", "b"}, []TokKind{TkName, TkName}},
		{"string hides comment", `s = "-- not a comment" x`, []string{"s", "=", "-- not a comment", "x"}, []TokKind{TkName, TkOp, TkString, TkName}},
		{"luajit numbers", `0x1p4 10ULL 0b101 1e-3 0xFFi`, []string{"0x1p4", "10ULL", "0b101", "1e-3", "0xFFi"}, []TokKind{TkNumber, TkNumber, TkNumber, TkNumber, TkNumber}},
		{"varargs and method", `f(...):m()`, []string{"f", "(", "...", ")", ":", "m", "(", ")"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks, _, err := Lex([]byte(tt.src), 0)
			if err != nil {
				t.Fatalf("lex error: %v", err)
			}
			toks = toks[:len(toks)-1] // EOF
			if len(toks) != len(tt.values) {
				t.Fatalf("got %d tokens %v, want %d", len(toks), toks, len(tt.values))
			}
			for i, tok := range toks {
				if tok.Value != tt.values[i] {
					t.Errorf("token %d = %q, want %q", i, tok.Value, tt.values[i])
				}
				if tt.kinds != nil && tok.Kind != tt.kinds[i] {
					t.Errorf("token %d kind = %d, want %d", i, tok.Kind, tt.kinds[i])
				}
			}
		})
	}
}

func TestLexComments(t *testing.T) {
	src := "x = 1 -- wrklint:ignore WL101 -- reason\n--[[ long\ncomment ]] y = '--'"
	_, comments, err := Lex([]byte(src), 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(comments) != 2 {
		t.Fatalf("got %d comments, want 2: %+v", len(comments), comments)
	}
	if comments[0].Text != " wrklint:ignore WL101 -- reason" || comments[0].Long {
		t.Errorf("first comment = %+v", comments[0])
	}
	if comments[1].Text != " long\ncomment " || !comments[1].Long {
		t.Errorf("second comment = %+v", comments[1])
	}
}

func TestLexErrors(t *testing.T) {
	for _, src := range []string{`x = "abc`, "x = 'a\nb'", `x = [[abc`, `--[[ never closed`, `x = "\xZZ"`} {
		if _, _, err := Lex([]byte(src), 0); err == nil {
			t.Errorf("Lex(%q): no error", src)
		}
	}
}

func TestParseCopyKeepsOffsets(t *testing.T) {
	src := []byte("local é, ê = 0x1p4, 7LL -- c\nlocal s = \"a\\z\n b\"")
	toks, _, err := Lex(src, 0)
	if err != nil {
		t.Fatal(err)
	}
	out, ok := parseCopy(src, 0, toks)
	if !ok {
		t.Fatal("parseCopy failed")
	}
	if len(out) != len(src) || strings.Count(string(out), "\n") != strings.Count(string(src), "\n") {
		t.Fatalf("offsets moved:\n%q\n%q", src, out)
	}
	for _, bad := range []string{"é", "ê", "0x1p4", "7LL"} {
		if strings.Contains(string(out), bad) {
			t.Errorf("rewrite kept %q: %q", bad, out)
		}
	}
	if !strings.Contains(string(out), "16   ") {
		t.Errorf("hex float not rewritten to its value: %q", out)
	}
}
