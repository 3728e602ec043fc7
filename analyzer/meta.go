package analyzer

import (
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// Implicit metamethods. A table's metatables are recorded by setmetatable
// (and newproxy(true)); an operation the script writes without naming a
// function — t.k on a miss, t.k = v, t(...), a .. b, a + b, -a, #a, a < b,
// tostring(a) — calls the handler stored under its event there. The solver
// makes that call as it makes any other: arguments flow into the handler's
// parameters, its results into the expression, and a library function
// stored as a handler (__index = os.getenv, __call = print) is recorded as
// a call of that function, so the rules see it.

// libTables are the library paths that are tables rather than functions.
var libTables = map[string]bool{
	"_G": true, "string": true, "table": true, "math": true, "io": true, "os": true, "debug": true,
	"package": true, "coroutine": true, "bit": true, "jit": true, "package.loaded": true,
	"package.preload": true, "package.loaders": true, "package.searchers": true, "wrk": true,
	"wrk.headers": true, "wrk.args": true, "wrk.thread": true, "wrk.response.headers": true,
	"wrk.summary": true, "wrk.latency": true, "wrk.requests": true, stringMetatable: true,
	"io.file": true, "io.pfile": true, "io.stdout": true, "io.stderr": true, "io.stdin": true,
}

// isCallableLib reports whether a library path names a function (or a
// value the analysis cannot tell from one) rather than a library table.
func isCallableLib(path string) bool {
	if libTables[path] {
		return false
	}
	if name, ok := strings.CutPrefix(path, "module:"); ok {
		// module:cjson is the module table, module:cjson.encode a member.
		return strings.ContainsAny(name, ".(")
	}
	return true
}

// maxMetaHandlers bounds the metatables followed per operation.
const maxMetaHandlers = 16

// metaHandlers returns what is stored under event in the metatables of the
// values in vals. A metatable the analysis cannot see (unknown) yields an
// unknown handler; values without a metatable yield none.
func (p *program) metaHandlers(vals *ValueSet, event string) *ValueSet {
	out := &ValueSet{}
	for _, v := range vals.Values() {
		switch v.Kind {
		case KTable:
			if v.Table.metas.Empty() {
				continue
			}
			for i, mt := range p.readSet(&v.Table.metas).Values() {
				if i >= maxMetaHandlers {
					out.add(unknownSet)
					break
				}
				out.addAll(p.metaField(mt, event))
			}
		case KString, KShape:
			// The metatable all strings share, where the script may have
			// written a handler.
			if event == "__unm" || isArithEvent(event) {
				out.addAll(p.readSet(p.overlaySet(p.libPath(stringMetatable, event))))
			}
		}
	}
	return out
}

// metaField is mt[event] for one metatable value.
func (p *program) metaField(mt Value, event string) *ValueSet {
	switch mt.Kind {
	case KTable:
		p.readTable(mt.Table)
		out := &ValueSet{}
		if fs, ok := mt.Table.fields[event]; ok {
			out.addAll(fs)
		}
		out.addAll(&mt.Table.any)
		return out
	case KNil, KBool, KNumber, KString, KFunc:
		return nil
	case KLib:
		return p.indexDepth(setOf(mt), setOf(Value{Kind: KString, Str: event}), maxMetaDepth)
	}
	// A metatable the analysis cannot see: the handler is unknown.
	return setOf(unknownSet)
}

// metaCall calls handlers with args on the script's behalf. The call is
// recorded against node when there is one, so that a library handler
// (print, os.getenv) is seen by the rules where the operation is.
func (p *program) metaCall(node ast.Expr, handlers *ValueSet, args []*ValueSet) []*ValueSet {
	if handlers.Empty() {
		return []*ValueSet{p.nilSet}
	}
	if node != nil {
		p.recordAt(node, handlers, args)
	}
	return p.callValues(nil, handlers, args, nil)
}

// recordAt records an implicit call made at node (an operator, an index,
// a library function calling back).
func (p *program) recordAt(node ast.Expr, callee *ValueSet, args []*ValueSet) {
	c := &CallSite{Expr: node, Callee: callee, ArgVals: args, Indirect: true}
	if fc, ok := node.(*ast.FuncCallExpr); ok {
		c.Node = fc
	}
	p.calls = append(p.calls, c)
}

// operatorMeta applies the metamethod of a binary or unary operator when an
// operand may have one, and returns its results (nil when none may).
func (p *program) operatorMeta(node ast.Expr, event string, operands ...*ValueSet) *ValueSet {
	var handlers *ValueSet
	for _, o := range operands {
		if !mayHaveMeta(o, event) {
			continue
		}
		h := p.metaHandlers(o, event)
		if h.Empty() {
			continue
		}
		if handlers == nil {
			handlers = &ValueSet{}
		}
		handlers.addAll(h)
	}
	if handlers == nil {
		return nil
	}
	// A copy, so that operands (kept by the call site recorded) does not
	// escape and the common call without a handler allocates nothing.
	args := append([]*ValueSet(nil), operands...)
	if len(args) == 1 {
		// Unary metamethods get the operand twice, as Lua 5.1 passes them.
		args = []*ValueSet{operands[0], operands[0]}
	}
	return p.metaCall(node, handlers, args)[0]
}

// mayHaveMeta reports whether a set holds a value whose handler for event
// an operation may call: a table with a metatable, or for arithmetic a
// string (the script may have written into the string metatable).
func mayHaveMeta(s *ValueSet, event string) bool {
	for _, v := range s.Values() {
		switch v.Kind {
		case KTable:
			if !v.Table.metas.Empty() {
				return true
			}
		case KString, KShape:
			if event == "__unm" || isArithEvent(event) {
				return true
			}
		}
	}
	return false
}

// arithEvents maps arithmetic operators to their metamethod events.
var arithEvents = map[string]string{
	"+": "__add", "-": "__sub", "*": "__mul", "/": "__div", "%": "__mod", "^": "__pow",
}

func isArithEvent(event string) bool {
	switch event {
	case "__add", "__sub", "__mul", "__div", "__mod", "__pow":
		return true
	}
	return false
}

// relEvent is the metamethod event of a relational operator ("" for ~=,
// which negates __eq, handled as __eq).
func relEvent(op string) string {
	switch op {
	case "==", "~=":
		return "__eq"
	case "<", ">":
		return "__lt"
	case "<=", ">=":
		return "__le"
	}
	return ""
}
