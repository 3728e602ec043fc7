package rules

import (
	"bytes"
	"context"

	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/internal/credential"
	"github.com/wrklint/wrklint/internal/peval"
)

// HardcodedSecret is WL601.
var HardcodedSecret = &analyzer.Rule{
	ID:        "WL601",
	Name:      "HardcodedSecret",
	Level:     analyzer.LevelError,
	CWE:       798,
	Title:     "Do not hard-code credentials in scripts",
	Precision: "high",
	Bad:       "wrk.headers[\"Authorization\"] = \"Bearer 9f8e7d6c5b4a39281716151413121110\"\n",
	Good:      "wrk.headers[\"Authorization\"] = \"Bearer \" .. os.getenv(\"BENCH_TOKEN\")\n",
	Description: "A string that is wholly constant holds a credential: an Authorization, Cookie or API-key header " +
		"value, a known token format (JWT, AWS access key, GitHub, Slack, Google, Stripe, private key), a Bearer or " +
		"Basic credential, or a password, secret, token or API-key field with a literal value, found alike in form-encoded " +
		"(password=...&), JSON (\"password\": \"...\") and XML (<password>...</password>) bodies — also when the script " +
		"decodes it itself: a literal that holds one reversed, ROT13-, hex- or base64-encoded, the folded result of string " +
		"functions on constants (form:reverse(), string.char(...)) where wrk sends it (a header or field set to it, a body, path or " +
		"wrk.format argument built with it), or a table of byte values as is, XOR-ed or shifted by a " +
		"constant, or what the script's own code computes from its constants and hands to wrk (a decoder loop, a substitution " +
		"table, pieces joined in hooks), found by running the script in a bounded sandbox without libraries that reach " +
		"outside (a value thread:set hands to the threads is a global there, as in wrk; require of bit, string, table or math " +
		"and os.date of a given time in UTC answer as in LuaJIT), twice with different run-time " +
		"inputs, and keeping only what both runs agree on: a whole value, or the runs of whole tokens both share around " +
		"run-time values (a random id, a timestamp). " +
		"Scripts are committed and shared; credentials in them leak.",
	Help: "Take credentials from the environment at run time and allow that variable:\n\n" +
		"```lua\nwrk.headers[\"Authorization\"] = \"Bearer \" .. os.getenv(\"BENCH_TOKEN\")\n```\n\n" +
		"```yaml\nallow:\n  env: [BENCH_TOKEN]\n```\n\n" +
		"Not reported: placeholders (`${TOKEN}`, `{{password}}`, `<token>`, `%s`, `changeme`, `xxx`, `user`, `FakeCookie`), a literal joined to a run-time value " +
		"(`\"Bearer \" .. token`), format templates (`string.format(\"password%d\", i)`), and synthetic values such as `password123`.",
	Run: runHardcodedSecret,
}

// literalOnly reports whether e is built from literals alone (a literal,
// or a concatenation of literals).
func literalOnly(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.StringExpr, *ast.NumberExpr:
		return true
	case *ast.StringConcatOpExpr:
		return literalOnly(e.Lhs) && literalOnly(e.Rhs)
	}
	return false
}

func runHardcodedSecret(pass *analyzer.Pass) error {
	reported := map[ast.Expr]bool{}
	report := func(e ast.Expr, what string) {
		if reported[e] {
			return
		}
		reported[e] = true
		pass.Reportf(e, "hard-coded %s: take it from the environment at run time instead", what)
	}
	for _, ref := range pass.Refs() {
		switch e := ref.Expr.(type) {
		case *ast.StringExpr:
			if c, ok := ref.Parent.(*ast.StringConcatOpExpr); ok && literalOnly(c) {
				continue // checked as part of the whole constant
			}
		case *ast.StringConcatOpExpr:
			if !literalOnly(e) {
				continue
			}
			if c, ok := ref.Parent.(*ast.StringConcatOpExpr); ok && literalOnly(c) {
				continue
			}
		default:
			continue
		}
		s, ok := pass.Values(ref.Expr).ConstString()
		if !ok {
			// Too long to fold whole: each literal is still checked.
			checkLiterals(pass, ref.Expr, report)
			continue
		}
		if what := pass.Credential(ref.Expr, s); what != "" {
			report(ref.Expr, what)
		}
	}
	// Constants the script decodes itself with string functions that fold
	// (form:reverse(), string.char(...), gsub with constants): reported at
	// the literal they come from when there is one.
	for _, ref := range pass.Refs() {
		c, ok := ref.Expr.(*ast.FuncCallExpr)
		if !ok {
			continue
		}
		s, ok := pass.Values(c).ConstString()
		if !ok || len(s) < 8 {
			continue
		}
		what := pass.Credential(c, s)
		if what == "" {
			continue
		}
		at := ast.Expr(c)
		src := c.Receiver
		if src == nil && len(c.Args) > 0 {
			src = c.Args[0]
		}
		if src != nil {
			if lit, ok := pass.Origin(src).(*ast.StringExpr); ok {
				at = lit
			}
		}
		report(at, what)
	}
	// Credentials kept as tables of byte values and decoded by the script
	// (string.char over a table, with XOR or a shift).
	for _, ref := range pass.Refs() {
		if t, ok := ref.Expr.(*ast.TableExpr); ok {
			if b, ok := byteTable(pass, t); ok {
				if what := credential.FindInBytes(b); what != "" {
					report(t, what)
				}
			}
		}
	}
	// Credential-bearing fields and headers set to a constant:
	// wrk.headers["X-API-Key"] = "...", {password = "..."}.
	for _, st := range pass.Stores() {
		if st.ValueExpr == nil || !literalOnly(st.ValueExpr) {
			continue
		}
		key, ok := st.Key.ConstString()
		if !ok || !credential.SensitiveField(key) {
			continue
		}
		val, ok := st.Value.ConstString()
		if !ok || credential.IsPlaceholder(credential.StripScheme(val)) {
			continue
		}
		report(st.ValueExpr, "credential in the "+key+" field")
	}
	// Then, when no literal gave a secret away, the constants the script
	// builds (string.char(...), pieces joined, a variable holding one)
	// where wrk sends them.
	if len(reported) == 0 {
		builtSecrets(pass, report)
	}
	if len(reported) == 0 {
		evaluatedSecrets(pass)
	}
	return nil
}

// builtSecrets reports constants the script builds and hands to wrk: a
// credential-bearing field or header set to one that has the length and
// mix of a generated secret (wrk.headers["X-Password"] =
// string.char(...)), and the body or path, judged whole however it was
// built ("user=svc&password=" .. pw), stored in wrk or given to
// wrk.format.
func builtSecrets(pass *analyzer.Pass, report func(ast.Expr, string)) {
	for _, st := range pass.Stores() {
		if st.ValueExpr == nil || literalOnly(st.ValueExpr) {
			continue // literals were judged already
		}
		key, ok := st.Key.ConstString()
		if !ok {
			continue
		}
		val, ok := st.Value.ConstString()
		if !ok {
			continue
		}
		if (key == "body" || key == "path") && st.Object.HasLib("wrk") {
			if what := pass.Credential(st.ValueExpr, val); what != "" {
				report(st.ValueExpr, what)
			}
			continue
		}
		v := credential.StripScheme(val)
		if !credential.SensitiveField(key) || credential.IsPlaceholder(v) || !secretShaped(v) || !built(pass.Origin(st.ValueExpr)) {
			continue
		}
		what := pass.Credential(st.ValueExpr, val) // its format's name when it has one
		if what == "" {
			what = "credential in the " + key + " field"
		}
		report(st.ValueExpr, what)
	}
	for _, c := range callsTo(pass, "wrk.format") {
		for _, i := range []int{1, 3} {
			e := c.ArgExpr(i)
			if e == nil || literalOnly(e) {
				continue
			}
			if val, ok := c.Arg(i).ConstString(); ok {
				if what := pass.Credential(e, val); what != "" {
					report(e, what)
				}
			}
		}
	}
}

// built reports whether a value's origin is computed by the script (a
// call, a concatenation with one), not a literal or a variable of unknown
// history: a literal kept in a global and copied into a header is judged
// where it is written.
func built(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.FuncCallExpr:
		return true
	case *ast.StringConcatOpExpr:
		return !literalOnly(e)
	}
	return false
}

// checkLiterals checks each string literal of a concatenation of literals
// on its own.
func checkLiterals(pass *analyzer.Pass, e ast.Expr, report func(ast.Expr, string)) {
	for {
		c, ok := e.(*ast.StringConcatOpExpr)
		if !ok {
			break
		}
		checkLiterals(pass, c.Lhs, report)
		e = c.Rhs // right-associative: the long side, walked without recursion
	}
	if lit, ok := e.(*ast.StringExpr); ok {
		if what := pass.Credential(lit, pass.StringLiteral(lit)); what != "" {
			report(lit, what)
		}
	}
}

// byteTable returns the values of a constructor made only of positional
// integer literals between 0 and 255.
func byteTable(pass *analyzer.Pass, t *ast.TableExpr) ([]byte, bool) {
	if len(t.Fields) < 12 {
		return nil, false
	}
	out := make([]byte, 0, len(t.Fields))
	for _, f := range t.Fields {
		n, ok := f.Value.(*ast.NumberExpr)
		if f.Key != nil || !ok {
			return nil, false
		}
		vals := pass.Values(n).Values()
		if len(vals) != 1 || vals[0].Kind != analyzer.KNumber {
			return nil, false
		}
		v := vals[0].Num
		if v < 0 || v > 255 || v != float64(int(v)) {
			return nil, false
		}
		out = append(out, byte(v))
	}
	return out, true
}

// evaluatedSecrets runs the script in the partial evaluator (a pure Lua
// state with a stub of wrk's API) and reports credentials it hands to wrk
// that no literal holds: decoded by the script with code folding cannot
// follow (a Lua base64 or XOR decoder, a substitution table, pieces joined
// in hooks). Only what two runs with different run-time inputs agree on
// counts, so values built from the clock, random numbers, the environment
// or responses are never reported.
func evaluatedSecrets(pass *analyzer.Pass) {
	f := pass.File
	if len(f.Src) > maxEvaluatedSource || !peval.MayDecode(f.Tokens, f.Src) || !peval.Worth(f.Chunk) {
		return
	}
	// wanted is what the loop below reports (but for repeated lines); most
	// evaluated scripts emit nothing of the kind, and peval then skips
	// its second run.
	wanted := func(e peval.Emission) bool {
		return e.Line >= 1 && e.Line <= len(f.LineStarts) && evaluatedCredential(e) != "" &&
			!bytes.Contains(f.Src, []byte(e.Value)) // a literal: the static checks above judge it
	}
	emitted, err := peval.Run(context.Background(), f.Name, f.Chunk, pass.StringLiteral, peval.Options{Wanted: wanted})
	if err != nil {
		return // a chunk the evaluator cannot compile is analysed statically only
	}
	done := map[int]bool{}
	for _, e := range emitted {
		if done[e.Line] || !wanted(e) {
			continue
		}
		what := evaluatedCredential(e)
		done[e.Line] = true
		start, end := lineRange(f.Src, f.LineStarts, e.Line)
		pass.ReportRangef(start, end, "hard-coded %s, decoded by the script and sent through %s: take it from the environment at run time instead", what, e.Via)
	}
}

// maxEvaluatedSource bounds the scripts the evaluator compiles: compiling
// is the one step of it that its deadline cannot interrupt.
const maxEvaluatedSource = 256 << 10

// evaluatedCredential judges a string the evaluator saw: a known token
// format, a Bearer/Basic credential or a credential header line, or the
// value of a credential-bearing header or field. Field values must look
// like secrets (8 bytes or more, not only digits, two kinds of character)
// since a loop can build synthetic ones (password=00000001).
func evaluatedCredential(e peval.Emission) string {
	if what := credential.Find(e.Value); what != "" {
		return what
	}
	if !credential.SensitiveField(e.Key) {
		return ""
	}
	v := credential.StripScheme(e.Value)
	if credential.IsPlaceholder(v) || !secretShaped(v) {
		return ""
	}
	return "credential in the " + e.Key + " field"
}

// secretShaped reports whether v has the length and mix of characters of
// a generated secret.
func secretShaped(v string) bool {
	if len(v) < 8 {
		return false
	}
	var lower, upper, digit, other bool
	for _, c := range []byte(v) {
		switch {
		case c >= 'a' && c <= 'z':
			lower = true
		case c >= 'A' && c <= 'Z':
			upper = true
		case c >= '0' && c <= '9':
			digit = true
		default:
			other = true
		}
	}
	kinds := 0
	for _, k := range []bool{lower, upper, digit, other} {
		if k {
			kinds++
		}
	}
	return kinds >= 2
}

// lineRange returns the byte range of a line without its line break.
func lineRange(src []byte, starts []int, line int) (int, int) {
	start := starts[line-1]
	end := len(src)
	if line < len(starts) {
		end = starts[line] - 1
	}
	for end > start && (src[end-1] == '\r' || src[end-1] == '\n') {
		end--
	}
	// Skip the indentation, so the finding starts at the code.
	for start < end && (src[start] == ' ' || src[start] == '\t') {
		start++
	}
	return start, end
}
