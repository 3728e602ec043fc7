package luart

import (
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// cjsonConfig holds one cjson instance's settings (cjson.new() makes a
// fresh one), with lua-cjson 2.1's defaults.
type cjsonConfig struct {
	emptyTableAsObject bool
	escapeSlash        bool
	precision          int
	encodeMaxDepth     int
	decodeMaxDepth     int
	sparseConvert      bool
	sparseRatio        int
	sparseSafe         int
}

func defaultCJSON() *cjsonConfig {
	return &cjsonConfig{
		emptyTableAsObject: true, escapeSlash: true, precision: 14,
		encodeMaxDepth: 1000, decodeMaxDepth: 1000, sparseRatio: 2, sparseSafe: 10,
	}
}

// cjsonNull is the state's cjson.null, shared by cjson and cjson.safe.
func (st *state) cjsonNull() *lua.LUserData {
	if v, ok := st.ls.G.Registry.RawGetString("luart.cjson.null").(*lua.LUserData); ok {
		return v
	}
	ud := st.ls.NewUserData()
	mt := st.ls.NewTable()
	mt.RawSetString("__tostring", st.ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(lua.LString("userdata: NULL"))
		return 1
	}))
	mt.RawSetString("__metatable", lua.LFalse)
	ud.Metatable = mt
	st.ls.G.Registry.RawSetString("luart.cjson.null", ud)
	return ud
}

// openCJSON builds a lua-cjson compatible module in Go (C modules cannot
// load). safe makes encode and decode return nil, message instead of
// raising, as cjson.safe does.
func (st *state) openCJSON(safe bool) *lua.LTable {
	ls := st.ls
	cfg := defaultCJSON()
	null := st.cjsonNull()
	m := ls.NewTable()
	wrap := func(f func(ls *lua.LState) (lua.LValue, error)) *lua.LFunction {
		return ls.NewFunction(func(ls *lua.LState) int {
			v, err := f(ls)
			if err != nil {
				if safe {
					ls.Push(lua.LNil)
					ls.Push(lua.LString(err.Error()))
					return 2
				}
				ls.Error(lua.LString(err.Error()), 0) // no position, as luaL_error from C
			}
			ls.Push(v)
			return 1
		})
	}
	m.RawSetString("encode", wrap(func(ls *lua.LState) (lua.LValue, error) {
		if ls.GetTop() != 1 {
			ls.ArgError(1, "expected 1 argument")
		}
		e := &cjsonEncoder{cfg: cfg, null: null, limit: st.s.opts.maxString(), poll: newPoller(st.ctx)}
		if err := e.encode(ls.Get(1), 0); err != nil {
			return nil, err
		}
		return lua.LString(e.buf), nil
	}))
	m.RawSetString("decode", wrap(func(ls *lua.LState) (lua.LValue, error) {
		s := ls.CheckString(1)
		d := &cjsonDecoder{ls: ls, cfg: cfg, null: null, s: s, poll: newPoller(st.ctx)}
		return d.decode()
	}))
	m.RawSetString("null", null)
	m.RawSetString("_NAME", lua.LString(map[bool]string{false: "cjson", true: "cjson.safe"}[safe]))
	m.RawSetString("_VERSION", lua.LString("2.1.0"))
	m.RawSetString("new", ls.NewFunction(func(ls *lua.LState) int {
		ls.Push(st.openCJSON(safe))
		return 1
	}))
	boolOpt := func(p *bool) *lua.LFunction {
		return ls.NewFunction(func(ls *lua.LState) int {
			if v := ls.Get(1); v != lua.LNil {
				*p = lua.LVAsBool(v) && v != lua.LString("off")
			}
			ls.Push(lua.LBool(*p))
			return 1
		})
	}
	intOpt := func(p *int, lo, hi int) *lua.LFunction {
		return ls.NewFunction(func(ls *lua.LState) int {
			if v := ls.Get(1); v != lua.LNil {
				n := ls.CheckInt(1)
				if n < lo || n > hi {
					ls.ArgError(1, fmt.Sprintf("expected integer between %d and %d", lo, hi))
				}
				*p = n
			}
			ls.Push(lua.LNumber(*p))
			return 1
		})
	}
	m.RawSetString("encode_empty_table_as_object", boolOpt(&cfg.emptyTableAsObject))
	m.RawSetString("encode_escape_forward_slash", boolOpt(&cfg.escapeSlash))
	m.RawSetString("encode_number_precision", intOpt(&cfg.precision, 1, 16))
	m.RawSetString("encode_max_depth", intOpt(&cfg.encodeMaxDepth, 1, math.MaxInt32))
	m.RawSetString("decode_max_depth", intOpt(&cfg.decodeMaxDepth, 1, math.MaxInt32))
	m.RawSetString("encode_sparse_array", ls.NewFunction(func(ls *lua.LState) int {
		if v := ls.Get(1); v != lua.LNil {
			cfg.sparseConvert = lua.LVAsBool(v)
		}
		if ls.GetTop() >= 2 {
			cfg.sparseRatio = ls.CheckInt(2)
		}
		if ls.GetTop() >= 3 {
			cfg.sparseSafe = ls.CheckInt(3)
		}
		ls.Push(lua.LBool(cfg.sparseConvert))
		ls.Push(lua.LNumber(cfg.sparseRatio))
		ls.Push(lua.LNumber(cfg.sparseSafe))
		return 3
	}))
	return m
}

// cjsonError is an error whose text is lua-cjson's, capitalised as scripts
// match on it.
type cjsonError string

func (e cjsonError) Error() string { return string(e) }

// maxCJSONDepth bounds the nesting encode and decode follow whatever
// encode_max_depth and decode_max_depth say: they recurse on the Go stack,
// and a self-referencing table under encode_max_depth(2^31-1) overflowed
// it (a fatal error, not a panic). It is lua-cjson's default.
const maxCJSONDepth = 1000

type cjsonEncoder struct {
	cfg   *cjsonConfig
	null  *lua.LUserData
	buf   []byte
	limit int
	poll  poller
}

func (e *cjsonEncoder) full() error {
	if len(e.buf) > e.limit {
		return cjsonErrorf("Cannot serialise: result exceeds the sandbox limit of %d MiB", e.limit>>20)
	}
	return nil
}

func (e *cjsonEncoder) encode(v lua.LValue, depth int) error {
	if err := e.full(); err != nil {
		return err
	}
	if err := e.poll.step(1); err != nil {
		return err
	}
	switch v := v.(type) {
	case *lua.LNilType:
		e.buf = append(e.buf, "null"...)
	case lua.LBool:
		e.buf = strconv.AppendBool(e.buf, bool(v))
	case lua.LNumber:
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return cjsonError("Cannot serialise number: must not be NaN or Inf")
		}
		e.buf = e.number(e.buf, f)
	case lua.LString:
		if err := e.str(string(v)); err != nil {
			return err
		}
	case *lua.LUserData:
		if v != e.null {
			return cjsonError("Cannot serialise userdata: type not supported")
		}
		e.buf = append(e.buf, "null"...)
	case *lua.LTable:
		if depth+1 > min(e.cfg.encodeMaxDepth, maxCJSONDepth) {
			return cjsonErrorf("Cannot serialise, excessive nesting (%d)", depth+1)
		}
		realizeHeaders(v)
		n, err := e.arrayLength(v)
		if err != nil {
			return err
		}
		if n > 0 || (n == 0 && !e.cfg.emptyTableAsObject) {
			e.buf = append(e.buf, '[')
			for i := 1; i <= n; i++ {
				if i > 1 {
					e.buf = append(e.buf, ',')
				}
				if err := e.encode(v.RawGetInt(i), depth+1); err != nil {
					return err
				}
			}
			e.buf = append(e.buf, ']')
			return nil
		}
		e.buf = append(e.buf, '{')
		first := true
		for k, val := v.Next(lua.LNil); k != lua.LNil; k, val = v.Next(k) {
			if !first {
				e.buf = append(e.buf, ',')
			}
			first = false
			switch k := k.(type) {
			case lua.LString:
				if err := e.str(string(k)); err != nil {
					return err
				}
			case lua.LNumber:
				e.buf = append(e.buf, '"')
				e.buf = e.number(e.buf, float64(k))
				e.buf = append(e.buf, '"')
			default:
				return cjsonError("Cannot serialise table: table key must be a number or string")
			}
			e.buf = append(e.buf, ':')
			if err = e.encode(val, depth+1); err != nil {
				return err
			}
		}
		e.buf = append(e.buf, '}')
	default:
		return cjsonErrorf("Cannot serialise %s: type not supported", v.Type())
	}
	return nil
}

// arrayLength is lua-cjson's test: a table whose keys are all positive
// integers is an array of its largest key (holes become null) unless it is
// excessively sparse; -1 means an object, 0 an empty table.
func (e *cjsonEncoder) arrayLength(t *lua.LTable) (int, error) {
	maxKey, items := 0, 0
	for k, _ := t.Next(lua.LNil); k != lua.LNil; k, _ = t.Next(k) {
		n, ok := k.(lua.LNumber)
		if !ok || float64(n) < 1 || float64(n) != math.Floor(float64(n)) || float64(n) > math.MaxInt32 {
			return -1, nil
		}
		maxKey = max(maxKey, int(n))
		items++
	}
	if e.cfg.sparseRatio > 0 && maxKey > items*e.cfg.sparseRatio && maxKey > e.cfg.sparseSafe {
		if !e.cfg.sparseConvert {
			return 0, cjsonError("Cannot serialise table: excessively sparse array")
		}
		return -1, nil
	}
	return maxKey, nil
}

func (e *cjsonEncoder) number(b []byte, f float64) []byte {
	// %.14g, as lua-cjson's default encode_number_precision.
	return strconv.AppendFloat(b, f, 'g', e.cfg.precision, 64)
}

// str appends s quoted; escapes can make it six times longer, so the
// size limit is checked as it goes.
func (e *cjsonEncoder) str(s string) error {
	e.buf = append(e.buf, '"')
	for i := 0; i < len(s); i++ {
		if i%4096 == 4095 {
			if err := e.full(); err != nil {
				return err
			}
		}
		c := s[i]
		switch {
		case c == '"':
			e.buf = append(e.buf, `\"`...)
		case c == '\\':
			e.buf = append(e.buf, `\\`...)
		case c == '/' && e.cfg.escapeSlash:
			e.buf = append(e.buf, `\/`...)
		case c == '\b':
			e.buf = append(e.buf, `\b`...)
		case c == '\f':
			e.buf = append(e.buf, `\f`...)
		case c == '\n':
			e.buf = append(e.buf, `\n`...)
		case c == '\r':
			e.buf = append(e.buf, `\r`...)
		case c == '\t':
			e.buf = append(e.buf, `\t`...)
		case c < 0x20 || c == 0x7f:
			e.buf = fmt.Appendf(e.buf, `\u%04x`, c)
		default:
			e.buf = append(e.buf, c)
		}
	}
	e.buf = append(e.buf, '"')
	return nil
}

type cjsonDecoder struct {
	ls    *lua.LState
	cfg   *cjsonConfig
	null  *lua.LUserData
	s     string
	pos   int
	depth int
	poll  poller
}

func (d *cjsonDecoder) errorf(format string, args ...any) error {
	return fmt.Errorf("%s at character %d", fmt.Sprintf(format, args...), d.pos+1)
}

// found names the token at pos in cjson's words.
func (d *cjsonDecoder) found() string {
	if d.pos >= len(d.s) {
		return "T_END"
	}
	switch d.s[d.pos] {
	case '{':
		return "T_OBJ_BEGIN"
	case '}':
		return "T_OBJ_END"
	case '[':
		return "T_ARR_BEGIN"
	case ']':
		return "T_ARR_END"
	case ',':
		return "T_COMMA"
	case ':':
		return "T_COLON"
	case '"':
		return "T_STRING"
	}
	return "invalid token"
}

func (d *cjsonDecoder) skipSpace() {
	for d.pos < len(d.s) {
		switch d.s[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

func (d *cjsonDecoder) decode() (lua.LValue, error) {
	d.skipSpace()
	v, err := d.value()
	if err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos < len(d.s) {
		return nil, d.errorf("Expected the end but found %s", d.found())
	}
	return v, nil
}

func (d *cjsonDecoder) value() (lua.LValue, error) {
	// Every value may allocate (a table costs about 600 bytes): a wide
	// document such as "[[],[],...]" builds millions of them in this one
	// call, which stops when the watchdog cancels the state.
	if err := d.poll.step(1); err != nil {
		return nil, err
	}
	if d.pos >= len(d.s) {
		return nil, d.errorf("Expected value but found T_END")
	}
	switch c := d.s[d.pos]; {
	case c == '{':
		return d.object()
	case c == '[':
		return d.array()
	case c == '"':
		s, err := d.str()
		return lua.LString(s), err
	case c == '-' || (c >= '0' && c <= '9'):
		return d.number()
	}
	for _, lit := range []struct {
		text string
		v    lua.LValue
	}{{"true", lua.LTrue}, {"false", lua.LFalse}, {"null", d.null}} {
		if len(d.s)-d.pos >= len(lit.text) && d.s[d.pos:d.pos+len(lit.text)] == lit.text {
			d.pos += len(lit.text)
			return lit.v, nil
		}
	}
	return nil, d.errorf("Expected value but found %s", d.found())
}

func (d *cjsonDecoder) enter() error {
	d.depth++
	if d.depth > min(d.cfg.decodeMaxDepth, maxCJSONDepth) {
		return d.errorf("Found too many nested data structures (%d)", d.depth)
	}
	return nil
}

func (d *cjsonDecoder) object() (lua.LValue, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	t := d.ls.NewTable()
	d.pos++
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == '}' {
		d.pos++
		d.depth--
		return t, nil
	}
	for {
		d.skipSpace()
		if d.pos >= len(d.s) || d.s[d.pos] != '"' {
			return nil, d.errorf("Expected object key string but found %s", d.found())
		}
		k, err := d.str()
		if err != nil {
			return nil, err
		}
		d.skipSpace()
		if d.pos >= len(d.s) || d.s[d.pos] != ':' {
			return nil, d.errorf("Expected colon but found %s", d.found())
		}
		d.pos++
		d.skipSpace()
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		t.RawSetString(k, v)
		d.skipSpace()
		if d.pos < len(d.s) && d.s[d.pos] == ',' {
			d.pos++
			continue
		}
		if d.pos < len(d.s) && d.s[d.pos] == '}' {
			d.pos++
			d.depth--
			return t, nil
		}
		return nil, d.errorf("Expected comma or object end but found %s", d.found())
	}
}

func (d *cjsonDecoder) array() (lua.LValue, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	t := d.ls.NewTable()
	d.pos++
	d.skipSpace()
	if d.pos < len(d.s) && d.s[d.pos] == ']' {
		d.pos++
		d.depth--
		return t, nil
	}
	for i := 1; ; i++ {
		d.skipSpace()
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		t.RawSetInt(i, v)
		d.skipSpace()
		if d.pos < len(d.s) && d.s[d.pos] == ',' {
			d.pos++
			continue
		}
		if d.pos < len(d.s) && d.s[d.pos] == ']' {
			d.pos++
			d.depth--
			return t, nil
		}
		return nil, d.errorf("Expected comma or array end but found %s", d.found())
	}
}

func (d *cjsonDecoder) number() (lua.LValue, error) {
	start := d.pos
	for d.pos < len(d.s) {
		c := d.s[d.pos]
		if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
			d.pos++
			continue
		}
		break
	}
	f, err := strconv.ParseFloat(d.s[start:d.pos], 64)
	if err != nil {
		d.pos = start
		return nil, d.errorf("Expected value but found invalid number")
	}
	return lua.LNumber(f), nil
}

func (d *cjsonDecoder) str() (string, error) {
	start := d.pos
	d.pos++ // opening quote
	var b []byte
	for {
		if d.pos >= len(d.s) {
			d.pos = start
			return "", d.errorf("Expected value but found unexpected end of string")
		}
		switch c := d.s[d.pos]; c {
		case '"':
			d.pos++
			return string(b), nil
		case '\\':
			if d.pos+1 >= len(d.s) {
				d.pos = start
				return "", d.errorf("Expected value but found unexpected end of string")
			}
			esc := d.s[d.pos+1]
			d.pos += 2
			switch esc {
			case '"', '\\', '/':
				b = append(b, esc)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := d.hex4()
				if ok && r >= 0xd800 && r < 0xdc00 {
					// A high surrogate must be followed by \u and a low one.
					if d.pos+1 < len(d.s) && d.s[d.pos] == '\\' && d.s[d.pos+1] == 'u' {
						d.pos += 2
						lo, ok2 := d.hex4()
						if ok2 && lo >= 0xdc00 && lo < 0xe000 {
							r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
						} else {
							ok = false
						}
					} else {
						ok = false
					}
				} else if ok && r >= 0xdc00 && r < 0xe000 {
					ok = false
				}
				if !ok {
					d.pos = start
					return "", d.errorf("Expected value but found invalid unicode escape code")
				}
				b = utf8.AppendRune(b, rune(r))
			default:
				d.pos = start
				return "", d.errorf("Expected value but found invalid escape code")
			}
		default:
			b = append(b, c)
			d.pos++
		}
	}
}

func (d *cjsonDecoder) hex4() (int, bool) {
	if d.pos+4 > len(d.s) {
		return 0, false
	}
	n, err := strconv.ParseUint(d.s[d.pos:d.pos+4], 16, 32)
	if err != nil {
		return 0, false
	}
	d.pos += 4
	return int(n), true
}

func cjsonErrorf(format string, args ...any) error { return cjsonError(fmt.Sprintf(format, args...)) }
