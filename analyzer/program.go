package analyzer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// Role says how an expression's value is used by its parent.
type Role uint8

// Roles of expressions.
const (
	// RoleOther: an operand, a condition, an index key, a method receiver.
	RoleOther Role = iota
	// RoleCallee: the function called (directly, or by pcall/xpcall).
	RoleCallee
	// RoleBound: stored in a variable, a table field or returned, where the
	// analysis follows it.
	RoleBound
	// RoleArg: passed to a function the analysis does not follow.
	RoleArg
	// RoleObject: the table indexed by an index expression.
	RoleObject
)

// Ref is one evaluated expression: a read, never an assignment target.
type Ref struct {
	Expr   ast.Expr
	Role   Role
	Parent ast.Expr // the enclosing expression, if any
}

// CallSite is a call, or a call made on the script's behalf (then
// Indirect is set): by pcall or xpcall, a library function calling back
// (table.sort, string.gsub, coroutines) or an implicit metamethod. Expr is
// where it happens, the node findings about it cover: the call expression,
// or the operator or index expression of a metamethod, which has no Node.
type CallSite struct {
	Expr     ast.Expr
	Node     *ast.FuncCallExpr
	Callee   *ValueSet
	Args     []ast.Expr  // argument expressions, receiver first for a method call
	ArgVals  []*ValueSet // their values; ArgVals may be longer than Args (varargs)
	Method   bool
	Indirect bool
}

// Arg returns the values of argument i, or nil when absent.
func (c *CallSite) Arg(i int) *ValueSet {
	if i < len(c.ArgVals) {
		return c.ArgVals[i]
	}
	return nil
}

// ArgExpr returns argument expression i, or nil.
func (c *CallSite) ArgExpr(i int) ast.Expr {
	if i < len(c.Args) {
		return c.Args[i]
	}
	return nil
}

// Store is an assignment to an indexed location (a.b = v, a[k] = v,
// function a.b() end, table fields {k = v}).
type Store struct {
	Target ast.Expr // the indexed expression when there is one
	// At is where the store happens: Target, or the rawset call or
	// metamethod that stores.
	At        ast.Expr
	Object    *ValueSet
	Key       *ValueSet
	Value     *ValueSet
	ValueExpr ast.Expr
}

// ReturnSite is a return statement: Func is nil for the main chunk.
type ReturnSite struct {
	Func   *Func
	Stmt   *ast.ReturnStmt
	Values []*ValueSet
}

// program is the whole-file abstract interpretation: flow-insensitive value
// sets for every variable, table field and function, iterated to a fixed
// point so that aliases through globals, fields, parameters and return
// values are followed in any order of definition.
type program struct {
	f *File
	// work counts the units of work spent so far (spend); exhausted is
	// set once it passes workLimit.
	work, workLimit int
	exhausted       bool
	globals         map[string]*Var
	// exprs holds what the program knows about each expression, by
	// expression id.
	exprs []exprState
	// locals declared by a statement or function, in declaration order.
	decls map[any][]*Var
	// funcList lists the functions in creation order.
	funcList []*Func
	overlay  map[string]*ValueSet // stores into library tables
	// modules maps the names of the local modules of a program to the
	// functions that wrap their chunks (analyzeModules).
	modules map[string]*ast.FunctionExpr
	// libAny holds, per library table, what the script stored in it under
	// keys that are not constant; libMeta the metatables it set on it.
	libAny, libMeta map[string]*ValueSet
	// threadStore holds what thread:set stores, for thread:get with a
	// name that is not constant; threadAnyStore what it stores under such
	// names, for thread:get with a constant one.
	threadStore, threadAnyStore ValueSet
	// errVals holds every value raised by error or assert, which pcall,
	// xpcall's handler and coroutine.resume return; yields and resumes
	// what coroutines yield and are resumed with.
	errVals, yields, resumes ValueSet
	// yieldCtrl carries the tests under which a coroutine yields: whether
	// it did is what coroutine.status tells.
	yieldCtrl ValueSet
	// rngSeed carries what math.randomseed was given: the numbers
	// math.random draws then are a function of it.
	rngSeed ValueSet
	// iterated holds the library tables a loop or next has iterated
	// (libMembers): a store into a new member of one repeats the pass.
	iterated map[string]bool
	// fenvs holds the environments setfenv gave the script's functions
	// (setFenv): their global reads look there too.
	fenvs map[*Func]*ValueSet
	// inputTaint is the taint of the files io.input made the default
	// input (a credentials file), which io.read and io.lines() read.
	inputTaint ValueSet
	// synth holds the tables made without a constructor (newproxy).
	synth map[synthKey]*Table
	// escapes records the flows into what the analysis does not model.
	escapes []Escape
	// idxSeen holds the tables an index has reached through __index.
	idxSeen []*Table
	// curStmt is the statement being evaluated, where findings about
	// implicit calls go when no expression names them; curIndex the index
	// expression being evaluated, where an __index handler is called.
	curStmt  ast.Stmt
	curIndex ast.Expr
	// hookLines maps hook names to the line of their definition.
	hookLines map[string]int
	libPaths  map[[2]string]string
	secrets   map[string]string // credential.Find answers, per worker
	scratch   map[any]any       // the rules' per-worker buffers (Pass.Scratch)
	// libRefs and callsIx are the rules' queries (Pass.LibRefs, CallsTo),
	// kept per worker in buffers.
	libRefs []Ref
	callsIx *callIndex
	// varSlab and setSlab hand out variables and literal sets: one
	// allocation for many (newVar, newSet), from chunks the worker
	// recycles from file to file (vars, sets, sites).
	varSlab  []Var
	setSlab  []ValueSet
	callSlab []CallSite
	vars     *slabs[Var]
	sets     *slabs[ValueSet]
	sites    *slabs[CallSite]
	listSlab []*ValueSet
	// Sets that many expressions evaluate to, shared: results of eval are
	// never modified in place, only read or merged into other sets.
	nilSet, boolSet, numberSet, anySet *ValueSet
	// foldBudget is how many more bytes of folded strings this pass may
	// build (spendFold).
	foldBudget int
	// foldEpoch numbers the periods in which the answers of folds stay
	// valid: each pass, and the rules after the last one.
	foldEpoch uint32

	changed bool
	// passNo numbers passes from 1, for read stamps; strict repeats passes
	// until nothing at all changes (the slow reference the tests compare
	// against).
	passNo uint32
	strict bool
	// seq numbers statement evaluations across passes; reads are stamped
	// with it. passStart is seq when the pass began, stmtStart when the
	// current statement did; redo asks for the statement again.
	seq, passStart, stmtStart uint32
	redo                      bool
	// bodyStart is seq when the innermost function body being evaluated
	// began; bodyRedo asks for that body again (evalBody).
	bodyStart uint32
	bodyRedo  bool
	// bodies counts function bodies evaluated, so that a statement whose
	// evaluation ran one is not evaluated again in place.
	bodies int
	// pending holds the functions whose bodies this pass still evaluates:
	// bodies run after the code that defines them, so that calls made
	// there have filled their parameters first.
	pending []*Func
	refs    []Ref
	calls   []*CallSite
	stores  []Store
	returns []ReturnSite
	curFunc *Func
	// ctrl holds the sources that control the statements being evaluated
	// (implicit.go); ctrlMarks those that control whole loops and
	// functions, keyed by statement or *Func; loops the loops being
	// evaluated, innermost last.
	ctrl      []Source
	ctrlMarks map[any]*ValueSet
	loops     []ast.Stmt
	// lastCall is the outermost call evaluated most recently, for the
	// generic for to recognise pairs(t).
	lastCall evaluatedCall
}

// exprState is the per-expression data of a program.
type exprState struct {
	ident *Var   // the variable an identifier refers to
	table *Table // the abstract table of a constructor
	fn    *Func  // the abstract function of a function expression
	// val is the expression's value in the last pass; lit the constant
	// value of a literal, or the key a method call indexes with, computed
	// once.
	val, lit *ValueSet
	// foldEpoch is the epoch in which folds last answered for the
	// expression, with the answer in foldOK.
	foldEpoch uint32
	foldOK    bool
}

type evaluatedCall struct {
	node   *ast.FuncCallExpr
	callee *ValueSet
	args   []*ValueSet
}

// newProgram binds the names of f; buf may be nil.
func newProgram(f *File, buf *buffers) *program {
	if buf == nil {
		buf = &buffers{}
	}
	if buf.libPaths == nil {
		buf.libPaths = make(map[[2]string]string, 64)
		buf.secrets = make(map[string]string, 64)
		buf.scratch = map[any]any{}
	}
	exprs := reuse(buf.exprs, len(f.Spans))[:len(f.Spans)]
	clear(exprs)
	// The previous file's program is done with: its chunks are free.
	buf.vars.reset()
	buf.sets.reset()
	buf.sites.reset()
	// Scripts name a dozen or two globals, libraries included: sized once
	// rather than grown, and the worker's map emptied for the next file.
	if buf.globals == nil || len(buf.globals) > maxKeptGlobals {
		buf.globals = make(map[string]*Var, 32)
	}
	clear(buf.globals)
	p := &program{
		f:         f,
		workLimit: workLimit(len(f.Spans)),
		globals:   buf.globals,
		exprs:     exprs,
		refs:      reuse(buf.refs, len(f.Spans)),
		calls:     buf.calls[:0],
		stores:    buf.stores[:0],
		returns:   buf.returns[:0],
		decls:     map[any][]*Var{},
		overlay:   map[string]*ValueSet{},
		libAny:    map[string]*ValueSet{},
		libMeta:   map[string]*ValueSet{},
		synth:     map[synthKey]*Table{},
		hookLines: map[string]int{},
		libPaths:  buf.libPaths,
		secrets:   buf.secrets,
		scratch:   buf.scratch,
		libRefs:   buf.libRefs,
		callsIx:   buf.callsIx,
		vars:      &buf.vars,
		sets:      &buf.sets,
		sites:     &buf.sites,
	}
	p.nilSet = p.setOf1(Value{Kind: KNil})
	p.boolSet = p.setOf1(Value{Kind: KBool})
	p.numberSet = p.setOf1(Value{Kind: KNumber})
	p.numberSet.add(unknownSet)
	p.anySet = p.setOf1(unknownSet)
	bindChunk(p, f.Chunk)
	return p
}

// maxKeptGlobals bounds the globals map a worker keeps for the next file.
const maxKeptGlobals = 1024

// maxPasses bounds the fixed-point iteration. Sets only grow and are
// bounded, so it converges; the bound guards against a slow climb on
// pathological input.
const maxPasses = 40

// The work of one analysis is bounded, in units of about one value moved
// (see spend): workPerSpan units per expression and statement of the
// file, plus workBase, and never more than maxWork. Real scripts spend at
// most 20 units per span (the 185 public scripts, the test scripts and the
// red-team sets; a 99,000-line script made of 2,000 generated ones spends
// 4.8 million, 16 per span), so the bound is far above them. Values that
// reach each other in every combination grow quadratically with the file
// (200 tables that are each other's metatables: 550 units per span) and
// meet it within about a second and a gigabyte (800 such tables took 30 s
// and 1.8 GiB without it, and more grows without end). Past it the file is
// reported as too complex to analyse (WL001).
const (
	workBase    = 1 << 17
	workPerSpan = 512
	maxWork     = 1 << 23
)

// workLimit is the bound for a file of spans spans.
func workLimit(spans int) int {
	return min(workBase+workPerSpan*spans, maxWork)
}

// spend charges n units of work and reports whether the analysis is still
// within its limit. Once it is not, evaluation stops short (calls return
// anything, statements do nothing, stores are dropped) so that the pass
// ends soon.
func (p *program) spend(n int) bool {
	p.work += n
	if p.work > p.workLimit {
		p.exhausted = true
	}
	return !p.exhausted
}

// unsolved says why solve gave up, for WL001's message.
func (p *program) unsolved() string {
	if p.exhausted {
		return fmt.Sprintf("needed more than %d steps (values reaching each other in every combination)", p.workLimit)
	}
	return fmt.Sprintf("did not settle in %d passes", maxPasses)
}

// solve iterates passes to the fixed point. It reports false when
// maxPasses ran out first: the records may then be incomplete, and the
// caller says so rather than trusting them.
func (p *program) solve() bool {
	// Every pass records what the rules read; the first pass that changes
	// nothing ran on the fixed point, so its records are final.
	for i := 0; i < maxPasses; i++ {
		p.changed = false
		p.passNo++
		p.iterate()
		if p.exhausted {
			return false
		}
		if p.changed {
			continue
		}
		// A function no visible code calls (dead code, or called by code we
		// cannot see) may receive anything: give it unknown arguments and
		// solve again.
		for _, fn := range p.funcList {
			if !fn.called && !fn.opened {
				fn.opened = true
				p.escape(fn.value())
			}
		}
		if !p.changed {
			p.foldEpoch++ // the rules see the final values
			return true
		}
	}
	return false
}

func (p *program) global(name string) *Var {
	v, ok := p.globals[name]
	if !ok {
		v = p.newVar()
		v.Name, v.Global = name, true
		if builtinGlobals[name] {
			v.vals.add(Value{Kind: KLib, Str: name})
		}
		if name == "_ENV" {
			// Lua 5.2's environment; LuaJIT treats it as a plain global, but
			// a script indexing it means the globals table.
			v.vals.add(Value{Kind: KLib, Str: "_G"})
		}
		p.globals[name] = v
	}
	return v
}

// addTo merges o into the location s. The pass must be repeated only if s
// was already read in this pass: a location written before anything reads
// it is seen complete by its readers.
func (p *program) addTo(s *ValueSet, o *ValueSet) {
	if o == nil || !p.spend(len(o.vals)) {
		return
	}
	if s.addAll(o) {
		p.modified(s)
	}
}

func (p *program) addVal(s *ValueSet, v Value) {
	if s.add(v) {
		p.modified(s)
	}
}

func (p *program) modified(s *ValueSet) {
	first, last := s.firstRead, s.read
	if t := s.table; t != nil {
		first, last = minStamp(first, t.firstRead, p.passStart), max(last, t.read)
	}
	p.wrote(first, last)
}

// minStamp is the earlier of two stamps that belong to this pass.
func minStamp(a, b, passStart uint32) uint32 {
	switch {
	case a <= passStart:
		return b
	case b <= passStart:
		return a
	}
	return min(a, b)
}

// wrote handles a change to a location first and last read at the stamps
// given: read earlier in this pass, the pass is repeated, or only the
// function body being evaluated when nothing before it read the location;
// read only in the statement being evaluated, the statement is evaluated
// again (x = x + 1 settles at once).
func (p *program) wrote(first, last uint32) {
	switch {
	case p.strict:
		p.changed = true
	case first > p.passStart && first < p.stmtStart:
		if p.curFunc != nil && first > p.bodyStart {
			p.bodyRedo = true // read only in the body being evaluated
		} else {
			p.changed = true
		}
	case last >= p.stmtStart:
		p.redo = true
	}
}

// readSet and readTable stamp locations as read in this pass.
func (p *program) readSet(s *ValueSet) *ValueSet {
	if s.firstRead <= p.passStart {
		s.firstRead = p.seq
	}
	s.read = p.seq
	return s
}

func (p *program) readTable(t *Table) *Table {
	if t.firstRead <= p.passStart {
		t.firstRead = p.seq
	}
	t.read = p.seq
	return t
}

func (p *program) table(n *ast.TableExpr) *Table {
	id := exprID(n)
	if t := p.exprs[id].table; t != nil {
		return t
	}
	t := newTable(n)
	p.exprs[id].table = t
	return t
}

// hookParams are the globals wrk calls, with what it passes them.
var hookParams = map[string]func(p *program, fn *Func) []*ValueSet{
	"setup": func(*program, *Func) []*ValueSet { return []*ValueSet{setOf(Value{Kind: KLib, Str: "wrk.thread"})} },
	"init":  func(*program, *Func) []*ValueSet { return []*ValueSet{setOf(Value{Kind: KLib, Str: "wrk.args"})} },
	"delay": func(*program, *Func) []*ValueSet { return nil },
	"request": func(*program, *Func) []*ValueSet {
		return nil
	},
	"response": func(p *program, fn *Func) []*ValueSet {
		line := p.lineOf(fn.Node)
		return []*ValueSet{
			setOf(Value{Kind: KNumber}, unknownSet),
			setOf(Value{Kind: KLib, Str: "wrk.response.headers"}),
			withTaint(unknown(), Source{Kind: TaintResponseBody, Line: line}),
		}
	},
	"done": func(*program, *Func) []*ValueSet {
		return []*ValueSet{setOf(Value{Kind: KLib, Str: "wrk.summary"}), setOf(Value{Kind: KLib, Str: "wrk.latency"}), setOf(Value{Kind: KLib, Str: "wrk.requests"})}
	},
}

// iterate is one pass of the solver over the whole file. (A Pass is what
// a rule receives; the two are unrelated.)
func (p *program) iterate() {
	// Every pass records what the rules read, afresh.
	p.refs = p.refs[:0]
	p.calls = p.calls[:0]
	p.stores = p.stores[:0]
	p.returns = p.returns[:0]
	p.escapes = p.escapes[:0]
	for i := range p.exprs {
		p.exprs[i].val = nil
	}
	p.foldBudget = maxFoldBudget
	p.foldEpoch++
	// wrk calls the hooks with its own arguments.
	for _, name := range hookOrder {
		if g, ok := p.globals[name]; ok {
			p.hookCalls(name, &g.vals)
		}
	}
	p.seq++
	p.passStart = p.seq
	p.curFunc = nil
	p.ctrl, p.loops = nil, p.loops[:0]
	p.block(p.f.Chunk)
	// Hooks in the order wrk runs them, so that done() sees what
	// response() stored; then the bodies no call has evaluated yet, most
	// recently defined first.
	for _, name := range hookOrder {
		if g, ok := p.globals[name]; ok {
			for _, v := range g.vals.Values() {
				if v.Kind == KFunc {
					p.evalBody(v.Func)
				}
			}
		}
	}
	for len(p.pending) > 0 {
		fn := p.pending[len(p.pending)-1]
		p.pending = p.pending[:len(p.pending)-1]
		p.evalBody(fn)
	}
}

// isHookName reports whether name is a key of hookParams, by comparisons.
func isHookName(name string) bool {
	switch name {
	case "setup", "init", "delay", "request", "response", "done":
		return true
	}
	return false
}

var hookOrder = []string{"setup", "init", "delay", "request", "response", "done"}

// evalBody evaluates a scheduled function body once per pass: at its first
// call, so that the call's arguments are in its parameters and its return
// values are complete when the caller reads them, or after the code that
// defines it. Statement stamps are saved around it, since a call can
// evaluate a body in the middle of another statement.
func (p *program) evalBody(fn *Func) {
	if fn.queued != p.passNo || fn.evaluated == p.passNo {
		return
	}
	fn.evaluated = p.passNo
	p.bodies++
	savedFunc, savedStart, savedRedo, savedStmt := p.curFunc, p.stmtStart, p.redo, p.curStmt
	// A body is evaluated once per pass, wherever its first call is: it
	// runs under its own control (a return or call in a tested branch),
	// never its first caller's.
	savedCtrl, savedLoops := p.ctrl, p.loops
	savedBodyStart, savedBodyRedo := p.bodyStart, p.bodyRedo
	p.curFunc = fn
	// A location first read in this body and changed later in it (a
	// counter that setup passes to thread:set, then increments) needs
	// only this body again, not the whole pass: evaluated again in place,
	// recorded once, with the fold budget it had (what a new pass would
	// give it). Reads before the body, or a body evaluated inside this
	// one, still repeat the pass (wrote).
	p.bodyStart = p.seq
	marks := p.recordMarks()
	budget, bodies := p.foldBudget, p.bodies
	for i := 0; ; i++ {
		p.ctrl, p.loops = p.marked(fn), nil
		p.bodyRedo = false
		p.block(fn.Node.Stmts)
		if !p.bodyRedo {
			break
		}
		if i == maxStmtRedo || p.bodies != bodies {
			p.changed = true
			break
		}
		p.truncateRecords(marks)
		p.foldBudget = budget
		p.foldEpoch++ // values read in the body changed
	}
	p.curFunc, p.stmtStart, p.redo, p.curStmt = savedFunc, savedStart, savedRedo, savedStmt
	p.ctrl, p.loops = savedCtrl, savedLoops
	p.bodyStart, p.bodyRedo = savedBodyStart, savedBodyRedo
}

// hookCalls makes the calls wrk makes to a function stored in a hook's
// global name, as soon as it is stored there.
func (p *program) hookCalls(name string, vals *ValueSet) {
	if !isHookName(name) {
		return // most global assignments: no map lookup
	}
	params, ok := hookParams[name]
	if !ok {
		return
	}
	for _, v := range vals.Values() {
		if v.Kind != KFunc {
			continue
		}
		v.Func.called = true
		if _, seen := p.hookLines[name]; !seen {
			p.hookLines[name] = p.lineOf(v.Func.Node)
		}
		for i, pv := range params(p, v.Func) {
			if i < len(v.Func.params) {
				p.addTo(&v.Func.params[i].vals, pv)
			}
		}
	}
}

func (p *program) block(stmts []ast.Stmt) {
	for _, s := range stmts {
		p.stmt(s)
	}
}

// evalList evaluates an expression list into len(want) values (or all
// values when want < 0), expanding the last expression's multiple results.
func (p *program) evalList(es []ast.Expr, want int, role Role) []*ValueSet {
	var out []*ValueSet
	if n := max(len(es), want); n > 0 {
		out = p.setList(n)
	}
	for i, e := range es {
		if i == len(es)-1 {
			out = p.appendMulti(out, e, role, nil)
		} else {
			out = append(out, p.eval(e, role, nil))
		}
	}
	if want >= 0 {
		for len(out) < want {
			out = append(out, p.nilSet)
		}
	}
	return out
}

// maxVarargs is how many positions "..." is spread over.
const maxVarargs = 8

// maxResults bounds the results a function is tracked to return.
const maxResults = 32

// maxStmtRedo bounds how often one statement is evaluated again in a pass.
const maxStmtRedo = 4

func (p *program) stmt(s ast.Stmt) {
	p.curStmt = s
	switch s.(type) {
	case *ast.AssignStmt, *ast.LocalAssignStmt, *ast.FuncCallStmt, *ast.ReturnStmt:
	default:
		// Compound statements: their parts are statements of their own.
		p.seq++
		p.stmtStart = p.seq
		p.stmtOnce(s)
		return
	}
	marks := p.recordMarks()
	for i := 0; ; i++ {
		p.seq++
		p.stmtStart = p.seq
		p.redo = false
		bodies := p.bodies
		p.stmtOnce(s)
		if !p.redo {
			return
		}
		if i == maxStmtRedo || p.bodies != bodies {
			// Still moving, or a call evaluated a function body whose
			// records must not be truncated: let the next pass finish.
			p.changed = true
			return
		}
		// Evaluate again, recording it once.
		p.truncateRecords(marks)
	}
}

// recordMarks is where the records of what the rules read end now, so
// that an evaluation repeated in place records once (truncateRecords).
type recordMarks struct{ refs, calls, stores, returns, escapes int }

func (p *program) recordMarks() recordMarks {
	return recordMarks{len(p.refs), len(p.calls), len(p.stores), len(p.returns), len(p.escapes)}
}

func (p *program) truncateRecords(m recordMarks) {
	p.refs, p.calls, p.stores, p.returns = p.refs[:m.refs], p.calls[:m.calls], p.stores[:m.stores], p.returns[:m.returns]
	p.escapes = p.escapes[:m.escapes]
}

func (p *program) stmtOnce(s ast.Stmt) {
	if !p.spend(1) {
		return
	}
	switch s := s.(type) {
	case *ast.LocalAssignStmt:
		vars := p.decls[s]
		vals := p.evalList(s.Exprs, len(vars), RoleBound)
		for i, v := range vars {
			p.addTo(&v.vals, p.withCtrl(vals[i]))
		}
	case *ast.AssignStmt:
		vals := p.evalList(s.Rhs, len(s.Lhs), RoleBound)
		for i, lhs := range s.Lhs {
			var ve ast.Expr
			if i < len(s.Rhs) {
				ve = s.Rhs[i]
				vals[i] = p.accumulated(lhs, ve, vals[i])
			}
			p.assign(lhs, p.withCtrl(vals[i]), ve)
		}
	case *ast.FuncCallStmt:
		p.evalMulti(s.Expr, RoleOther, nil)
	case *ast.DoBlockStmt:
		p.block(s.Stmts)
	case *ast.WhileStmt:
		c := p.condTaint(s.Condition, p.eval(s.Condition, RoleOther, nil))
		p.loop(s, c, func() { p.block(s.Stmts) })
	case *ast.RepeatStmt:
		p.loop(s, nil, func() {
			p.block(s.Stmts)
			// The condition decides how often the body runs: it controls
			// the body from the next pass on.
			p.markCtrl(s, p.condTaint(s.Condition, p.eval(s.Condition, RoleOther, nil)))
		})
	case *ast.IfStmt:
		c := p.condTaint(s.Condition, p.eval(s.Condition, RoleOther, nil))
		if len(c) > 0 {
			p.markExits(s.Then, c)
			p.markExits(s.Else, c)
		}
		p.controlled(c, func() {
			p.block(s.Then)
			p.block(s.Else)
		})
	case *ast.NumberForStmt:
		init := p.eval(s.Init, RoleOther, nil)
		limit := p.eval(s.Limit, RoleOther, nil)
		step := p.nilSet
		if s.Step != nil {
			step = p.eval(s.Step, RoleOther, nil)
		}
		if vars := p.decls[s]; len(vars) == 1 {
			p.addVal(&vars[0].vals, Value{Kind: KNumber, Num: 0})
			p.addVal(&vars[0].vals, unknownSet)
			// The counter runs up to the limit: it holds the bounds' data.
			for _, b := range []*ValueSet{init, limit, step} {
				p.addTaint(&vars[0].vals, b)
			}
			for _, t := range p.ctrl {
				if vars[0].vals.addTaint(t) {
					p.modified(&vars[0].vals)
				}
			}
		}
		c := boundsTaint(p.lineOf(s.Limit), init, limit, step)
		p.loop(s, c, func() { p.block(s.Stmts) })
	case *ast.GenericForStmt:
		p.genericFor(s)
	case *ast.FuncDefStmt:
		fn := p.function(s.Func)
		fv := fn.value()
		if s.Name.Func != nil {
			p.assign(s.Name.Func, fv, s.Func)
		} else {
			obj := p.eval(s.Name.Receiver, RoleObject, nil)
			key := setOf(Value{Kind: KString, Str: s.Name.Method})
			p.store(obj, key, fv, s.Name.Receiver, s.Func)
			// The implicit self is whatever the method is defined on.
			if len(fn.params) > 0 {
				p.addTo(&fn.params[0].vals, obj)
			}
		}
		p.funcBody(fn)
	case *ast.ReturnStmt:
		vals := p.evalList(s.Exprs, -1, RoleBound)
		if len(p.ctrl) > 0 {
			for i := range vals {
				vals[i] = p.withCtrl(vals[i])
			}
		}
		p.returns = append(p.returns, ReturnSite{Func: p.curFunc, Stmt: s, Values: vals})
		if p.curFunc == nil && len(vals) > 0 {
			// A chunk that returns a table is a module of hooks that other
			// scripts install (response = utils.response): its hook-named
			// functions get what wrk passes to hooks.
			for _, v := range vals[0].Values() {
				if v.Kind != KTable {
					continue
				}
				for _, name := range hookOrder {
					if fs, ok := v.Table.fields[name]; ok {
						p.hookCalls(name, p.readSet(fs))
					}
				}
			}
		}
		if p.curFunc != nil {
			for i, v := range vals {
				// return ..., f(...) in f adds a value on every pass: values
				// past maxResults share the last slot.
				if p.curFunc.ret(min(i, maxResults-1)).addAll(v) {
					p.wrote(p.curFunc.retFirst, p.curFunc.retRead)
				}
			}
		}
	case *ast.BreakStmt, *ast.LabelStmt, *ast.GotoStmt:
	}
}

func (p *program) genericFor(s *ast.GenericForStmt) {
	vars := p.decls[s]
	p.lastCall = evaluatedCall{}
	vals := p.evalList(s.Exprs, -1, RoleArg)
	// Recognise pairs(t) and ipairs(t): the loop variables take the keys
	// and values of t.
	var iterTable *ValueSet
	if len(s.Exprs) == 1 && p.lastCall.node != nil && p.lastCall.node == s.Exprs[0] && len(p.lastCall.args) > 0 {
		if fn := p.lastCall.callee; fn.HasLib("pairs") || fn.HasLib("ipairs") {
			iterTable = p.lastCall.args[0]
		}
	}
	if iterTable == nil && len(vals) >= 2 && vals[0].HasLib("next") {
		// for k, v in next, t: recorded as the call of next it makes.
		iterTable = vals[1]
		p.recordAt(s.Exprs[0], vals[0], vals[1:])
	}
	if iterTable == nil {
		// Another iterator (io.lines, gmatch, a closure): the loop
		// variables carry whatever the iterator was built from.
		it := unknown()
		for _, v := range vals {
			it.addTaintOf(v)
		}
		pieces := p.gmatchPieces(s)
		if pieces != nil {
			// The items of a list the script holds: for p in
			// ("a b"):gmatch("%S+"), one capture, nothing after it.
			it = pieces
		}
		for i, v := range vars {
			if pieces != nil && i > 0 {
				p.addTo(&v.vals, p.nilSet)
				continue
			}
			p.addTo(&v.vals, it)
		}
		// The iterator is called with the state and the control variable;
		// what it returns is what the loop variables take (gmatch's
		// pieces are known already).
		if len(vals) > 0 && pieces == nil {
			args := append([]*ValueSet{}, vals[1:]...)
			if len(args) < 2 {
				args = append(args, p.anySet)
			}
			rs := p.callValues(nil, vals[0], args, nil)
			for i, v := range vars {
				if i < len(rs) {
					p.addTo(&v.vals, rs[i])
				}
			}
		}
		// As many rounds as tested branches made (a count of matches of
		// a fixed pattern is a count, as gsub's is).
		p.loop(s, implicitOnly(it), func() { p.block(s.Stmts) })
		return
	}
	keys, elems := &ValueSet{}, &ValueSet{}
	for _, tv := range iterTable.Values() {
		switch tv.Kind {
		case KTable:
			p.readTable(tv.Table)
			for _, k := range tv.Table.keys() {
				fs := tv.Table.fields[k]
				if n, err := strconv.ParseFloat(k, 64); err == nil {
					keys.add(Value{Kind: KNumber, Num: n})
				} else {
					keys.add(Value{Kind: KString, Str: k})
				}
				elems.addAll(fs)
			}
			if !tv.Table.any.Empty() {
				keys.add(unknownSet)
				elems.addAll(&tv.Table.any)
			}
			// Keys carry their taint: t[body] = true leaks body to
			// whoever iterates t.
			keys.addAll(p.readSet(&tv.Table.keyVals))
			// So does a table chosen in a tested branch.
			keys.addTaintOf(iterTable)
		case KLookup:
			keys.add(Value{Kind: KNumber, Num: 1})
			elems.add(Value{Kind: KAddr, Trusted: tv.Trusted})
		case KLib:
			keys.add(unknownSet)
			elems.add(unknownSet)
			elems.addAll(p.libMembers(tv.Str))
			switch tv.Str {
			case "wrk.response.headers":
				elems.addTaint(Source{Kind: TaintResponseHeader, Line: p.lineOf(s.Exprs[0]), Detail: "(all headers, iterated)"})
			case "wrk.args":
				elems.addTaint(Source{Kind: TaintArgs, Line: p.lineOf(s.Exprs[0])})
			}
		case KNil, KBool, KNumber, KFunc, KAddr:
			// Iterating these fails at run time: no values.
		default:
			keys.add(unknownSet)
			elems.add(unknownSet)
		}
	}
	elems.addTaintOf(iterTable)
	if len(vars) > 0 {
		p.addTo(&vars[0].vals, keys)
	}
	if len(vars) > 1 {
		p.addTo(&vars[1].vals, elems)
	}
	for _, v := range vars[min(2, len(vars)):] {
		p.addVal(&v.vals, Value{Kind: KNil})
	}
	// A table filled in tested branches has as many rounds as the tests
	// said.
	rounds := &ValueSet{}
	rounds.addTaintOf(keys)
	rounds.addTaintOf(elems)
	p.loop(s, implicitOnly(rounds), func() { p.block(s.Stmts) })
}

func (p *program) function(n *ast.FunctionExpr) *Func {
	id := exprID(n)
	if fn := p.exprs[id].fn; fn != nil {
		return fn
	}
	fn := &Func{Node: n, params: p.decls[n]}
	p.exprs[id].fn = fn
	p.funcList = append(p.funcList, fn)
	return fn
}

// funcBody schedules fn's body for evaluation in this pass.
func (p *program) funcBody(fn *Func) {
	if fn.queued == p.passNo {
		return
	}
	fn.queued = p.passNo
	p.pending = append(p.pending, fn)
}

// assign stores vals into an assignment target.
func (p *program) assign(target ast.Expr, vals *ValueSet, valueExpr ast.Expr) {
	switch t := target.(type) {
	case *ast.IdentExpr:
		if v := p.identVar(t); v != nil {
			p.addTo(&v.vals, vals)
			if v.Global {
				p.hookCalls(v.Name, vals)
			}
		}
	case *ast.AttrGetExpr:
		obj := p.eval(t.Object, RoleObject, t)
		// seen[c] = true in a tested branch: the key is what it learned.
		key := p.withCtrl(p.eval(t.Key, RoleOther, t))
		p.store(obj, key, vals, t, valueExpr)
	default:
		p.eval(target, RoleOther, nil)
	}
}

// store writes vals into obj[key].
func (p *program) store(obj, key, vals *ValueSet, target ast.Expr, valueExpr ast.Expr) {
	p.storeAt(obj, key, vals, target, valueExpr, target, false)
}

// storeAt writes vals into obj[key] at the expression at; raw stores
// (rawset) skip __newindex.
func (p *program) storeAt(obj, key, vals *ValueSet, target, valueExpr, at ast.Expr, raw bool) {
	if at == nil {
		at = target
	}
	p.stores = append(p.stores, Store{Target: target, At: at, Object: obj, Key: key, Value: vals, ValueExpr: valueExpr})
	k, constKey := key.ConstString()
	var where any = p.curStmt
	if valueExpr != nil {
		where = valueExpr
	} else if at != nil {
		where = at
	}
	for _, ov := range obj.Values() {
		switch ov.Kind {
		case KTable:
			t := ov.Table
			if !t.mutated {
				t.mutated = true
				p.modified(&t.any)
			}
			if constKey {
				p.addTo(t.field(k), vals)
			} else {
				p.addTo(&t.any, vals)
				p.addTo(&t.keyVals, key)
			}
			if !raw && !t.metas.Empty() {
				// A new key goes to __newindex: a function is called with
				// (t, k, v), a table receives the store.
				for _, h := range p.metaHandlers(setOf(ov), "__newindex").Values() {
					switch h.Kind {
					case KTable:
						p.storeAt(setOf(h), key, vals, nil, valueExpr, at, true)
					case KNil:
					default:
						p.metaCall(at, setOf(h), []*ValueSet{setOf(ov), key, vals})
					}
				}
			}
		case KLib:
			if !raw {
				p.libNewindex(ov, key, vals, at)
			}
			if !constKey {
				if names, all := key.ConstStrings(); all && ov.Str != "_G" {
					// wrk[k] = v for k in a known set of keys: each of them.
					for _, n := range names {
						p.addToMember(ov.Str, p.libPath(ov.Str, n), vals)
					}
					continue
				}
				// A computed key into a library table (_G, package.loaded):
				// any member may now hold what is stored, and a
				// capability stored there is out of sight.
				if ov.Str != "_G" {
					p.addToLib(p.libAny, ov.Str, vals)
				}
				p.lost(where, vals, "a computed key of "+describeLib(ov.Str))
				continue
			}
			if ov.Str == "_G" {
				p.addTo(&p.global(k).vals, vals)
				p.hookCalls(k, vals)
				continue
			}
			path := p.libPath(ov.Str, k)
			p.addToMember(ov.Str, path, vals)
			if ov.Str == "wrk" {
				// wrk.response = function(...) is how some scripts define
				// hooks: follow them as hooks.
				p.hookCalls(k, vals)
			}
		}
	}
	// A function stored where the analysis cannot see its callers may be
	// called with anything; a capability stored there is lost.
	if obj.HasKind(KUnknown) {
		p.lost(where, vals, "a table wrklint cannot resolve")
		p.lost(where, key, "a key of a table wrklint cannot resolve")
		p.escape(vals)
	}
}

// describeLib names a library table in messages.
func describeLib(path string) string {
	if path == "_G" {
		return "the globals table"
	}
	return path
}

// escape gives unknown arguments to functions that flow out of sight.
func (p *program) escape(vals *ValueSet) {
	for _, v := range vals.Values() {
		if v.Kind == KFunc {
			v.Func.opened = true
			for _, prm := range v.Func.params {
				p.addVal(&prm.vals, unknownSet)
			}
			p.addVal(&v.Func.vararg, unknownSet)
		}
	}
}

func (p *program) ref(e ast.Expr, role Role, parent ast.Expr) {
	p.refs = append(p.refs, Ref{Expr: e, Role: role, Parent: parent})
}

// eval evaluates e to its first value.
func (p *program) eval(e ast.Expr, role Role, parent ast.Expr) *ValueSet {
	if !isMulti(e) {
		// Most expressions have one value: no slice for it.
		p.ref(e, role, parent)
		s := p.evalSingle(e, role, parent)
		p.setVal(e, s)
		return s
	}
	vs := p.evalMulti(e, role, parent)
	if len(vs) == 0 {
		p.setVal(e, p.nilSet)
		return p.nilSet
	}
	return vs[0]
}

// isMulti reports whether e is a call or "...", which evaluate to a list
// of values.
func isMulti(e ast.Expr) bool {
	switch e.(type) {
	case *ast.FuncCallExpr, *ast.Comma3Expr:
		return true
	}
	return false
}

// expands reports whether e, last in a list, adds all its values to it:
// a call or "..." not in parentheses ((f()) and (...) are one value).
func expands(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.FuncCallExpr:
		return !e.AdjustRet
	case *ast.Comma3Expr:
		return !e.AdjustRet
	}
	return false
}

// appendMulti appends all the values of e to out, as the last expression
// of a list does.
func (p *program) appendMulti(out []*ValueSet, e ast.Expr, role Role, parent ast.Expr) []*ValueSet {
	if !expands(e) {
		return append(out, p.eval(e, role, parent))
	}
	return append(out, p.evalMulti(e, role, parent)...)
}

// libPath is libIndex with the strings built once per driver worker (the
// map lives in its buffers): it runs on every library member access of
// every pass, and scripts use the same few members.
func (p *program) libPath(base, key string) string {
	k := [2]string{base, key}
	if s, ok := p.libPaths[k]; ok {
		return s
	}
	s := libIndex(base, key)
	if len(p.libPaths) < maxLibPaths {
		p.libPaths[k] = s
	}
	return s
}

// maxLibPaths bounds the cache of library paths: a script may index a
// library with any number of distinct keys.
const maxLibPaths = 4096

// literal returns the constant value of a literal, built once per program:
// literals are evaluated on every pass.
func (p *program) literal(e ast.Expr, build func() *ValueSet) *ValueSet {
	id := exprID(e)
	if id < 0 || id >= len(p.exprs) {
		return build()
	}
	if s := p.exprs[id].lit; s != nil {
		return s
	}
	s := build()
	p.exprs[id].lit = s
	return s
}

// slabSize is how many variables or sets newVar and newSet allocate at once.
const slabSize = 16

// maxKeptChunks bounds the chunks of each kind a worker keeps for the next
// file: 4,096 sets or variables, well above what a usual script needs.
const maxKeptChunks = 256

// slabs are chunks of slabSize values that one worker hands out file after
// file: a file's sets, variables and call sites die with its analysis
// (findings copy what they need), so the next file takes the same memory,
// zeroed, rather than making the garbage collector reclaim it. Go has no
// region allocator; this is the usual free list of one.
type slabs[T any] struct {
	chunks [][]T
	used   int
}

// next returns an empty zeroed chunk with room for slabSize values.
func (s *slabs[T]) next() []T {
	if s.used < len(s.chunks) {
		c := s.chunks[s.used][:slabSize]
		s.used++
		clear(c)
		return c[:0]
	}
	c := make([]T, 0, slabSize)
	if len(s.chunks) < maxKeptChunks {
		s.chunks = append(s.chunks, c)
		s.used++
	}
	return c
}

// reset makes every chunk free again once no value in them is used.
func (s *slabs[T]) reset() { s.used = 0 }

// newVar returns a new zero variable.
func (p *program) newVar() *Var {
	if len(p.varSlab) == cap(p.varSlab) {
		p.varSlab = p.vars.next()
	}
	p.varSlab = p.varSlab[:len(p.varSlab)+1]
	return &p.varSlab[len(p.varSlab)-1]
}

// newSet returns a new empty set (never copied: sets hold a pointer into
// themselves).
func (p *program) newSet() *ValueSet {
	if len(p.setSlab) == cap(p.setSlab) {
		p.setSlab = p.sets.next()
	}
	p.setSlab = p.setSlab[:len(p.setSlab)+1]
	return &p.setSlab[len(p.setSlab)-1]
}

// newCallSite returns a new zero call site.
func (p *program) newCallSite() *CallSite {
	if len(p.callSlab) == cap(p.callSlab) {
		p.callSlab = p.sites.next()
	}
	p.callSlab = p.callSlab[:len(p.callSlab)+1]
	return &p.callSlab[len(p.callSlab)-1]
}

// listSlabSize is how many set pointers setList allocates at once.
const listSlabSize = 256

// setList returns an empty slice with room for n sets, carved from a
// shared array: appending past n copies it out, as for any full slice.
func (p *program) setList(n int) []*ValueSet {
	if n > listSlabSize/4 {
		return make([]*ValueSet, 0, n)
	}
	if cap(p.listSlab)-len(p.listSlab) < n {
		p.listSlab = make([]*ValueSet, 0, listSlabSize)
	}
	k := len(p.listSlab)
	p.listSlab = p.listSlab[:k+n]
	return p.listSlab[k : k : k+n]
}

// setOf1 is setOf of one value, from the slab.
func (p *program) setOf1(v Value) *ValueSet {
	s := p.newSet()
	s.add(v)
	return s
}

// setVal records an expression's values for the rules (the pass that
// reaches the fixed point leaves the final ones).
func (p *program) setVal(e ast.Expr, s *ValueSet) {
	if id := exprID(e); id >= 0 && id < len(p.exprs) {
		p.exprs[id].val = s
	}
}

// valOf returns the values recorded for e in the last pass, or nil.
func (p *program) valOf(e ast.Expr) *ValueSet {
	if id := exprID(e); id >= 0 && id < len(p.exprs) {
		return p.exprs[id].val
	}
	return nil
}

// identVar returns the variable an identifier refers to.
func (p *program) identVar(e *ast.IdentExpr) *Var {
	if id := exprID(e); id >= 0 && id < len(p.exprs) {
		return p.exprs[id].ident
	}
	return nil
}

// evalMulti evaluates e to all its values (calls and "..." have several).
func (p *program) evalMulti(e ast.Expr, role Role, parent ast.Expr) []*ValueSet {
	p.ref(e, role, parent)
	var out []*ValueSet
	switch e := e.(type) {
	case *ast.FuncCallExpr:
		out = p.call(e)
		if len(out) > 0 {
			p.setVal(e, out[0])
		} else {
			p.setVal(e, p.nilSet)
		}
		return out
	case *ast.Comma3Expr:
		s := &ValueSet{}
		if p.curFunc != nil {
			s.addAll(p.readSet(&p.curFunc.vararg))
		} else {
			// The chunk's ... are the arguments it is run with.
			s.add(unknownSet)
			s.addTaint(Source{Kind: TaintArgs, Line: p.lineOf(e)})
		}
		if s.Empty() {
			s.add(Value{Kind: KNil})
		}
		p.setVal(e, s)
		// The varargs have no positions here: each of the first few
		// positions may hold any of them (local _, lib = ...).
		out := make([]*ValueSet, maxVarargs)
		for i := range out {
			out[i] = s
		}
		return out
	}
	s := p.evalSingle(e, role, parent)
	p.setVal(e, s)
	return []*ValueSet{s}
}

func (p *program) evalSingle(e ast.Expr, role Role, parent ast.Expr) *ValueSet {
	switch e := e.(type) {
	case *ast.NilExpr:
		return p.nilSet
	case *ast.TrueExpr, *ast.FalseExpr:
		return p.boolSet
	case *ast.NumberExpr:
		return p.literal(e, func() *ValueSet {
			n, _ := parseLuaNumber(e.Value) // 0 when malformed
			return p.setOf1(Value{Kind: KNumber, Num: n})
		})
	case *ast.StringExpr:
		return p.literal(e, func() *ValueSet {
			return p.literalTaint(e, p.setOf1(Value{Kind: KString, Str: p.str(e)}))
		})
	case *ast.IdentExpr:
		v := p.identVar(e)
		if v == nil {
			return p.anySet
		}
		// Shared, not copied: results of eval are never modified in place,
		// only read or merged into other sets. An empty set means nothing
		// is known to reach the variable yet; it is not nil, which would
		// stay in every set it flows into once more is known.
		if v.Global && p.fenvs != nil {
			if extra := p.fenvGlobal(v.Name); !extra.Empty() {
				out := &ValueSet{}
				out.addAll(p.readSet(&v.vals))
				out.addAll(extra)
				return out
			}
		}
		return p.readSet(&v.vals)
	case *ast.AttrGetExpr:
		obj := p.eval(e.Object, RoleObject, e)
		key := p.eval(e.Key, RoleOther, e)
		return p.indexAt(obj, key, e)
	case *ast.TableExpr:
		t := p.table(e)
		pos := 0
		for i, fld := range e.Fields {
			if fld.Key == nil {
				if i == len(e.Fields)-1 && expands(fld.Value) {
					vs := p.evalMulti(fld.Value, RoleBound, e)
					for _, v := range vs {
						pos++
						p.addTo(t.field(strconv.Itoa(pos)), v)
						if _, va := fld.Value.(*ast.Comma3Expr); va || len(vs) >= maxVarargs {
							// {...} and {s:byte(1, -1)} hold any number of
							// them.
							p.addTo(&t.any, v)
						}
					}
					continue
				}
				pos++
				p.addTo(t.field(strconv.Itoa(pos)), p.eval(fld.Value, RoleBound, e))
				continue
			}
			key := p.eval(fld.Key, RoleOther, e)
			val := p.eval(fld.Value, RoleBound, e)
			p.stores = append(p.stores, Store{Object: t.value(), Key: key, Value: val, ValueExpr: fld.Value})
			if k, ok := key.ConstString(); ok {
				p.addTo(t.field(k), val)
			} else {
				p.addTo(&t.any, val)
				p.addTo(&t.keyVals, key)
			}
		}
		return t.value()
	case *ast.FunctionExpr:
		fn := p.function(e)
		p.funcBody(fn)
		return fn.value()
	case *ast.LogicalOpExpr:
		l := p.eval(e.Lhs, role, e)
		var r *ValueSet
		// b == c and f(c): the right side runs only as the test says.
		p.controlled(p.condTaint(e.Lhs, l), func() { r = p.eval(e.Rhs, role, e) })
		out := p.newSet()
		if e.Operator == "and" {
			// a and b is a only when a is nil or false: a library member,
			// table or function on the left never comes out
			// (getfenv and getfenv(0) is not getfenv).
			out.addTaintOf(l)
			for _, v := range l.Values() {
				switch v.Kind {
				case KNil, KBool, KUnknown:
					out.add(v)
				}
			}
		} else {
			out.addAll(l)
		}
		out.addAll(r)
		chosenLengths(out, l)
		return out
	case *ast.RelationalOpExpr:
		l := p.eval(e.Lhs, RoleOther, e)
		r := p.eval(e.Rhs, RoleOther, e)
		// The handler's result becomes a boolean; it is called all the same.
		p.operatorMeta(e, relEvent(e.Operator), l, r)
		if t := p.testTaint(e, l, r); t != nil {
			// A test of a piece of data: the boolean is what it reveals.
			t.add(Value{Kind: KBool})
			return t
		}
		return p.boolSet
	case *ast.StringConcatOpExpr:
		l := p.eval(e.Lhs, RoleOther, e)
		r := p.eval(e.Rhs, RoleOther, e)
		lStable, rStable := p.stable(e.Lhs), p.stable(e.Rhs)
		l, r = schemeStrings(l), schemeStrings(r)
		out := foldBinary(l, r, func(a, b Value) (Value, bool) {
			as, ok1 := constToString(a)
			bs, ok2 := constToString(b)
			// The numbers an operand that is not stable holds stand for
			// more than themselves (a hook's status is the number 0 for
			// any number); its strings are what it may hold (a parameter
			// given "/ingest" by its callers).
			lExact, rExact := lStable || a.Kind == KString, rStable || b.Kind == KString
			if !lExact || !rExact || !ok1 || !ok2 || !p.spendFold(len(as)+len(bs), maxConcatLen) {
				// What does not fold may still have a known prefix or
				// suffix: "action_fail_" .. name cannot name a library.
				return concatShape(approxOperand(a, lExact), approxOperand(b, rExact)), true
			}
			return Value{Kind: KString, Str: as + bs}, true
		})
		out.addTaintOf(l)
		out.addTaintOf(r)
		out.addAll(p.operatorMeta(e, "__concat", l, r))
		return out
	case *ast.ArithmeticOpExpr:
		l := p.eval(e.Lhs, RoleOther, e)
		r := p.eval(e.Rhs, RoleOther, e)
		meta := p.operatorMeta(e, arithEvents[e.Operator], l, r)
		var out *ValueSet
		if !p.stable(e) {
			out = p.anySet
		} else {
			out = foldBinary(l, r, func(a, b Value) (Value, bool) {
				x, ok1 := toNumber(a)
				y, ok2 := toNumber(b)
				if !ok1 || !ok2 {
					return Value{}, false
				}
				n, ok := arith(e.Operator, x, y)
				return Value{Kind: KNumber, Num: n}, ok
			})
		}
		// Arithmetic on data keeps its taint: string.byte(body, i) + 0 is
		// as revealing as the byte.
		return p.withOperands(out, meta, l, r)
	case *ast.UnaryMinusOpExpr:
		v := p.eval(e.Expr, RoleOther, e)
		meta := p.operatorMeta(e, "__unm", v)
		if s := v.Values(); len(s) == 1 && meta == nil {
			if n, ok := toNumber(s[0]); ok {
				return setOf(Value{Kind: KNumber, Num: -n})
			}
		}
		return p.withOperands(p.numberSet, meta, v)
	case *ast.UnaryNotOpExpr:
		if t := p.testTaint(e, p.eval(e.Expr, RoleOther, e)); t != nil {
			t.add(Value{Kind: KBool})
			return t
		}
		return p.boolSet
	case *ast.UnaryLenOpExpr:
		v := p.eval(e.Expr, RoleOther, e)
		// A length reveals nothing of the data, unless the data made the
		// length (implicit.go); __len returns what it likes.
		out := p.withOperands(p.numberSet, p.operatorMeta(e, "__len", v))
		if srcs := p.lengthTaint(v); len(srcs) > 0 {
			s := &ValueSet{}
			s.addAll(out)
			return withTaint(s, srcs...)
		}
		return out
	}
	return p.anySet
}

// withOperands is out with the results of a metamethod and the taint of
// the operands added; out is returned unchanged (it may be shared) when
// there is nothing to add.
func (p *program) withOperands(out, meta *ValueSet, operands ...*ValueSet) *ValueSet {
	tainted := false
	for _, o := range operands {
		if len(o.Taint()) > 0 {
			tainted = true
		}
	}
	if meta == nil && !tainted {
		return out
	}
	s := &ValueSet{}
	s.addAll(out)
	s.addAll(meta)
	for _, o := range operands {
		for _, t := range o.Taint() {
			// A number has no length: what sized its operand is not
			// what sizes anything built from it (implicit.go).
			if t.Part != PartLength {
				s.addTaint(t)
			}
		}
	}
	return s
}

func (p *program) str(e *ast.StringExpr) string {
	if id := exprID(e); id >= 0 && id < len(p.f.Strs) {
		return p.f.Strs[id]
	}
	return e.Value
}

// stable reports whether an operator expression reads only literals and
// locals that are never reassigned. Only those fold: folding a variable
// that is updated (counter = counter + 1, s = s .. x) would climb through
// a new constant on every pass of the fixed point, and such a value is not
// a constant a reviewer can read off the source anyway.
func (p *program) stable(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.StringExpr, *ast.NumberExpr, *ast.NilExpr, *ast.TrueExpr, *ast.FalseExpr:
		return true
	case *ast.IdentExpr:
		v := p.identVar(e)
		return v != nil && !v.Global && v.stores == 0
	case *ast.StringConcatOpExpr:
		return p.stable(e.Lhs) && p.stable(e.Rhs)
	case *ast.ArithmeticOpExpr:
		return p.stable(e.Lhs) && p.stable(e.Rhs)
	case *ast.UnaryMinusOpExpr:
		return p.stable(e.Expr)
	case *ast.FuncCallExpr, *ast.AttrGetExpr:
		// string.char(...), ("x"):rep(2), t[1]: their own folding decides.
		return true
	}
	return false
}

// Bounds of string folding. A concatenation of constants folds up to
// maxConcatLen bytes (long enough for a private key or a request body built
// from literal lines, so that WL601 sees it whole); and one pass builds at
// most maxFoldBudget bytes of folded strings in all, so that a chain of
// locals that doubles a string, or thousands of concatenations of long
// constants, cannot make the linter allocate without bound. Past either
// bound the value is unknown: a key built that way is reported as not
// constant, never trusted.
const (
	maxConcatLen  = 64 << 10
	maxFoldBudget = 4 << 20
)

// spendFold reports whether a folded string of n bytes, at most limit,
// may be built in this pass, and takes it from the pass's budget.
func (p *program) spendFold(n, limit int) bool {
	if n > limit || n > p.foldBudget {
		return false
	}
	p.foldBudget -= n
	return true
}

// foldBinary applies op to every pair of values when both sides are
// constants; anything else is unknown.
func foldBinary(l, r *ValueSet, op func(a, b Value) (Value, bool)) *ValueSet {
	out := &ValueSet{}
	lv, rv := l.Values(), r.Values()
	if len(lv)*len(rv) > maxConstants*maxConstants {
		return unknown()
	}
	for _, a := range lv {
		for _, b := range rv {
			v, ok := op(a, b)
			if !ok {
				out.add(unknownSet)
				continue
			}
			out.add(v)
		}
	}
	if out.Empty() {
		out.add(unknownSet)
	}
	return out
}

func toNumber(v Value) (float64, bool) {
	switch v.Kind {
	case KNumber:
		return v.Num, true
	case KString:
		return parseLuaNumber(strings.TrimSpace(v.Str))
	}
	return 0, false
}

func arith(op string, x, y float64) (float64, bool) {
	switch op {
	case "+":
		return x + y, true
	case "-":
		return x - y, true
	case "*":
		return x * y, true
	case "/":
		if y == 0 {
			return 0, false
		}
		return x / y, true
	case "%":
		if y == 0 {
			return 0, false
		}
		m := x - float64(int64(x/y))*y
		if m != 0 && (m < 0) != (y < 0) {
			m += y
		}
		return m, true
	}
	return 0, false
}

// parseLuaNumber reads a Lua number literal (decimal or hex integer).
func parseLuaNumber(s string) (float64, bool) {
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		n, err := strconv.ParseUint(s[2:], 16, 64)
		if err != nil {
			return 0, false
		}
		return float64(n), true
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}

// index evaluates obj[key].
func (p *program) index(obj, key *ValueSet) *ValueSet {
	saved, seen := p.curIndex, p.idxSeen
	p.curIndex, p.idxSeen = nil, nil
	out := p.indexDepth(obj, key, 0)
	p.curIndex, p.idxSeen = saved, seen
	return out
}

// indexAt evaluates obj[key] for the expression node, which sources of
// taint name as their line.
func (p *program) indexAt(obj, key *ValueSet, node ast.Expr) *ValueSet {
	saved, seen := p.curIndex, p.idxSeen
	p.curIndex, p.idxSeen = node, nil
	out := p.indexDepth(obj, key, 0)
	p.curIndex, p.idxSeen = saved, seen
	for _, v := range obj.Values() {
		switch {
		case v.IsLib("wrk.response.headers"):
			if src, ok := p.headerIndexTaint(key, node); ok {
				out.addTaint(src)
			}
		case v.IsLib("wrk.args"):
			out.addTaint(Source{Kind: TaintArgs, Line: p.lineOf(node)})
		}
	}
	return out
}

// maxMetaDepth bounds chains of __index tables (which may be cyclic);
// maxIndexSeen the tables one lookup visits through them.
const (
	maxMetaDepth = 8
	maxIndexSeen = 32
)

// overlaySet returns the set of values the script stored at a library
// path, created on first use so that a later store into it is seen as a
// write after the read.
func (p *program) overlaySet(path string) *ValueSet {
	s, ok := p.overlay[path]
	if !ok {
		s = p.newSet()
		p.overlay[path] = s
	}
	return s
}

// libMetaIndex is what the __index of metatables the script set on a
// library table answers for key, or nil when it set none.
func (p *program) libMetaIndex(lib Value, key *ValueSet, depth int) *ValueSet {
	if depth >= maxMetaDepth {
		return nil
	}
	mts := p.libRead(p.libMeta, lib.Str)
	if mts.Empty() {
		return nil
	}
	out := &ValueSet{}
	for _, mt := range mts.Values() {
		out.addAll(p.indexVia(p.metaField(mt, "__index"), setOf(lib), key, depth+1))
	}
	return out
}

// libNewindex applies the __newindex of metatables the script set on a
// library table (setmetatable(wrk.headers, {__newindex = f})): the
// analysis does not know which keys the table holds, so any store may be
// a new key and reach the handler.
func (p *program) libNewindex(lib Value, key, vals *ValueSet, at ast.Expr) {
	mts := p.libRead(p.libMeta, lib.Str)
	if mts.Empty() {
		return
	}
	for _, mt := range mts.Values() {
		for _, h := range p.metaField(mt, "__newindex").Values() {
			switch h.Kind {
			case KTable:
				p.storeAt(setOf(h), key, vals, nil, nil, at, true)
			case KNil:
			default:
				p.metaCall(at, setOf(h), []*ValueSet{setOf(lib), key, vals})
			}
		}
	}
}

// libSet returns the set m holds for a library path, for a store.
// Reads (libRead) do not create the sets, since every index of a library
// would: a store that changes one instead repeats the pass, which only
// scripts that store under computed keys of libraries or set metatables
// on them pay for.
func (p *program) libSet(m map[string]*ValueSet, path string) *ValueSet {
	s, ok := m[path]
	if !ok {
		s = p.newSet()
		m[path] = s
	}
	return s
}

// addToLib merges vals into the set m holds for path.
func (p *program) addToLib(m map[string]*ValueSet, path string, vals *ValueSet) {
	if p.libSet(m, path).addAll(vals) {
		p.changed = true
	}
}

// libRead returns the set m holds for path, or nil.
func (p *program) libRead(m map[string]*ValueSet, path string) *ValueSet {
	if len(m) == 0 {
		return nil
	}
	return m[path]
}

// indexVia indexes obj[key] through __index handlers: tables (and
// libraries) are indexed, functions called with (obj, key).
func (p *program) indexVia(handlers, obj, key *ValueSet, depth int) *ValueSet {
	out := p.newSet()
	for _, mv := range handlers.Values() {
		switch mv.Kind {
		case KFunc, KLib:
			if mv.Kind == KLib && !isCallableLib(mv.Str) {
				out.addAll(p.indexDepth(setOf(mv), key, depth+1))
				continue
			}
			// Recorded at the index expression: __index = print makes
			// t[body] a call of print.
			rs := p.metaCall(p.curIndex, setOf(mv), []*ValueSet{obj, key})
			out.addAll(rs[0])
		case KNil:
		default:
			out.addAll(p.indexDepth(setOf(mv), key, depth+1))
		}
	}
	return out
}

func (p *program) indexDepth(obj, key *ValueSet, depth int) *ValueSet {
	out := p.newSet()
	k, constKey := key.ConstString()
	for _, ov := range obj.Values() {
		switch ov.Kind {
		case KTable:
			if depth > 0 {
				// Through __index, each table counts once per lookup: a
				// chain of tables whose __index is any of the others would
				// otherwise be walked once per path.
				if slices.Contains(p.idxSeen, ov.Table) {
					continue
				}
				if len(p.idxSeen) >= maxIndexSeen {
					out.add(unknownSet)
					continue
				}
				p.idxSeen = append(p.idxSeen, ov.Table)
			}
			p.readTable(ov.Table)
			if constKey {
				if fs, ok := ov.Table.fields[k]; ok {
					out.addAll(fs)
				}
				out.addAll(&ov.Table.any)
			} else {
				out.addAll(ov.Table.allValues())
			}
			if !ov.Table.metas.Empty() {
				// A lookup that misses falls through to __index: a table is
				// indexed in turn, a function called with the table and the
				// key.
				if depth >= maxMetaDepth {
					out.add(unknownSet)
				} else {
					out.addAll(p.indexVia(p.metaHandlers(setOf(ov), "__index"), setOf(ov), key, depth))
				}
			}
		case KFunc:
			// Indexing a function fails at run time.
		case KLib:
			if !constKey {
				out.add(unknownSet)
				continue
			}
			if ov.Str == "_G" {
				out.addAll(p.readSet(&p.global(k).vals))
				continue
			}
			if ov.Str == "wrk.response.headers" || ov.Str == "wrk.args" {
				out.add(unknownSet)
				continue
			}
			path := p.libPath(ov.Str, k)
			out.add(Value{Kind: KLib, Str: path})
			out.addAll(p.readSet(p.overlaySet(path)))
			out.addAll(p.libRead(p.libAny, ov.Str))
			out.addAll(p.libMetaIndex(ov, key, depth))
		case KString, KShape:
			// Strings index the string library ("x"):rep(3), and whatever the
			// script stored there or into the string metatable's __index.
			if constKey {
				path := p.libPath("string", k)
				out.add(Value{Kind: KLib, Str: path})
				out.addAll(p.readSet(p.overlaySet(path)))
			} else {
				out.add(unknownSet)
			}
			if repl := p.readSet(p.overlaySet("string")); !repl.Empty() && depth < maxMetaDepth {
				out.addAll(p.indexVia(repl, setOf(ov), key, depth))
			}
			out.addAll(p.libRead(p.libAny, "string"))
			out.addAll(p.libMetaIndex(Value{Kind: KLib, Str: "string"}, key, depth))
		case KLookup:
			out.add(Value{Kind: KAddr, Trusted: ov.Trusted})
		case KNil, KBool, KNumber, KAddr:
			// Indexing these fails at run time or yields nothing useful.
		default:
			out.add(unknownSet)
		}
	}
	// Whatever is read out of tainted data is tainted, and so is what a
	// piece of data or a secret selects: lookup[secret:byte(i)] is as
	// revealing as the byte (implicit.go). A whole response value used as
	// a key (counts[code] = (counts[code] or 0) + 1) selects the script's
	// own buckets and is followed through the keys instead.
	out.addTaintOf(obj)
	for _, t := range key.Taint() {
		if keyRevealing(t) {
			out.addTaint(t)
		}
	}
	return out
}
