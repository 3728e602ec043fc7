package analyzer

import (
	"strconv"
	"strings"
)

// maxFoldLen bounds strings built by folding ("x"):rep(1e9) must not
// allocate a gigabyte in the linter.
const maxFoldLen = 4096

// foldStringCall evaluates string library calls (and table.concat) whose
// arguments are constants, so that names built at run time from literals
// ("etucexe"):reverse(), string.char(111, 115), table.concat{"i", "o"}
// resolve to what they name.
func foldStringCall(path string, args []*ValueSet) (*ValueSet, bool) {
	fn, ok := stringFolders[path]
	if !ok {
		return nil, false
	}
	if path == "table.concat" {
		return foldConcat(args)
	}
	// Every argument must be a set of constants; fold each combination.
	// Checked first: most calls have a run-time argument, and then no
	// combination needs building.
	n := 1
	for _, a := range args {
		vals := a.Values()
		if len(vals) == 0 {
			return nil, false
		}
		for _, v := range vals {
			if v.Kind != KString && v.Kind != KNumber && v.Kind != KNil {
				return nil, false
			}
		}
		if n*len(vals) > maxConstants {
			return nil, false
		}
		n *= len(vals)
	}
	combos := [][]Value{nil}
	for _, a := range args {
		vals := a.Values()
		var next [][]Value
		for _, c := range combos {
			for _, v := range vals {
				next = append(next, append(append([]Value(nil), c...), v))
			}
		}
		combos = next
	}
	out := &ValueSet{}
	for _, c := range combos {
		v, ok := fn(c)
		if !ok {
			return nil, false
		}
		out.add(v)
	}
	return out, true
}

type folder func(args []Value) (Value, bool)

var stringFolders = map[string]folder{
	"string.char":    foldChar,
	"string.reverse": strFold(func(s string, _ []Value) (string, bool) { return reverse(s), true }),
	"string.lower":   strFold(func(s string, _ []Value) (string, bool) { return strings.ToLower(s), true }),
	"string.upper":   strFold(func(s string, _ []Value) (string, bool) { return strings.ToUpper(s), true }),
	"string.rep":     strFold(foldRep),
	"string.sub":     strFold(foldSub),
	"string.format":  strFold(foldFormat),
	"string.gsub":    strFold(foldGsub),
	"string.len": func(a []Value) (Value, bool) {
		if s, ok := argString(a, 0); ok {
			return Value{Kind: KNumber, Num: float64(len(s))}, true
		}
		return Value{}, false
	},
	"string.byte": func(a []Value) (Value, bool) {
		s, ok := argString(a, 0)
		i := 1
		if n, ok2 := argInt(a, 1); ok2 {
			i = n
		}
		if len(a) > 2 {
			// s:byte(i, j) returns several bytes: dataResult spreads them.
			return Value{}, false
		}
		if !ok || i < 1 || i > len(s) {
			return Value{}, false
		}
		return Value{Kind: KNumber, Num: float64(s[i-1])}, true
	},
	"table.concat": nil,
}

func strFold(f func(s string, rest []Value) (string, bool)) folder {
	return func(a []Value) (Value, bool) {
		s, ok := argString(a, 0)
		if !ok {
			return Value{}, false
		}
		r, ok := f(s, a[1:])
		if !ok || len(r) > maxFoldLen {
			return Value{}, false
		}
		return Value{Kind: KString, Str: r}, true
	}
}

func argString(a []Value, i int) (string, bool) {
	if i >= len(a) {
		return "", false
	}
	return constToString(a[i])
}

func argInt(a []Value, i int) (int, bool) {
	if i >= len(a) {
		return 0, false
	}
	n, ok := toNumber(a[i])
	if !ok || n > 1<<30 || n < -(1<<30) {
		return 0, false
	}
	return int(n), true
}

func reverse(s string) string {
	b := []byte(s)
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

func foldChar(a []Value) (Value, bool) {
	b := make([]byte, 0, len(a))
	for i := range a {
		n, ok := argInt(a, i)
		if !ok || n < 0 || n > 255 {
			return Value{}, false
		}
		b = append(b, byte(n))
	}
	return Value{Kind: KString, Str: string(b)}, true
}

func foldRep(s string, rest []Value) (string, bool) {
	n, ok := argInt(rest, 0)
	if !ok {
		return "", false
	}
	sep, _ := argString(rest, 1)
	if n <= 0 {
		return "", true
	}
	if (len(s)+len(sep))*n > maxFoldLen {
		return "", false
	}
	parts := make([]string, n)
	for i := range parts {
		parts[i] = s
	}
	return strings.Join(parts, sep), true
}

// foldSub follows string.sub's index rules, negatives included.
func foldSub(s string, rest []Value) (string, bool) {
	i, ok := argInt(rest, 0)
	if !ok {
		i = 1
		if len(rest) > 0 && rest[0].Kind != KNil {
			return "", false
		}
	}
	j := -1
	if len(rest) > 1 && rest[1].Kind != KNil {
		if j, ok = argInt(rest, 1); !ok {
			return "", false
		}
	}
	l := len(s)
	if i < 0 {
		i = max(l+i+1, 1)
	} else if i == 0 {
		i = 1
	}
	if j < 0 {
		j = l + j + 1
	} else if j > l {
		j = l
	}
	if i > j {
		return "", true
	}
	return s[i-1 : j], true
}

// foldFormat handles the directives that turn constants into text: %s, %d,
// %i, %x, %X, %c, %%. Anything else (widths included) is left unfolded.
func foldFormat(f string, rest []Value) (string, bool) {
	var b strings.Builder
	ai := 0
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			b.WriteByte(f[i])
			continue
		}
		i++
		if i >= len(f) {
			return "", false
		}
		switch f[i] {
		case '%':
			b.WriteByte('%')
		case 's':
			s, ok := argString(rest, ai)
			if !ok {
				return "", false
			}
			b.WriteString(s)
			ai++
		case 'd', 'i':
			n, ok := argInt(rest, ai)
			if !ok {
				return "", false
			}
			b.WriteString(strconv.Itoa(n))
			ai++
		case 'x', 'X':
			n, ok := argInt(rest, ai)
			if !ok || n < 0 {
				return "", false
			}
			h := strconv.FormatInt(int64(n), 16)
			if f[i] == 'X' {
				h = strings.ToUpper(h)
			}
			b.WriteString(h)
			ai++
		case 'c':
			n, ok := argInt(rest, ai)
			if !ok || n < 0 || n > 255 {
				return "", false
			}
			b.WriteByte(byte(n))
			ai++
		default:
			return "", false
		}
		if b.Len() > maxFoldLen {
			return "", false
		}
	}
	return b.String(), true
}

// foldGsub folds gsub with a plain pattern (no magic characters) and a
// string replacement without captures.
func foldGsub(s string, rest []Value) (string, bool) {
	pat, ok := argString(rest, 0)
	if ok {
		pat, ok = literalPattern(pat)
	}
	if !ok || pat == "" {
		return "", false
	}
	repl, ok := argString(rest, 1)
	if !ok || strings.Contains(repl, "%") {
		return "", false
	}
	if len(rest) > 2 && rest[2].Kind != KNil {
		return "", false
	}
	// Sized before it is built: a long replacement of a frequent pattern
	// must not allocate far past the bound only to be dropped.
	if n := strings.Count(s, pat); len(s)+n*(len(repl)-len(pat)) > maxFoldLen {
		return "", false
	}
	return strings.ReplaceAll(s, pat, repl), true
}

func foldConcat(args []*ValueSet) (*ValueSet, bool) {
	if len(args) == 0 {
		return nil, false
	}
	sep := ""
	if len(args) > 1 {
		s, ok := args[1].ConstString()
		if !ok {
			if !(len(args[1].Values()) == 1 && args[1].Values()[0].Kind == KNil) {
				return nil, false
			}
		}
		sep = s
	}
	if len(args) > 2 {
		return nil, false
	}
	tv := args[0].Values()
	if len(tv) != 1 || tv[0].Kind != KTable || !tv[0].Table.any.Empty() {
		return nil, false
	}
	t := tv[0].Table
	// Each field may hold a few constants (wrk.scheme is http or https):
	// every combination is joined, up to maxConstants of them.
	fields := make([][]string, 0, len(t.fields))
	combos, size := 1, 0
	for i := 1; i <= len(t.fields); i++ {
		fs, ok := t.fields[strconv.Itoa(i)]
		if !ok {
			return nil, false // not a sequence 1..n
		}
		strs, all := schemeStrings(fs).ConstStrings()
		if combos *= len(strs); !all || combos == 0 || combos > maxConstants {
			return nil, false
		}
		longest := 0
		for _, s := range strs {
			longest = max(longest, len(s))
		}
		if size += longest + len(sep); size > maxFoldLen+len(sep) {
			// Stopped early: a constructor of thousands of strings is
			// not joined only to be dropped.
			return nil, false
		}
		fields = append(fields, strs)
	}
	joined := []string{""}
	parts := make([]string, len(fields))
	var join func(i int)
	join = func(i int) {
		if i == len(fields) {
			joined = append(joined, strings.Join(parts, sep))
			return
		}
		for _, s := range fields[i] {
			parts[i] = s
			join(i + 1)
		}
	}
	joined = joined[:0]
	join(0)
	out := &ValueSet{}
	for _, j := range joined {
		out.add(Value{Kind: KString, Str: j})
	}
	return out, true
}

// literalPattern returns the text a Lua pattern matches when it matches
// exactly one string: plain characters and %-escaped punctuation, none
// quantified. Lua reads a pattern item by item, so *, +, - and ? are
// literal where an item starts ("-" alone matches "-"), and quantifiers
// only where they follow one. Anything else (classes, sets, captures,
// anchors) is not a literal.
func literalPattern(pat string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(pat); {
		c := pat[i]
		switch {
		case c == '%':
			if i+1 >= len(pat) {
				return "", false
			}
			e := pat[i+1]
			if e >= '0' && e <= '9' || e >= 'a' && e <= 'z' || e >= 'A' && e <= 'Z' {
				return "", false // a class (%d) or a back reference (%1)
			}
			c = e
			i += 2
		case c == '(' || c == ')' || c == '[' || c == '.':
			return "", false
		case c == '^' && i == 0, c == '$' && i == len(pat)-1:
			return "", false
		default:
			i++
		}
		if i < len(pat) && strings.IndexByte("*+-?", pat[i]) >= 0 {
			return "", false
		}
		b.WriteByte(c)
	}
	return b.String(), true
}
