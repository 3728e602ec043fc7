package rules

import (
	"github.com/yuin/gopher-lua/ast"

	"github.com/wrklint/wrklint/analyzer"
)

// libMatch names the library member a rule is about, or "" when the path
// does not concern the rule.
type libMatch func(path string) string

// matchedPath returns the first library path in vals that m accepts.
func matchedPath(vals *analyzer.ValueSet, m libMatch) (path, what string) {
	for _, v := range vals.Values() {
		if p := v.Path(); p != "" {
			if w := m(p); w != "" {
				return p, w
			}
		}
	}
	return "", ""
}

// reportReferences reports every expression that evaluates to a library
// member m accepts: calls, aliases and any other reference. Only the
// outermost such expression is reported, so debug.traceback is one finding
// and not two (debug, then debug.traceback).
func reportReferences(pass *analyzer.Pass, m libMatch, message func(expr, what string) string) {
	reportReferencesExcept(pass, m, nil, message)
}

// reportReferencesExcept is reportReferences that leaves out the
// expressions in skip (and so the library tables they index).
func reportReferencesExcept(pass *analyzer.Pass, m libMatch, skip map[ast.Expr]bool, message func(expr, what string) string) {
	if !anyReferenceMatches(pass, m) {
		return
	}
	// Only references with a library value can match.
	for _, ref := range pass.LibRefs() {
		if skip[ref.Expr] {
			continue
		}
		if _, ok := ref.Expr.(*ast.LogicalOpExpr); ok {
			continue // "a or b" is reported at a and b
		}
		_, what := matchedPath(pass.Values(ref.Expr), m)
		if what == "" {
			continue
		}
		if ref.Role == analyzer.RoleObject && ref.Parent != nil {
			if _, outer := matchedPath(pass.Values(ref.Parent), m); outer != "" {
				continue
			}
		}
		pass.Reportf(ref.Expr, "%s", message(pass.Text(ref.Expr), what))
	}
	// A method call names its function only through the receiver:
	// ("cmd"):execute() after setmetatable(string, {__index = os}).
	for _, c := range pass.Calls() {
		if !c.Method || c.Indirect || c.Node == nil {
			continue
		}
		if _, what := matchedPath(c.Callee, m); what != "" {
			pass.Reportf(c.Expr, "%s", message(pass.Text(c.Node.Receiver)+":"+c.Node.Method, what))
		}
	}
}

// referencedPathsKey is the Pass.Memo key of referencedPaths.
type referencedPathsKey struct{}

// referencedPaths returns, once each, the library paths that
// reportReferencesExcept can match: the values of Pass.LibRefs and the
// callees of method calls. A script names a dozen or two, each of them
// many times.
func referencedPaths(pass *analyzer.Pass) []string {
	out, _ := pass.Memo(referencedPathsKey{}, func() any {
		var out []string
		seen := map[string]bool{}
		add := func(vals *analyzer.ValueSet) {
			for _, v := range vals.Values() {
				if p := v.Path(); p != "" && !seen[p] {
					seen[p] = true
					out = append(out, p)
				}
			}
		}
		for _, ref := range pass.LibRefs() {
			add(pass.Values(ref.Expr))
		}
		for _, c := range pass.Calls() {
			if c.Method && !c.Indirect && c.Node != nil {
				add(c.Callee)
			}
		}
		return out
	}).([]string)
	return out
}

// anyReferenceMatches reports whether m accepts a path the file refers
// to: the rules that report references (of os.execute, debug, ...) find
// none in most files, and then need not look at each reference.
func anyReferenceMatches(pass *analyzer.Pass, m libMatch) bool {
	for _, p := range referencedPaths(pass) {
		if m(p) != "" {
			return true
		}
	}
	return false
}

// callsTo returns the call sites whose callee may be the library member
// path, directly, through an alias, or through pcall.
func callsTo(pass *analyzer.Pass, path string) []*analyzer.CallSite {
	return pass.CallsTo(path)
}

// escapingRefs returns references to the library member path that are
// neither called nor bound to a variable or field the analysis follows:
// passed to code we cannot see, its calls cannot be checked.
func escapingRefs(pass *analyzer.Pass, path string) []analyzer.Ref {
	var out []analyzer.Ref
	for _, ref := range pass.LibRefs() {
		if ref.Role != analyzer.RoleArg {
			continue
		}
		if pass.Values(ref.Expr).HasLib(path) {
			out = append(out, ref)
		}
	}
	return out
}

// isNil reports whether an argument is absent or always nil.
func isNil(vals *analyzer.ValueSet) bool {
	if vals == nil || vals.Empty() {
		return true
	}
	for _, v := range vals.Values() {
		if v.Kind != analyzer.KNil {
			return false
		}
	}
	return true
}

// callNode is the node a call-site finding covers.
func callNode(c *analyzer.CallSite) ast.Expr { return c.Expr }
