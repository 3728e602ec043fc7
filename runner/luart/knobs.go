package luart

import lua "github.com/yuin/gopher-lua"

// maxArrayIndex replaces gopher-lua's process-wide lua.MaxArrayIndex
// (64Mi). gopher-lua stores a table's integer keys below it in a dense
// array and fills a gap with nils in the same VM instruction, so that
// `local t = {} t[3e7] = 1` allocated 2.4 GiB in one store that nothing
// can interrupt. At 2Mi the array one store can build is 32 MiB (about
// 60 MiB while append grows it), which keeps the peak of such a store
// within the bound the watchdog gives down to a 64 MiB budget; keys from
// 2Mi up go to the hash part, where they cost only what they hold.
//
// What it changes, measured: #t (gopher-lua counts the array part only)
// stops at 2,097,151, so a `t[#t+1] = v` loop past two million elements
// overwrites one slot instead of growing (table.insert still appends);
// ipairs, t[i] reads and pairs are unchanged. LuaJIT's own array limit is
// larger, but two million elements (32 MiB of slots alone) is far beyond
// what a load-test script keeps.
const maxArrayIndex = 1 << 21

// The knobs are set while the package is initialised, before any state exists
// in any goroutine: gopher-lua reads MaxArrayIndex without synchronisation
// from every state, so setting it later would race with them.
var _ = setKnobs()

func setKnobs() bool {
	lua.MaxArrayIndex = maxArrayIndex
	return true
}
