package luart

import lua "github.com/yuin/gopher-lua"

// maxArrayIndex replaces gopher-lua's process-wide lua.MaxArrayIndex
// (64Mi). gopher-lua stores a table's integer keys below it in a dense
// array and fills a gap with nils in the same VM instruction, so that
// `local t = {} t[3e7] = 1` allocated 2.4 GiB in one store that nothing
// can interrupt. At 4Mi the array one store can build is 64 MiB (the
// library's MaxString); keys from 4Mi up go to the hash part, where they
// cost only what they hold.
//
// What it changes, measured: #t (gopher-lua counts the array part only)
// stops at 4,194,303, so a `t[#t+1] = v` loop past four million elements
// overwrites one slot instead of growing (table.insert still appends);
// ipairs, t[i] reads and pairs are unchanged. LuaJIT's own array limit is
// larger, but four million elements (64 MiB of slots) is far beyond what a
// load-test script keeps.
const maxArrayIndex = 1 << 22

// The knobs are set while the package is initialised, before any state exists
// in any goroutine: gopher-lua reads MaxArrayIndex without synchronisation
// from every state, so setting it later would race with them.
var _ = setKnobs()

func setKnobs() bool {
	lua.MaxArrayIndex = maxArrayIndex
	return true
}
