package analyzer

import (
	"fmt"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/luasrc"
)

// ParseErrorRule is WL001. The engine reports it itself, so it is declared
// here; package rules lists it in the catalogue.
var ParseErrorRule = &Rule{
	ID:        "WL001",
	Name:      "ParseError",
	Level:     LevelError,
	CWE:       1164,
	Title:     "File cannot be parsed or verified",
	Precision: "very-high",
	Bad:       "local limit = = 10\n",
	Good:      "local limit = 10\n",
	Description: "The file could not be parsed as Lua, uses syntax this analyzer cannot verify, " +
		"is precompiled bytecode, or is too large, too deeply nested or too complex to analyse. " +
		"A script that cannot be analysed cannot be trusted, so this is an error.",
	Help: "A file that wrklint cannot parse is never skipped silently: what cannot be analysed cannot be trusted.\n\n" +
		"Fix the syntax error at the reported position. wrklint reads what LuaJIT (wrk's interpreter) reads: " +
		"Lua 5.1 syntax with LuaJIT's string escapes, and LuaJIT-only forms such as `0x1p4`, `10ULL`, `0b101`, " +
		"identifiers with non-ASCII bytes and `\\z` continuations across lines are analysed like any other code. " +
		"What LuaJIT itself would refuse (an invalid escape such as `\\xZZ`, a malformed number) is reported here. " +
		"Precompiled bytecode (`luajit -b`) cannot be verified: lint and ship the source instead.",
}

// AnalyzeSource analyses one file's contents with the given rules and
// policy and default levels.
func AnalyzeSource(name string, src []byte, rules []*Rule, policy *Policy) []Finding {
	cfg := &Options{Rules: rules}
	if policy != nil {
		cfg.Policy = *policy
	}
	return Analyze(name, src, cfg)
}

// Analyze analyses one file's contents and returns its findings
// (unsorted), suppressed ones included and marked. It never panics on any
// input: a failure inside the engine is reported as WL001 for that file,
// naming the cause.
func Analyze(name string, src []byte, cfg *Options) []Finding {
	return analyzeWith(name, src, cfg, nil)
}

// analyzeWith is Analyze reusing the slices in buf (which may be nil).
func analyzeWith(name string, src []byte, cfg *Options, buf *buffers) []Finding {
	return analyzeLevels(name, src, cfg, buf, nil)
}

// analyzeLevels is analyzeWith recording in mods the modules followed.
func analyzeLevels(name string, src []byte, cfg *Options, buf *buffers, mods *[]*segment) []Finding {
	findings := analyze(name, src, cfg, buf, mods)
	for i := range findings {
		if lvl, ok := cfg.Levels[findings[i].RuleID]; ok {
			findings[i].Level = lvl
		}
	}
	// Findings at level none are switched off.
	out := findings[:0]
	for _, f := range findings {
		if f.Level != LevelNone {
			out = append(out, f)
		}
	}
	return out
}

// buffers are what one worker of the driver reuses from one file to the
// next: the source, token, expression and record slices of a file (a third
// of what its analysis allocates), the parser's reader and a cache of
// library paths. Findings never point into them. Analyze, which has no
// worker, uses fresh ones.
type buffers struct {
	file []byte
	// src holds the lexer's, aligner's and parser's buffers.
	src     luasrc.Buffers
	exprs   []exprState
	refs    []Ref
	calls   []*CallSite
	stores  []Store
	returns []ReturnSite
	// libPaths and secrets cache library paths and credential.Find
	// answers, which do not depend on the file.
	libPaths map[[2]string]string
	secrets  map[string]string
	// scratch holds what rules keep from one file to the next (Pass.Scratch).
	scratch map[any]any
	// libRefs and callsIx are the rules' queries (Pass.LibRefs, CallsTo).
	libRefs []Ref
	callsIx *callIndex
	// globals is the program's map of global variables, emptied per file.
	globals map[string]*Var
	// vars, sets and sites are the chunks the program's slabs take
	// (newVar, newSet, newCallSite).
	vars  slabs[Var]
	sets  slabs[ValueSet]
	sites slabs[CallSite]
}

// maxKeptLen bounds the slices kept: the buffers of an exceptionally large
// file are left to the garbage collector rather than held for the run.
const maxKeptLen = 1 << 16

// reuse returns s emptied, with room for n elements.
func reuse[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, 0, n)
	}
	return s[:0]
}

// keep returns s for reuse (old if the analysis stopped before making s),
// or nil when it is too large to keep. What the kept slices still point to
// is garbage of at most one file.
func keep[T any](s, old []T) []T {
	switch {
	case s == nil:
		return old
	case cap(s) > maxKeptLen:
		return nil
	}
	return s[:0]
}

// save keeps the slices of a finished analysis for the next file.
func (b *buffers) save(f *File, p *program) {
	if f != nil {
		b.src.Keep(f.File)
	}
	if p != nil {
		b.exprs, b.refs, b.calls = keep(p.exprs, b.exprs), keep(p.refs, b.refs), keep(p.calls, b.calls)
		b.stores, b.returns = keep(p.stores, b.stores), keep(p.returns, b.returns)
		b.libRefs, b.callsIx = keep(p.libRefs, b.libRefs), p.callsIx
	}
}

func analyze(name string, src []byte, cfg *Options, buf *buffers, mods *[]*segment) (findings []Finding) {
	var f *File
	var prog *program
	defer func() {
		if r := recover(); r != nil {
			findings = []Finding{{RuleID: ParseErrorRule.ID, Name: ParseErrorRule.Name, Level: ParseErrorRule.Level,
				CWE: ParseErrorRule.CWE, File: name, Start: Position{Line: 1, Column: 1, ColumnUTF16: 1},
				End:     Position{Line: 1, Column: 1, ColumnUTF16: 1},
				Message: fmt.Sprintf("internal analyzer error, the file could not be verified: %v", r)}}
			return
		}
		if buf != nil {
			buf.save(f, prog)
		}
	}()
	f, serr := loadFile(name, src, buf)
	if serr != nil {
		end := serr.End
		if end <= serr.Offset {
			end = serr.Offset
		}
		return []Finding{f.finding(ParseErrorRule, serr.Offset, end, serr.Msg)}
	}
	prog = newProgram(f, buf)
	prog.strict = cfg.strict
	if !prog.solve() {
		// Never trust a partial result silently.
		return []Finding{f.finding(ParseErrorRule, 0, 0, "the analysis "+prog.unsolved()+"; the file cannot be verified")}
	}
	if cfg.FollowModules {
		if fs, ok := analyzeModules(f, prog, cfg, mods); ok {
			return fs
		}
	}
	return suppress(f, runRules(f, prog, cfg), cfg, true)
}

// runRules runs the configured rules on a solved program.
func runRules(f *File, prog *program, cfg *Options) []Finding {
	var findings []Finding
	// One Pass serves every rule in turn: rules run one after another.
	secrets := cfg.Secrets
	if secrets == nil {
		d := config.DefaultSecrets()
		secrets = &d
	}
	pass := &Pass{File: f, Policy: &cfg.Policy, Secrets: secrets, prog: prog, report: func(fd Finding) {
		findings = append(findings, fd)
	}}
	for _, r := range cfg.Rules {
		if r.Run == nil || cfg.Disabled[r.ID] {
			continue
		}
		pass.Rule = r
		if err := r.Run(pass); err != nil {
			findings = append(findings, f.finding(ParseErrorRule, 0, 0, fmt.Sprintf("rule %s failed: %v", r.ID, err)))
		}
	}
	return findings
}

// suppress applies f's directives to its findings and, with meta, adds the
// findings about the directives themselves (WL002, WL003).
func suppress(f *File, findings []Finding, cfg *Options, meta bool) []Finding {
	rules := cfg.Rules
	known := func(id string) bool {
		for _, r := range rules {
			if r.ID == id {
				return true
			}
		}
		return false
	}
	ms := f.applySuppressions(findings, known,
		func(id string) bool { return known(id) && !cfg.Disabled[id] })
	if !meta {
		return findings
	}
	for _, m := range ms {
		if !cfg.Disabled[m.RuleID] {
			findings = append(findings, m)
		}
	}
	return findings
}
