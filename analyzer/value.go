package analyzer

import (
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// Kind is the kind of an abstract value.
type Kind uint8

// Kinds of abstract values. KUnknown stands for any run-time value.
const (
	KUnknown Kind = iota
	KNil
	KBool
	KNumber
	KString
	// KLib is a library table or member, or a module, named by Path
	// ("os", "os.execute", "module:socket", "io.file.write").
	KLib
	KTable
	KFunc
	// KLookup is the list wrk.lookup returns; KAddr an element of it.
	// Trusted says the lookup was of wrk.host.
	KLookup
	KAddr
	// KShape is a string computed at run time of which a constant prefix
	// and suffix are known ("action_fail_" .. name): enough to prove that
	// it cannot name a library, never enough to fold it.
	KShape
)

// Value is an abstract value. It is comparable.
type Value struct {
	Str   string // KString: the string; KLib: the path
	Num   float64
	Table *Table
	Func  *Func
	// Kind and Trusted side by side: 48 bytes rather than 56.
	Kind    Kind
	Trusted bool
}

// IsLib reports whether v is the library member at path.
func (v Value) IsLib(path string) bool { return v.Kind == KLib && v.Str == path }

// Path returns the library path of a KLib value, or "".
func (v Value) Path() string {
	if v.Kind == KLib {
		return v.Str
	}
	return ""
}

func (v Value) String() string {
	switch v.Kind {
	case KNil:
		return "nil"
	case KBool:
		return "boolean"
	case KNumber:
		return strconv.FormatFloat(v.Num, 'g', -1, 64)
	case KString:
		return strconv.Quote(v.Str)
	case KLib:
		return v.Str
	case KTable:
		return "table"
	case KFunc:
		return "function"
	case KLookup:
		return "wrk.lookup result"
	case KAddr:
		return "address"
	case KShape:
		pre, suf := v.Shape()
		return strconv.Quote(pre) + "..." + strconv.Quote(suf)
	}
	return "unknown"
}

// maxConstants bounds how many constants a set tracks before it widens to
// KUnknown; it makes the fixed point terminate on loops that build strings.
const maxConstants = 8

// ValueSet is the set of values an expression or location may hold.
type ValueSet struct {
	vals  []Value
	taint []Source
	// read is the number of the solver pass that last read this location;
	// table is the table whose field this set is, if any.
	read, firstRead uint32
	table           *Table
	// first holds the first two values, so that the common sets of one or
	// two values (a value or nil, a string or unknown) cost no second
	// allocation. A ValueSet must not be copied once used.
	first [2]Value
	// index holds the members once the set has indexFrom of them, and
	// consts counts its constants: with a scan per insertion, a chain of
	// n metatables that each reach the others cost n³ (hostile input).
	index  map[Value]struct{}
	consts int
}

// indexFrom is the size from which a set keeps a hash index of its
// members; below it a scan of the slice is cheaper.
const indexFrom = 24

// Values returns the members of the set. The slice must not be modified.
func (s *ValueSet) Values() []Value {
	if s == nil {
		return nil
	}
	return s.vals
}

// Empty reports whether nothing is known to flow here.
func (s *ValueSet) Empty() bool { return s == nil || len(s.vals) == 0 }

// Has reports whether the set holds v.
func (s *ValueSet) Has(v Value) bool {
	if s == nil {
		return false
	}
	if s.index != nil {
		_, ok := s.index[v]
		return ok
	}
	for _, x := range s.vals {
		if x == v {
			return true
		}
	}
	return false
}

// HasLib reports whether the set holds the library member at path.
func (s *ValueSet) HasLib(path string) bool { return s.Has(Value{Kind: KLib, Str: path}) }

// HasKind reports whether the set holds a value of kind k.
func (s *ValueSet) HasKind(k Kind) bool {
	if s == nil {
		return false
	}
	for _, x := range s.vals {
		if x.Kind == k {
			return true
		}
	}
	return false
}

// ConstString returns the string when the set is exactly one constant
// string (a number counts, converted as Lua converts it).
func (s *ValueSet) ConstString() (string, bool) {
	if s == nil || len(s.vals) != 1 {
		return "", false
	}
	return constToString(s.vals[0])
}

// ConstStrings returns every constant string in the set and whether the set
// holds nothing else.
func (s *ValueSet) ConstStrings() ([]string, bool) {
	if s == nil || len(s.vals) == 0 {
		return nil, false
	}
	var out []string
	all := true
	for _, v := range s.vals {
		if str, ok := constToString(v); ok {
			out = append(out, str)
		} else {
			all = false
		}
	}
	return out, all
}

func constToString(v Value) (string, bool) {
	switch v.Kind {
	case KString:
		return v.Str, true
	case KNumber:
		return luaNumberString(v.Num), true
	}
	return "", false
}

func luaNumberString(n float64) string {
	if n == float64(int64(n)) && n < 1e15 && n > -1e15 {
		return strconv.FormatInt(int64(n), 10)
	}
	return strconv.FormatFloat(n, 'g', 14, 64)
}

// add inserts v and reports whether the set changed.
func (s *ValueSet) add(v Value) bool {
	if s.Has(v) {
		return false
	}
	constant := v.Kind == KString || v.Kind == KNumber || v.Kind == KShape
	if constant {
		if s.consts >= maxConstants {
			return s.add(Value{Kind: KUnknown})
		}
		s.consts++
	}
	switch {
	case s.vals == nil:
		s.first[0] = v
		s.vals = s.first[:1:2]
	case s.index != nil:
		s.index[v] = struct{}{}
		s.vals = append(s.vals, v)
	default:
		s.vals = append(s.vals, v)
		if len(s.vals) >= indexFrom {
			s.index = make(map[Value]struct{}, 2*len(s.vals))
			for _, x := range s.vals {
				s.index[x] = struct{}{}
			}
		}
	}
	return true
}

// addAll inserts every member of o and reports whether s changed.
func (s *ValueSet) addAll(o *ValueSet) bool {
	if o == nil {
		return false
	}
	changed := s.addTaintOf(o)
	for _, v := range o.vals {
		if s.add(v) {
			changed = true
		}
	}
	return changed
}

func setOf(vs ...Value) *ValueSet {
	s := &ValueSet{}
	for _, v := range vs {
		s.add(v)
	}
	return s
}

var unknownSet = Value{Kind: KUnknown}

func unknown() *ValueSet { return setOf(unknownSet) }

// Table is an abstract table: one per table constructor in the source.
type Table struct {
	Node   *ast.TableExpr
	fields map[string]*ValueSet
	// any holds values stored under keys that are not constant.
	any ValueSet
	// keyVals holds the keys that are not constant, so that iterating the
	// table yields them (with their taint, and any capability used as a
	// key).
	keyVals ValueSet
	// metas holds the metatables set on this table (setmetatable, or
	// newproxy's); implicit metamethods are looked up there.
	metas ValueSet
	// mutated is set when the script assigns into the table after building
	// it, so it no longer folds as a constant.
	mutated bool
	// read and firstRead stamp the last and the first read of any field
	// in the current solver pass.
	read, firstRead uint32
	self            *ValueSet
	// sorted caches keys(); field drops it when it adds a key (a new
	// slice then, so that a caller still ranging over the old one is
	// unaffected).
	sorted []string
}

func newTable(n *ast.TableExpr) *Table {
	t := &Table{Node: n, fields: map[string]*ValueSet{}}
	t.any.table = t
	t.keyVals.table = t
	t.metas.table = t
	return t
}

// value returns the set holding just t, made once.
func (t *Table) value() *ValueSet {
	if t.self == nil {
		t.self = setOf(Value{Kind: KTable, Table: t})
	}
	return t.self
}

func (t *Table) field(k string) *ValueSet {
	s, ok := t.fields[k]
	if !ok {
		s = &ValueSet{table: t}
		t.fields[k] = s
		t.sorted = nil
	}
	return s
}

// keys returns the table's constant keys in sorted order: map order would
// make the order of values, and so messages, vary between runs. The slice
// is shared: callers must not modify it. It is sorted once per change,
// not once per read (every pass reads the tables it iterates).
func (t *Table) keys() []string {
	if t.sorted == nil && len(t.fields) > 0 {
		keys := make([]string, 0, len(t.fields))
		for k := range t.fields {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.sorted = keys
	}
	return t.sorted
}

// allValues is the union of every field.
func (t *Table) allValues() *ValueSet {
	out := &ValueSet{}
	for _, k := range t.keys() {
		out.addAll(t.fields[k])
	}
	out.addAll(&t.any)
	return out
}

// Func is an abstract function: one per function expression.
type Func struct {
	Node    *ast.FunctionExpr
	params  []*Var
	vararg  ValueSet
	returns []*ValueSet
	// called is set once a visible call site calls the function; opened
	// once it has been given unknown arguments for lack of one.
	called, opened bool
	// retRead is the pass that last read the return values; queued the
	// pass whose body evaluation is pending.
	retRead, retFirst, queued, evaluated uint32
	self                                 *ValueSet
}

// value returns the set holding just f, made once.
func (f *Func) value() *ValueSet {
	if f.self == nil {
		f.self = setOf(Value{Kind: KFunc, Func: f})
	}
	return f.self
}

func (f *Func) ret(i int) *ValueSet {
	for len(f.returns) <= i {
		f.returns = append(f.returns, &ValueSet{})
	}
	return f.returns[i]
}

// Var is a variable: a local binding or a global name.
type Var struct {
	Name   string
	Global bool
	vals   ValueSet
	// decl is the expression a local is initialised with, if any.
	decl ast.Expr
	// stores counts assignments after the declaration (locals only); loop
	// variables and parameters count as assigned.
	stores int
}

// Values returns what the variable may hold.
func (v *Var) Values() *ValueSet { return &v.vals }

// builtinGlobals are the names LuaJIT and wrk define before a script runs.
var builtinGlobals = map[string]bool{
	"string": true, "table": true, "math": true, "io": true, "os": true, "debug": true,
	"package": true, "coroutine": true, "bit": true, "jit": true, "_G": true, "_VERSION": true,
	"print": true, "require": true, "load": true, "loadstring": true, "loadfile": true,
	"dofile": true, "pcall": true, "xpcall": true, "error": true, "assert": true, "type": true,
	"tostring": true, "tonumber": true, "pairs": true, "ipairs": true, "next": true,
	"select": true, "unpack": true, "rawget": true, "rawset": true, "rawequal": true,
	"setmetatable": true, "getmetatable": true, "getfenv": true, "setfenv": true,
	"collectgarbage": true, "module": true, "newproxy": true, "gcinfo": true, "wrk": true,
}

// builtinModules are the names require returns a standard library for.
var builtinModules = map[string]bool{
	"string": true, "table": true, "math": true, "io": true, "os": true, "debug": true,
	"package": true, "coroutine": true, "bit": true, "jit": true, "_G": true,
}

// moduleValue is what require(name) evaluates to.
func moduleValue(name string) Value {
	if builtinModules[name] {
		return Value{Kind: KLib, Str: name}
	}
	if name == "wrk" {
		return Value{Kind: KLib, Str: "wrk"}
	}
	return Value{Kind: KLib, Str: "module:" + name}
}

// libIndex is the path of member key of library path p.
func libIndex(p, key string) string {
	switch p {
	case "_G":
		return key
	case "package.loaded":
		return moduleValue(key).Str
	case stringMetatable:
		if key == "__index" {
			return "string"
		}
	case handleMetatable:
		if key == "__index" {
			return "io.file"
		}
	case debugRegistry:
		if key == "_LOADED" {
			return "package.loaded"
		}
	}
	if strings.HasPrefix(p, "io.file") || strings.HasPrefix(p, "io.pfile") || p == "io.stdout" || p == "io.stderr" || p == "io.stdin" {
		return p + ":" + key
	}
	return p + "." + key
}
