package analyzer

// Capabilities as values. A capability is a library member that reaches
// outside the script (Library(path).Cap is not CapNone), or any table or
// function that holds one: a table with one in a field, a key or a
// metatable, a function that returns one. The solver follows them like
// any value; where one flows into something it does not model, an Escape
// is recorded and WL403 reports it.

// Held is a capability found in a set of values.
type Held struct {
	// Path is the library member ("os", "os.execute", "io.file").
	Path string
	Cap  Capability
	// Via says how it is held ("" when the value is the member itself):
	// "a table field", "a function's result", ...
	Via string
}

// maxHeldDepth bounds the walk through tables and function results.
const maxHeldDepth = 8

// Escapes returns the flows into what the analysis does not model, in
// evaluation order.
func (p *Pass) Escapes() []Escape { return p.prog.escapes }

// Capability returns the first capability the set holds, directly or
// inside tables and function results.
func (p *Pass) Capability(s *ValueSet) (Held, bool) {
	w := heldWalk{seenT: map[*Table]bool{}, seenF: map[*Func]bool{}}
	return w.walk(s, "", 0)
}

type heldWalk struct {
	seenT map[*Table]bool
	seenF map[*Func]bool
}

func (w *heldWalk) walk(s *ValueSet, via string, depth int) (Held, bool) {
	if s == nil || depth > maxHeldDepth {
		return Held{}, false
	}
	for _, v := range s.Values() {
		switch v.Kind {
		case KLib:
			if c := CapabilityOf(v.Str); c != CapNone {
				return Held{Path: v.Str, Cap: c, Via: via}, true
			}
		case KTable:
			t := v.Table
			if w.seenT[t] {
				continue
			}
			w.seenT[t] = true
			next := via
			if next == "" {
				next = "a table"
			}
			for _, k := range t.keys() {
				if h, ok := w.walk(t.fields[k], next, depth+1); ok {
					return h, true
				}
			}
			for _, s := range []*ValueSet{&t.any, &t.keyVals, &t.metas} {
				if h, ok := w.walk(s, next, depth+1); ok {
					return h, true
				}
			}
		case KFunc:
			f := v.Func
			if w.seenF[f] {
				continue
			}
			w.seenF[f] = true
			next := via
			if next == "" {
				next = "a function's result"
			}
			for _, r := range f.returns {
				if h, ok := w.walk(r, next, depth+1); ok {
					return h, true
				}
			}
		}
	}
	return Held{}, false
}
