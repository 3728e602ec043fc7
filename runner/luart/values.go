package luart

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	lua "github.com/yuin/gopher-lua"
)

// Lua values cross processes (a shard's result to wrkrun merge) as JSON:
// nil, booleans, finite numbers and UTF-8 strings as themselves; anything
// JSON cannot hold exactly as a one-key object: {"bytes": base64} for a
// string that is not UTF-8, {"number": "inf"|"-inf"|"nan"}, and
// {"table": [[key, value], ...]} for a table (keys of any type, entries in
// a fixed order). The format is the luaValue of
// docs/wrkrun-result.schema.json.

// maxValueDepth bounds table nesting both ways, as thread:get does.
const maxValueDepth = maxCopyDepth

// EncodeValue returns v in the JSON form above. Functions, userdata,
// threads and cyclic tables cannot be encoded.
func EncodeValue(v lua.LValue) (json.RawMessage, error) {
	return EncodeValueLimit(v, math.MaxInt)
}

// EncodeValueLimit is EncodeValue refusing, as it goes, a result of more
// than limit bytes: the size is known only once encoded, and a table of
// many copies of one big string encodes to a multiple of what it holds.
func EncodeValueLimit(v lua.LValue, limit int) (json.RawMessage, error) {
	var b bytes.Buffer
	left := limit
	if err := encodeValue(&b, v, map[*lua.LTable]bool{}, 0, &left); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// errTooLarge is what EncodeValueLimit returns past its limit.
var errTooLarge = errors.New("the value is too large to record")

func encodeValue(b *bytes.Buffer, v lua.LValue, open map[*lua.LTable]bool, depth int, left *int) error {
	// What a leaf writes is charged before it is written (a string's
	// escaped or base64 form is at most 6 or 4/3 times its length, plus
	// the brackets of its entry).
	charge := func(n int) error {
		if *left -= n + 8; *left < 0 {
			return errTooLarge
		}
		return nil
	}
	if err := charge(16); err != nil {
		return err
	}
	switch v := v.(type) {
	case *lua.LNilType:
		b.WriteString("null")
	case lua.LBool:
		b.WriteString(strconv.FormatBool(bool(v)))
	case lua.LNumber:
		f := float64(v)
		switch {
		case math.IsNaN(f):
			b.WriteString(`{"number":"nan"}`)
		case math.IsInf(f, 1):
			b.WriteString(`{"number":"inf"}`)
		case math.IsInf(f, -1):
			b.WriteString(`{"number":"-inf"}`)
		case f == math.Trunc(f) && math.Abs(f) < 1e21:
			b.WriteString(strconv.FormatFloat(f, 'f', 0, 64)) // exact digits: counters read as integers
		default:
			b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
		}
	case lua.LString:
		s := string(v)
		if err := charge(len(s)); err != nil {
			return err
		}
		if !utf8.ValidString(s) {
			b.WriteString(`{"bytes":"` + base64.StdEncoding.EncodeToString([]byte(s)) + `"}`)
			return nil
		}
		enc, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("encoding a string: %w", err)
		}
		b.Write(enc)
	case *lua.LTable:
		if open[v] {
			return errors.New("a table that contains itself cannot be recorded")
		}
		if depth >= maxValueDepth {
			return fmt.Errorf("a table nested more than %d levels cannot be recorded", maxValueDepth)
		}
		realizeHeaders(v)
		open[v] = true
		defer delete(open, v)
		var entries [][]byte
		var err error
		v.ForEach(func(k, val lua.LValue) {
			if err != nil {
				return
			}
			var e bytes.Buffer
			e.WriteByte('[')
			if err = encodeValue(&e, k, open, depth+1, left); err != nil {
				return
			}
			e.WriteByte(',')
			if err = encodeValue(&e, val, open, depth+1, left); err != nil {
				return
			}
			e.WriteByte(']')
			entries = append(entries, e.Bytes())
		})
		if err != nil {
			return err
		}
		// Table iteration order is not defined; the document's is.
		sort.Slice(entries, func(i, j int) bool { return bytes.Compare(entries[i], entries[j]) < 0 })
		b.WriteString(`{"table":[`)
		b.Write(bytes.Join(entries, []byte(",")))
		b.WriteString(`]}`)
	default:
		return fmt.Errorf("a %s cannot be recorded", v.Type())
	}
	return nil
}

// DecodeValue builds the Lua value raw encodes in ls.
func DecodeValue(ls *lua.LState, raw json.RawMessage) (lua.LValue, error) {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var x any
	if err := d.Decode(&x); err != nil {
		return nil, fmt.Errorf("decoding a Lua value: %w", err)
	}
	return decodeValue(ls, x, 0)
}

func decodeValue(ls *lua.LState, x any, depth int) (lua.LValue, error) {
	switch x := x.(type) {
	case nil:
		return lua.LNil, nil
	case bool:
		return lua.LBool(x), nil
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		if err != nil {
			return nil, fmt.Errorf("number %s: %w", x, err)
		}
		return lua.LNumber(f), nil
	case string:
		return lua.LString(x), nil
	case map[string]any:
		if len(x) != 1 {
			return nil, fmt.Errorf("an object with %d keys is not a Lua value (want one of bytes, number, table)", len(x))
		}
		if s, ok := x["bytes"].(string); ok {
			b, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, fmt.Errorf("bytes: %w", err)
			}
			return lua.LString(b), nil
		}
		if s, ok := x["number"].(string); ok {
			switch s {
			case "inf":
				return lua.LNumber(math.Inf(1)), nil
			case "-inf":
				return lua.LNumber(math.Inf(-1)), nil
			case "nan":
				return lua.LNumber(math.NaN()), nil
			}
			return nil, fmt.Errorf("number %q: want inf, -inf or nan", s)
		}
		entries, ok := x["table"].([]any)
		if !ok {
			return nil, errors.New("an object that is not bytes, number or table is not a Lua value")
		}
		if depth >= maxValueDepth {
			return nil, fmt.Errorf("a table nested more than %d levels", maxValueDepth)
		}
		t := ls.NewTable()
		for _, e := range entries {
			pair, ok := e.([]any)
			if !ok || len(pair) != 2 {
				return nil, errors.New("a table entry is not a [key, value] pair")
			}
			k, err := decodeValue(ls, pair[0], depth+1)
			if err != nil {
				return nil, err
			}
			v, err := decodeValue(ls, pair[1], depth+1)
			if err != nil {
				return nil, err
			}
			if k == lua.LNil || (k.Type() == lua.LTNumber && math.IsNaN(float64(k.(lua.LNumber)))) {
				return nil, errors.New("a table key is nil or NaN")
			}
			t.RawSet(k, v)
		}
		return t, nil
	}
	return nil, fmt.Errorf("%T is not a Lua value", x)
}

// maxCopyDepth bounds the nesting thread:get/set copies.
const maxCopyDepth = 200

// maxCopyValues bounds the tables and entries one thread:get or
// thread:set copies: the copy is one Go call, which the VM cannot
// interrupt; a million entries take well under a second and some tens of
// megabytes.
const maxCopyValues = 1 << 20

// copyValue copies v for dst: nil, booleans, numbers, strings and tables
// of those (nested and cyclic tables keep their shape). It stops when
// dst's state is cancelled (the memory budget cancels every state).
func copyValue(v lua.LValue, dst *lua.LState) (lua.LValue, error) {
	c := copier{dst: dst, seen: map[*lua.LTable]*lua.LTable{}, poll: newPoller(dst.Context())}
	return c.copy(v, 0)
}

type copier struct {
	dst    *lua.LState
	seen   map[*lua.LTable]*lua.LTable
	poll   poller
	values int
}

func (c *copier) copy(v lua.LValue, depth int) (lua.LValue, error) {
	switch v := v.(type) {
	case *lua.LNilType, lua.LBool, lua.LNumber:
		return v, nil
	case lua.LString:
		// wrk copies with lua_pushstring(lua_tostring()): a string ends at
		// its first zero byte. Strings are immutable: shared, not copied.
		if i := strings.IndexByte(string(v), 0); i >= 0 {
			return v[:i], nil
		}
		return v, nil
	case *lua.LTable:
		if t, ok := c.seen[v]; ok {
			return t, nil
		}
		if depth >= maxCopyDepth {
			return nil, fmt.Errorf("cannot transfer a table nested more than %d levels to thread", maxCopyDepth)
		}
		realizeHeaders(v)
		t := c.dst.NewTable()
		c.seen[v] = t
		var err error
		v.ForEach(func(k, val lua.LValue) {
			if err != nil {
				return
			}
			if c.values++; c.values > maxCopyValues {
				err = fmt.Errorf("cannot transfer more than %d table entries to thread in one call", maxCopyValues)
				return
			}
			if err = c.poll.step(1); err != nil {
				return
			}
			var ck, cv lua.LValue
			if ck, err = c.copy(k, depth+1); err != nil {
				return
			}
			if cv, err = c.copy(val, depth+1); err != nil {
				return
			}
			t.RawSet(ck, cv)
		})
		return t, err
	}
	return nil, fmt.Errorf("cannot transfer '%s' to thread", v.Type())
}
