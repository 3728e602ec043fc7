package analyzer

import "github.com/yuin/gopher-lua/ast"

// Queries for the rules about wrk's hook model (WL8xx), which look at
// how names are bound rather than at what values flow where.

// IdentVar returns the variable an identifier refers to: a local (the
// same Var for every use in its scope, upvalues included) or a global.
// It returns nil for an expression the binder did not see.
func (p *Pass) IdentVar(e *ast.IdentExpr) *Var { return p.prog.identVar(e) }

// LocalVars returns the locals a statement declares (local, for, local
// function) or a function declares (its parameters, self first), in
// declaration order.
func (p *Pass) LocalVars(owner any) []*Var { return p.prog.decls[owner] }

// IsHookName reports whether name is one of the globals wrk calls.
func IsHookName(name string) bool { return isHookName(name) }

// HookNames returns the hooks in the order wrk runs them.
func HookNames() []string { return append([]string(nil), hookOrder...) }

// Offsets returns the byte range [start, end) of node in File.Src, for a
// finding narrower than the node (the header of a function).
func (p *Pass) Offsets(node any) (start, end int) { return p.File.nodeOffsets(node) }

// Memo returns the value stored under key for this file, building it with
// build the first time: several rules of one family can share an index of
// the file without global state. key should be a value of an unexported
// type of the caller's package, and build must not report.
func (p *Pass) Memo(key any, build func() any) any {
	if v, ok := p.memo[key]; ok {
		return v
	}
	if p.memo == nil {
		p.memo = map[any]any{}
	}
	v := build()
	p.memo[key] = v
	return v
}

// Scratch returns the value stored under key for the worker that
// analyses this file, building it with build the first time. It outlives
// the file: a rule keeps there the slices and maps it fills for every
// file, cleared and refilled instead of allocated anew. One worker
// analyses one file at a time, so the value is never shared between
// goroutines, but it must hold nothing the rule's findings point into.
// key is as for Memo.
func (p *Pass) Scratch(key any, build func() any) any {
	if v, ok := p.prog.scratch[key]; ok {
		return v
	}
	v := build()
	p.prog.scratch[key] = v
	return v
}

// Contents returns what the fields of t may hold, under constant keys or
// not (a new set).
func (t *Table) Contents() *ValueSet { return t.allValues() }
