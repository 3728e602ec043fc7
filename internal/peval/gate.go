package peval

import (
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// decoders are the library functions a script decodes a hidden string
// with: byte and character maps, reversal, substitution, bit operations,
// number bases.
var decoders = map[string]bool{
	"char": true, "byte": true, "reverse": true, "gsub": true, "gmatch": true, "sub": true, "rep": true,
	"bxor": true, "band": true, "bor": true, "bnot": true, "lshift": true, "rshift": true, "arshift": true,
	"rol": true, "ror": true, "bswap": true, "tohex": true, "tobit": true, "tonumber": true, "concat": true,
}

// Worth reports whether evaluating chunk could find a secret that static
// folding cannot: the script calls a decoding function and holds
// something to decode — a long unbroken literal or a table of numbers.
// Most scripts have neither, and skip the cost of a Lua state.
func Worth(chunk []ast.Stmt) bool {
	g := &gate{}
	w := &walker{f: func(s *ast.StringExpr) {
		if len(s.Value) >= 12 && !strings.ContainsAny(s.Value, " \t\r\n") {
			g.blob = true
		}
	}, call: g.visitCall, table: g.visitTable}
	w.stmts(chunk)
	return g.blob && g.decoder
}

type gate struct{ blob, decoder bool }

func (g *gate) visitCall(c *ast.FuncCallExpr) {
	name := c.Method
	switch f := c.Func.(type) {
	case *ast.AttrGetExpr:
		if k, ok := f.Key.(*ast.StringExpr); ok {
			name = k.Value
		}
	case *ast.IdentExpr:
		name = f.Value
	}
	if decoders[name] {
		g.decoder = true
	}
}

func (g *gate) visitTable(t *ast.TableExpr) {
	numbers := 0
	for _, f := range t.Fields {
		if _, ok := f.Value.(*ast.NumberExpr); ok && f.Key == nil {
			numbers++
		}
	}
	if numbers >= 8 {
		g.blob = true
	}
}
