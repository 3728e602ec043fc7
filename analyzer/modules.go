package analyzer

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/yuin/gopher-lua/ast"
)

// ModuleNotFoundRule is WL004. The engine reports it while following the
// modules a script requires, so it is declared here; package rules lists it
// in the catalogue.
var ModuleNotFoundRule = &Rule{
	ID:        "WL004",
	Name:      "ModuleNotFound",
	Level:     LevelWarning,
	Title:     "Required module cannot be found or followed",
	Precision: "high",
	Bad:       "local helper = require(\"no_such_helper_module\")\n",
	Good:      "local cjson = require(\"cjson\")\n",
	Description: "The script requires a module that is neither built in nor a Lua file on the module path " +
		"(the script's directory: name.lua and name/init.lua, dots as directories, plus the templates the " +
		"script adds to package.path with constants), or the program's modules are too many or too large to " +
		"follow. What such a module does was not analysed.",
	Help: "wrklint follows `require` of local modules: the module is analysed with the values the script passes " +
		"it, and its findings are reported in the module's file. A module that cannot be found cannot be verified, " +
		"and wrkrun refuses to load any module its lint gate did not analyse.\n\n" +
		"Put the module next to the script (`helper.lua`, or `helper/init.lua`), or add its directory to " +
		"`package.path` with a constant (`package.path = package.path .. \";./lib/?.lua\"`).",
}

// Bounds on the programs followed: a script is a few files of a few
// kilobytes; more is refused (WL004) rather than analysed for minutes.
const (
	maxModules      = 64
	maxProgramBytes = MaxFileSize
	maxPathTemplate = 16
	// maxRounds bounds the solves of the combined program: another round
	// is needed only when a module's name becomes constant through values
	// from another file, which real scripts do not do.
	maxRounds = 4
)

// Modules that require returns without reading a file: the standard
// libraries, wrk's own module and what wrkrun builds in.
func builtinModule(name string) bool {
	if builtinModules[name] || name == "wrk" || name == "cjson" || name == "cjson.safe" {
		return true
	}
	// Network and native modules are WL301's: following them would
	// report them twice.
	first := name
	if i := strings.IndexByte(first, '.'); i >= 0 {
		first = first[:i]
	}
	return capModule(first)
}

// segment is one file of a program: its place in the combined source the
// solver analyses and the file parsed on its own.
type segment struct {
	name       string // module name, "" for the main script
	path       string
	file       *File
	start, end int // bytes of the file in the combined source
	// wrapStart and wrapEnd are the bytes of the file and its wrapper: a
	// finding on the wrapper is a finding at the file's start or end.
	wrapStart, wrapEnd int
	fn                 *ast.FunctionExpr
	requiredAt         ast.Expr // a require call that loads the module
}

// moduleGraph is the program a script makes with the modules it loads.
type moduleGraph struct {
	main    *File
	dir     string
	mods    []*segment
	byName  map[string]*segment
	missing map[string]bool // names already reported
	failed  map[string]bool // modules that could not be parsed or read
	mainSeg *segment
	// comb is the combined source being solved; templates the package.path
	// templates the program's files add, after the default ones.
	comb      *File
	templates []string
	// callers and chains serve chain: who calls each function, and the
	// chain found for the function holding a finding.
	callers map[*Func]*CallSite
	chains  map[*Func][]Location
	total   int
	extra   []Finding // WL001 and WL004 findings about modules
}

// ProgramResult is what AnalyzeProgram found: the findings, and the
// modules it followed, which wrkrun loads and no other.
type ProgramResult struct {
	Findings []Finding
	// Modules are the modules the analysis followed, by name.
	Modules []Module
}

// Module is a module a program loads: the name required, the file it was
// found in and the contents analysed.
type Module struct {
	Name, Path string
	Src        []byte
}

// AnalyzeProgram analyses the script at name and every local module it
// requires, as one program: values flow between files through require,
// parameters and returns. Findings name the file they are in.
func AnalyzeProgram(name string, src []byte, cfg *Options) *ProgramResult {
	c := *cfg
	c.FollowModules = true
	res := &ProgramResult{}
	var mods []*segment
	res.Findings = analyzeLevels(name, src, &c, nil, &mods)
	for _, m := range mods {
		res.Modules = append(res.Modules, Module{Name: m.name, Path: m.path, Src: m.file.Src})
	}
	sort.Slice(res.Modules, func(i, j int) bool { return res.Modules[i].Name < res.Modules[j].Name })
	return res
}

// requiredNames returns the constant module names the program requires,
// with a call that requires each, in source order.
func (p *program) requiredNames() ([]string, map[string]ast.Expr) {
	var names []string
	at := map[string]ast.Expr{}
	for _, c := range p.calls {
		if c.Node == nil || !c.Callee.HasLib("require") {
			continue
		}
		ns, _ := c.Arg(0).ConstStrings()
		for _, n := range ns {
			if _, ok := at[n]; !ok {
				at[n] = c.Node
				names = append(names, n)
			}
		}
	}
	return names, at
}

// pathTemplates returns the package.path templates the program stores with
// constants (the parts of a concatenation that are string constants), in
// order.
func (p *program) pathTemplates() []string {
	var out []string
	var add func(e ast.Expr)
	add = func(e ast.Expr) {
		if x, ok := e.(*ast.StringConcatOpExpr); ok {
			add(x.Lhs)
			add(x.Rhs)
			return
		}
		if ss, ok := p.valOf(e).ConstStrings(); ok {
			for _, s := range ss {
				for _, t := range strings.Split(s, ";") {
					if strings.Contains(t, "?") && len(out) < maxPathTemplate {
						out = append(out, t)
					}
				}
			}
		}
	}
	for _, st := range p.stores {
		if st.ValueExpr == nil || !st.Object.HasLib("package") {
			continue
		}
		if k, ok := st.Key.ConstString(); ok && k == "path" {
			add(st.ValueExpr)
		}
	}
	return out
}

// resolve finds the file of module name as Lua's loader does: each
// template with '?' replaced by the name (dots as directories), relative
// templates from the script's directory. It returns the path found, or
// "" and the paths tried.
func (g *moduleGraph) resolve(name string, templates []string) (string, []string) {
	rel := strings.ReplaceAll(name, ".", "/")
	var tried []string
	for _, t := range templates {
		p := filepath.FromSlash(strings.ReplaceAll(t, "?", rel))
		if !filepath.IsAbs(p) {
			p = filepath.Join(g.dir, p)
		}
		p = filepath.Clean(p)
		tried = append(tried, p)
		// The path comes from the script's require and package.path, as
		// Lua's loader would build it; wrklint only reads what it finds
		// (readModule: a bounded regular file), never writes or runs it.
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() { //nolint:gosec // see above
			return p, tried
		}
	}
	return "", tried
}

// grow adds the modules p requires that the graph does not hold yet. It
// reports whether any was added.
func (g *moduleGraph) grow(p *program) bool {
	names, at := p.requiredNames()
	if len(names) == 0 {
		return false
	}
	// A template any file of the program adds holds for all of them:
	// package.path is one for the whole Lua state.
	for _, t := range p.pathTemplates() {
		if !slices.Contains(g.templates, t) && len(g.templates) < maxPathTemplate {
			g.templates = append(g.templates, t)
		}
	}
	templates := g.templates
	added := false
	var fresh []*segment
	for _, n := range names {
		if g.byName[n] != nil || g.missing[n] || g.failed[n] || builtinModule(n) {
			continue
		}
		call := at[n]
		path, tried := g.resolve(n, templates)
		if path == "" {
			g.missing[n] = true
			g.report(p, call, fmt.Sprintf("module %q was not found (looked for %s): what it does was not analysed, and wrkrun refuses to load it",
				n, strings.Join(tried, ", ")))
			continue
		}
		if len(g.mods) >= maxModules {
			g.failed[n] = true
			g.report(p, call, fmt.Sprintf("module %q is not followed: the program already loads %d modules, the most wrklint analyses", n, maxModules))
			continue
		}
		src, err := readModule(path, maxProgramBytes-g.total)
		if err != nil {
			g.failed[n] = true
			g.report(p, call, fmt.Sprintf("module %q (%s) cannot be followed: %v", n, path, readErr(err)))
			continue
		}
		f, serr := loadFile(path, src, nil)
		if serr != nil {
			// The module is reported where it is broken, and left out.
			g.failed[n] = true
			end := max(serr.End, serr.Offset)
			g.extra = append(g.extra, f.finding(ParseErrorRule, serr.Offset, end, serr.Msg))
			continue
		}
		g.total += len(src)
		seg := &segment{name: n, path: path, file: f, requiredAt: call}
		g.mods = append(g.mods, seg)
		g.byName[n] = seg
		fresh = append(fresh, seg)
		added = true
	}
	// The new modules' own requires, found by solving each on its own, so
	// that the combined program is solved once for the whole graph rather
	// than once per level of it. The graph's bounds bound the recursion.
	for _, seg := range fresh {
		sub := newProgram(seg.file, nil)
		if sub.solve() {
			g.grow(sub)
		}
	}
	return added
}

// unfollowed reports the module names p requires that the graph has not
// followed: names that became constant only in the last round allowed.
func (g *moduleGraph) unfollowed(p *program) {
	names, at := p.requiredNames()
	for _, n := range names {
		if g.byName[n] != nil || g.missing[n] || g.failed[n] || builtinModule(n) {
			continue
		}
		g.failed[n] = true
		g.report(p, at[n], fmt.Sprintf("module %q is not followed: its name comes from values passed between modules, resolved only after %d rounds of analysis", n, maxRounds))
	}
}

// readModule reads a module file of at most limit bytes. The file is
// checked to be a regular file once open, so that a name swapped for a
// device or a pipe after resolve is refused rather than read forever.
func readModule(path string, limit int) ([]byte, error) {
	f, err := os.Open(path) //nolint:gosec // a module the script requires, found by resolve; read only, bounded
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if fi.Size() > int64(limit) {
		return nil, fmt.Errorf("the program's files would exceed %d MiB, the most wrklint analyses", maxProgramBytes>>20)
	}
	src, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(src) > limit {
		return nil, fmt.Errorf("the program's files would exceed %d MiB, the most wrklint analyses", maxProgramBytes>>20)
	}
	return src, nil
}

// report records a WL004 finding at node of p's (combined) source; it is
// mapped to its file with the rest.
func (g *moduleGraph) report(p *program, node ast.Expr, msg string) {
	start, end := p.f.nodeOffsets(node)
	fd := p.f.finding(ModuleNotFoundRule, start, end, msg)
	if p.f == g.comb {
		fd, _ = g.remap(fd, p.f, g.mainSeg)
	}
	g.extra = append(g.extra, fd)
}

// combine builds the source the solver analyses: each module as the body
// of a function in a block of its own (so no name of it is visible to the
// others), then the main script. A module is wrapped only once it parsed
// on its own, so the wrapper cannot change how it parses.
func (g *moduleGraph) combine() []byte {
	var b []byte
	for _, m := range g.mods {
		m.wrapStart = len(b)
		b = append(b, "do local _ = function(...) "...)
		m.start = len(b)
		src := m.file.Src
		b = append(b, src...)
		if len(src) > 0 && src[0] == '#' {
			// The loader skips a first line starting with '#'.
			for j := m.start; j < len(b) && b[j] != '\n'; j++ {
				b[j] = ' '
			}
		}
		m.end = len(b)
		b = append(b, "\nend end\n"...)
		m.wrapEnd = len(b)
	}
	return append(b, g.main.Src...)
}

// bindModules finds the wrapper function of each module in the combined
// chunk and gives the solver the map from names to functions.
func (g *moduleGraph) bindModules(chunk []ast.Stmt, p *program) error {
	if len(chunk) < len(g.mods) {
		return errors.New("modules missing from the combined chunk")
	}
	p.modules = make(map[string]*ast.FunctionExpr, len(g.mods))
	for i, m := range g.mods {
		do, ok := chunk[i].(*ast.DoBlockStmt)
		if !ok || len(do.Stmts) != 1 {
			return fmt.Errorf("module %s: unexpected wrapper", m.name)
		}
		la, ok := do.Stmts[0].(*ast.LocalAssignStmt)
		if !ok || len(la.Exprs) != 1 {
			return fmt.Errorf("module %s: unexpected wrapper", m.name)
		}
		fe, ok := la.Exprs[0].(*ast.FunctionExpr)
		if !ok {
			return fmt.Errorf("module %s: unexpected wrapper", m.name)
		}
		m.fn = fe
		p.modules[m.name] = fe
	}
	return nil
}

// segmentAt returns the segment holding byte off of the combined source,
// and the offset within its file.
func (g *moduleGraph) segmentAt(off int, mainSeg *segment) (*segment, int) {
	for _, m := range g.mods {
		if off >= m.wrapStart && off < m.wrapEnd {
			return m, min(max(off-m.start, 0), len(m.file.Src))
		}
	}
	return mainSeg, min(max(off-mainSeg.start, 0), len(mainSeg.file.Src))
}

// lineRe finds the line numbers messages quote ("from line 12").
var lineRe = regexp.MustCompile(`\bline (\d+)\b`)

// remap moves a finding on the combined source to its file: positions,
// line text, and the line numbers its message quotes (which the solver took
// from the combined source: a line in another file is quoted with its file
// name).
func (g *moduleGraph) remap(fd Finding, comb *File, mainSeg *segment) (Finding, *segment) {
	seg, start := g.segmentAt(fd.Start.Offset, mainSeg)
	end := fd.End.Offset - (fd.Start.Offset - start)
	end = min(max(end, start), len(seg.file.Src))
	// Everything but the place is kept (level, suppression, subjects).
	out := fd
	at := seg.file.finding(&Rule{ID: fd.RuleID, Name: fd.Name, Level: fd.Level, CWE: fd.CWE}, start, end, fd.Message)
	out.File, out.Start, out.End, out.LineText = at.File, at.Start, at.End, at.LineText
	out.Related = nil
	for _, r := range fd.Related {
		if r.File == "" {
			// A rule's related place, on the combined source.
			rs, ro := g.segmentAt(r.Start.Offset, mainSeg)
			re := min(max(r.End.Offset-(r.Start.Offset-ro), ro), len(rs.file.Src))
			r = Location{Start: rs.file.position(ro), End: rs.file.position(re), Message: r.Message}
			if rs != seg {
				r.File = rs.file.Name
			}
		}
		out.Related = append(out.Related, r)
	}
	out.Message = lineRe.ReplaceAllStringFunc(fd.Message, func(m string) string {
		n, err := strconv.Atoi(m[len("line "):])
		if err != nil || n < 1 || n > len(comb.LineStarts) {
			return m
		}
		s, off := g.segmentAt(comb.LineStarts[n-1], mainSeg)
		line := s.file.line(off)
		if s == seg {
			return "line " + strconv.Itoa(line)
		}
		return fmt.Sprintf("line %d of %s", line, s.file.Name)
	})
	return out, seg
}

// chain returns the call chain that leads to byte off of the combined
// source from another file: the calls of the function holding it, of the
// function holding that call, and so on up to the main script (at most
// eight steps), each in its own file.
func (g *moduleGraph) chain(p *program, off int, mainSeg *segment) []Location {
	first := p.enclosingFunc(off)
	if first == nil {
		return nil
	}
	if c, ok := g.chains[first]; ok {
		return c
	}
	if g.callers == nil {
		g.callers = p.callers()
	}
	var out []Location
	seen := map[*Func]bool{}
	for len(out) < 8 {
		fn := p.enclosingFunc(off)
		if fn == nil || seen[fn] {
			break
		}
		seen[fn] = true
		call := g.callers[fn]
		if call == nil {
			break
		}
		cs, ce := p.f.nodeOffsets(call.Expr)
		seg, s := g.segmentAt(cs, mainSeg)
		e := min(max(ce-(cs-s), s), len(seg.file.Src))
		msg := "called from here"
		if m := g.moduleOf(fn); m != nil {
			msg = fmt.Sprintf("module %q loaded here", m.name)
		}
		out = append(out, Location{File: seg.file.Name, Start: seg.file.position(s), End: seg.file.position(e), Message: msg})
		off = cs
	}
	g.chains[first] = out
	return out
}

// moduleOf returns the module whose wrapper fn is, or nil.
func (g *moduleGraph) moduleOf(fn *Func) *segment {
	for _, m := range g.mods {
		if m.fn == fn.Node {
			return m
		}
	}
	return nil
}

// enclosingFunc returns the innermost function whose body holds byte off.
func (p *program) enclosingFunc(off int) *Func {
	var best *Func
	bestLen := -1
	for _, fn := range p.funcList {
		s, e := p.f.nodeOffsets(fn.Node)
		if off >= s && off < e && (bestLen < 0 || e-s < bestLen) {
			best, bestLen = fn, e-s
		}
	}
	return best
}

// callers maps each function to a call site that may call it: the first
// outside the function itself if there is one (so that the chain goes on),
// else the first.
func (p *program) callers() map[*Func]*CallSite {
	out := map[*Func]*CallSite{}
	outside := map[*Func]bool{}
	for _, c := range p.calls {
		cs, _ := p.f.nodeOffsets(c.Expr)
		for _, v := range c.Callee.Values() {
			if v.Kind != KFunc || outside[v.Func] {
				continue
			}
			s, e := p.f.nodeOffsets(v.Func.Node)
			if cs < s || cs >= e {
				out[v.Func], outside[v.Func] = c, true
			} else if out[v.Func] == nil {
				out[v.Func] = c
			}
		}
	}
	return out
}

// analyzeModules analyses the program main makes with its modules, given
// main's own program (solved). It returns nil when main requires no local
// module, and the findings of the whole program otherwise, each in its
// file, suppressions applied per file. mods receives the modules' paths.
func analyzeModules(mainFile *File, mainProg *program, cfg *Options, mods *[]*segment) ([]Finding, bool) {
	g := &moduleGraph{main: mainFile, dir: filepath.Dir(mainFile.Name), byName: map[string]*segment{},
		missing: map[string]bool{}, failed: map[string]bool{}, total: len(mainFile.Src), chains: map[*Func][]Location{},
		templates: []string{"./?.lua", "./?/init.lua"}}
	if !g.grow(mainProg) && len(g.extra) == 0 {
		return nil, false
	}
	mainSeg := &segment{path: mainFile.Name, file: mainFile}
	g.mainSeg = mainSeg
	if len(g.mods) == 0 {
		// Only modules that cannot be followed: main's program is the
		// whole program.
		fs := append(runRules(mainFile, mainProg, cfg), g.extra...)
		var broken []Finding
		own := fs[:0]
		for _, fd := range fs {
			if fd.File == mainFile.Name {
				own = append(own, fd)
			} else {
				broken = append(broken, fd)
			}
		}
		return append(suppress(mainFile, own, cfg, true), broken...), true
	}
	var comb *File
	var prog *program
	// Each round solves the program with the modules known so far; the
	// modules' own requires add more. The graph is bounded, so are rounds.
	for round := 0; ; round++ {
		src := g.combine()
		mainSeg.start, mainSeg.end = len(src)-len(mainFile.Src), len(src)
		f, serr := loadFile(mainFile.Name, src, nil)
		if serr != nil {
			return []Finding{mainFile.finding(ParseErrorRule, 0, 0, "the program made of the script and its modules could not be parsed: "+serr.Msg)}, true
		}
		prog = newProgram(f, nil)
		g.comb = f
		prog.strict = cfg.strict
		if err := g.bindModules(f.Chunk, prog); err != nil {
			return []Finding{mainFile.finding(ParseErrorRule, 0, 0, "internal analyzer error: "+err.Error())}, true
		}
		if !prog.solve() {
			return []Finding{mainFile.finding(ParseErrorRule, 0, 0,
				"the analysis of the program "+prog.unsolved()+"; it cannot be verified")}, true
		}
		comb = f
		if round+1 >= maxRounds {
			g.unfollowed(prog)
			break
		}
		if !g.grow(prog) {
			break
		}
	}
	raw := runRules(comb, prog, cfg)
	// Findings about modules found while solving the first program are
	// on main's own source.
	byFile := map[*segment][]Finding{}
	order := []*segment{mainSeg}
	order = append(order, g.mods...)
	for _, fd := range raw {
		fd2, seg := g.remap(fd, comb, mainSeg)
		if seg != mainSeg {
			// How the program reaches the module: main's own findings
			// read as they do without modules.
			fd2.Related = append(fd2.Related, g.chain(prog, fd.Start.Offset, mainSeg)...)
		}
		byFile[seg] = append(byFile[seg], fd2)
	}
	// g.extra are in their files already: WL004 at a require, WL001 in a
	// module left out (which no directive suppresses).
	var broken []Finding
	for _, fd := range g.extra {
		seg := mainSeg
		for _, m := range g.mods {
			if fd.File == m.file.Name {
				seg = m
			}
		}
		if fd.File != seg.file.Name {
			broken = append(broken, fd)
			continue
		}
		byFile[seg] = append(byFile[seg], fd)
	}
	if mods != nil {
		*mods = g.mods
	}
	return append(collect(byFile, order, cfg), broken...), true
}

// collect applies each file's suppressions to its findings. Malformed
// and unused directives of a module are reported by the module's own lint,
// not by every program that loads it.
func collect(byFile map[*segment][]Finding, order []*segment, cfg *Options) []Finding {
	var out []Finding
	for _, seg := range order {
		out = append(out, suppress(seg.file, byFile[seg], cfg, seg.name == "")...)
	}
	return out
}
