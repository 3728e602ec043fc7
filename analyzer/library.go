package analyzer

import "strings"

// Capability says what a library member can do outside the script, for
// WL403 and the reference rules. CapNone members are pure: they compute
// from their arguments and reach nothing else.
type Capability uint8

// Capabilities of library members.
const (
	CapNone Capability = iota
	// CapCommand runs shell commands (os.execute, io.popen).
	CapCommand
	// CapFile opens, reads, writes or removes files, or is a file handle.
	CapFile
	// CapEnv reads the environment.
	CapEnv
	// CapCode loads, inspects or rebinds code and environments (load*,
	// dofile, string.dump, setfenv/getfenv, debug, jit).
	CapCode
	// CapModule loads modules or native libraries (require, package).
	CapModule
	// CapNetwork opens connections (socket, http, ffi modules).
	CapNetwork
	// CapGlobals reaches the globals table or shared metatables (_G,
	// rawset, setmetatable, the string metatable).
	CapGlobals
	// CapProcess ends or controls the process (os.exit).
	CapProcess
	// CapTarget chooses where load goes (thread objects, wrk.connect).
	CapTarget
)

func (c Capability) String() string {
	switch c {
	case CapCommand:
		return "runs commands"
	case CapFile:
		return "reaches files"
	case CapEnv:
		return "reads the environment"
	case CapCode:
		return "loads or rewrites code"
	case CapModule:
		return "loads modules"
	case CapNetwork:
		return "opens connections"
	case CapGlobals:
		return "reaches the globals table or shared metatables"
	case CapProcess:
		return "controls the process"
	case CapTarget:
		return "chooses where load goes"
	}
	return "is pure"
}

// Effect says how the solver models a call to a library function.
type Effect uint8

// Effects of library functions.
const (
	// EffOpaque: not modelled. Arguments flow out of sight (functions
	// given to it may be called with anything, tables may be changed) and
	// the results may hold any argument's data.
	EffOpaque Effect = iota
	// EffData: computes from its arguments without keeping or calling
	// them; the results carry the arguments' taint (string functions,
	// wrk.format, math).
	EffData
	// EffClean: the results reveal nothing of the arguments (type, lengths,
	// the clock), or there are none (print).
	EffClean
	// EffModel: the solver has a model of its own (pcall, setmetatable,
	// coroutines, table.sort, ...).
	EffModel
)

// Sink says which data-flow rules treat a call's arguments as leaving.
type Sink uint8

// Sinks.
const (
	SinkNone Sink = iota
	// SinkOutput prints or writes to a file or standard stream.
	SinkOutput
	// SinkCommand hands data to a shell command.
	SinkCommand
	// SinkCode runs data as code or loads it as a module.
	SinkCode
	// SinkNetwork sends its first argument out over the network: a DNS
	// query carries the name looked up to whoever serves its domain.
	SinkNetwork
)

// LibEntry is what the analysis knows of one library member. The table
// below is the one place this knowledge lives: the solver reads Effect,
// Source and Callbacks, the rules read Cap and Sink.
type LibEntry struct {
	Cap    Capability
	Effect Effect
	// Source is the kind of sensitive data the results hold, if any.
	Source TaintKind
	Sink   Sink
	// Callbacks are the argument positions (receiver excluded) of
	// functions the library function calls.
	Callbacks []int
}

// Library returns the entry for the library member at path. Members not in
// the table get a default from their family (io handles, modules, string
// methods); anything else is opaque.
func Library(path string) LibEntry {
	if e, ok := library[path]; ok {
		return e
	}
	return libraryFamily(path)
}

func libraryFamily(path string) LibEntry {
	if handle, method, ok := strings.Cut(path, ":"); ok {
		switch handle {
		case "io.file", "io.pfile", "io.stdin", "io.stdout", "io.stderr":
			e := LibEntry{Cap: CapFile, Effect: EffClean}
			switch method {
			case "write":
				e.Sink = SinkOutput
				if handle == "io.pfile" {
					e.Sink = SinkCommand
				}
			case "read", "lines":
				e.Effect, e.Source = EffData, TaintFile
			}
			if handle == "io.stdout" || handle == "io.stderr" {
				e.Cap = CapNone
			}
			return e
		}
	}
	switch {
	case strings.HasPrefix(path, "module:"):
		name := strings.TrimPrefix(path, "module:")
		if i := strings.IndexAny(name, ".("); i >= 0 {
			name = name[:i]
		}
		if capModule(name) {
			return LibEntry{Cap: CapNetwork}
		}
		if jsonCodec(strings.TrimPrefix(path, "module:")) {
			return LibEntry{Effect: EffData}
		}
		return LibEntry{}
	case strings.HasPrefix(path, "os."), strings.HasPrefix(path, "io."):
		return LibEntry{Cap: CapFile}
	case strings.HasPrefix(path, "debug."), strings.HasPrefix(path, "jit."):
		return LibEntry{Cap: CapCode}
	case strings.HasPrefix(path, "package."):
		return LibEntry{Cap: CapModule}
	case strings.HasPrefix(path, stringMetatable):
		return LibEntry{Cap: CapGlobals}
	case strings.HasPrefix(path, "string."), strings.HasPrefix(path, "bit."):
		return LibEntry{Effect: EffData}
	case strings.HasPrefix(path, "math."):
		return LibEntry{Effect: EffData}
	}
	return LibEntry{}
}

// jsonCodec reports whether a module member is the encode or decode
// function of a well-known JSON library: data in, data out, nothing kept
// and nothing called.
func jsonCodec(member string) bool {
	mod, fn, ok := strings.Cut(member, ".")
	if i := strings.LastIndexByte(member, '.'); ok && i > 0 {
		mod, fn = member[:i], member[i+1:]
	}
	if fn != "encode" && fn != "decode" {
		return false
	}
	switch mod {
	case "cjson", "cjson.safe", "json", "dkjson", "lunajson", "rapidjson", "JSON", "json.decode", "json.encode":
		return true
	}
	return false
}

// capModule reports whether a module can open connections or run native
// code: such a module is a capability wherever it flows.
func capModule(name string) bool {
	first := strings.ToLower(name)
	switch first {
	case "ffi", "posix", "lfs", "copas", "luasocket", "mime", "ltn12":
		return true
	}
	for _, prefix := range []string{"socket", "ssl", "http", "curl", "lcurl", "resty"} {
		if strings.HasPrefix(first, prefix) {
			return true
		}
	}
	return false
}

// library maps library paths to what they do. Methods of file handles are
// "io.file:write"; modules are "module:name".
var library = map[string]LibEntry{
	// Base library.
	"print": {Effect: EffClean, Sink: SinkOutput},
	"error": {Effect: EffModel, Sink: SinkOutput},
	// assert's message is printed when the assertion fails.
	"assert":         {Effect: EffModel, Sink: SinkOutput},
	"pcall":          {Effect: EffModel, Callbacks: []int{0}},
	"xpcall":         {Effect: EffModel, Callbacks: []int{0, 1}},
	"type":           {Effect: EffClean},
	"tostring":       {Effect: EffModel},
	"tonumber":       {Effect: EffModel},
	"rawequal":       {Effect: EffClean},
	"rawlen":         {Effect: EffClean},
	"rawget":         {Cap: CapGlobals, Effect: EffModel},
	"rawset":         {Cap: CapGlobals, Effect: EffModel},
	"setmetatable":   {Cap: CapGlobals, Effect: EffModel},
	"getmetatable":   {Cap: CapGlobals, Effect: EffModel},
	"select":         {Effect: EffModel},
	"unpack":         {Effect: EffModel},
	"next":           {Effect: EffModel},
	"pairs":          {Effect: EffModel},
	"ipairs":         {Effect: EffModel},
	"collectgarbage": {Effect: EffClean},
	"gcinfo":         {Effect: EffClean},
	"newproxy":       {Cap: CapGlobals, Effect: EffModel},
	"require":        {Cap: CapModule, Effect: EffModel, Sink: SinkCode},
	"module":         {Cap: CapGlobals},
	"load":           {Cap: CapCode, Sink: SinkCode, Callbacks: []int{0}},
	"loadstring":     {Cap: CapCode, Effect: EffData, Sink: SinkCode},
	"loadfile":       {Cap: CapCode, Effect: EffData, Sink: SinkCode},
	"dofile":         {Cap: CapCode, Effect: EffData, Sink: SinkCode},
	"setfenv":        {Cap: CapCode},
	"getfenv":        {Cap: CapCode, Effect: EffModel},
	"_G":             {Cap: CapGlobals},
	"_ENV":           {Cap: CapGlobals},

	// Libraries as tables: capabilities when they hold capabilities.
	"os":        {Cap: CapCommand},
	"io":        {Cap: CapFile},
	"debug":     {Cap: CapCode},
	"package":   {Cap: CapModule},
	"jit":       {Cap: CapCode},
	"string":    {},
	"table":     {},
	"math":      {},
	"coroutine": {},
	"bit":       {},

	"os.execute": {Cap: CapCommand, Effect: EffClean, Sink: SinkCommand},
	"os.remove":  {Cap: CapFile, Effect: EffClean},
	"os.rename":  {Cap: CapFile, Effect: EffClean},
	"os.tmpname": {Cap: CapFile, Effect: EffData},
	"os.getenv":  {Cap: CapEnv, Effect: EffModel, Source: TaintEnv},
	// The exit status is output: CI logs it and a caller can branch on
	// it, so a code computed from data carries the data (256 values).
	"os.exit":      {Cap: CapProcess, Effect: EffClean, Sink: SinkOutput},
	"os.setlocale": {Cap: CapProcess, Effect: EffClean},
	"os.time":      {Effect: EffClean},
	"os.clock":     {Effect: EffClean},
	"os.difftime":  {Effect: EffClean},
	// os.date(fmt) copies its format into the result.
	"os.date": {Effect: EffData},

	"io.open":   {Cap: CapFile, Effect: EffModel},
	"io.popen":  {Cap: CapCommand, Effect: EffModel, Sink: SinkCommand},
	"io.lines":  {Cap: CapFile, Effect: EffData, Source: TaintFile},
	"io.read":   {Cap: CapFile, Effect: EffData, Source: TaintFile},
	"io.write":  {Effect: EffClean, Sink: SinkOutput},
	"io.input":  {Cap: CapFile, Effect: EffModel},
	"io.output": {Cap: CapFile, Effect: EffModel},
	"io.close":  {Cap: CapFile, Effect: EffClean},
	"io.type":   {Effect: EffClean},
	"io.stdout": {},
	"io.stderr": {},
	"io.stdin":  {Cap: CapFile},

	"string.dump": {Cap: CapCode},
	// debug.getregistry()._LOADED is package.loaded.
	"debug.getregistry": {Cap: CapCode, Effect: EffModel},
	debugRegistry:       {Cap: CapCode},
	handleMetatable:     {Cap: CapFile},
	"string.gsub":       {Effect: EffModel, Callbacks: []int{2}},
	"math.randomseed":   {Effect: EffModel},
	"math.random":       {Effect: EffModel},
	"string.len":        {Effect: EffClean},
	"string.gmatch":     {Effect: EffData},

	"table.insert":   {Effect: EffModel},
	"table.remove":   {Effect: EffModel},
	"table.concat":   {Effect: EffData},
	"table.unpack":   {Effect: EffModel},
	"table.sort":     {Effect: EffModel, Callbacks: []int{1}},
	"table.foreach":  {Effect: EffModel, Callbacks: []int{1}},
	"table.foreachi": {Effect: EffModel, Callbacks: []int{1}},
	"table.getn":     {Effect: EffClean},
	"table.maxn":     {Effect: EffClean},
	"table.setn":     {Effect: EffClean},

	"coroutine.create":      {Effect: EffModel, Callbacks: []int{0}},
	"coroutine.wrap":        {Effect: EffModel, Callbacks: []int{0}},
	"coroutine.resume":      {Effect: EffModel},
	"coroutine.yield":       {Effect: EffModel},
	"coroutine.status":      {Effect: EffModel},
	"coroutine.running":     {Effect: EffClean},
	"coroutine.isyieldable": {Effect: EffClean},
	wrappedCoroutine:        {Effect: EffModel},

	"wrk.format":  {Effect: EffData},
	"wrk.lookup":  {Effect: EffModel, Sink: SinkNetwork},
	"wrk.connect": {Cap: CapTarget, Effect: EffClean},
	// Thread objects are not capabilities: scripts hand them to helper
	// modules (utils.setup(thread)); thread.addr stores are WL701's.
	"wrk.thread":      {},
	"wrk.thread.set":  {Effect: EffModel},
	"wrk.thread.get":  {Effect: EffModel},
	"wrk.thread.stop": {Effect: EffClean},
}

// debugRegistry is the path of the table debug.getregistry returns;
// handleMetatable the path of the metatable file handles share.
const (
	debugRegistry   = "<registry>"
	handleMetatable = "io.<handle metatable>"
)

// wrappedCoroutine is the path of the function coroutine.wrap returns.
const wrappedCoroutine = "coroutine.wrap()"

// CapabilityOf returns the capability of a library path: its own, or for a
// library table the one its members hold.
func CapabilityOf(path string) Capability { return Library(path).Cap }
