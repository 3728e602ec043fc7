package analyzer

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/wrklint/wrklint/config"
)

// Options says what to analyse and how (not to be confused with the
// project configuration, package config). The zero value of every field except
// Rules is usable.
type Options struct {
	// Rules to run, usually rules.All().
	Rules []*Rule
	// Policy holds the allowances from .wrklint.yml.
	Policy Policy
	// Jobs bounds how many files are analysed at once; 0 means GOMAXPROCS.
	Jobs int
	// Exclude reports whether a path found while walking a directory must be
	// skipped. Paths named explicitly are never excluded.
	Exclude func(path string) bool
	// Disabled rules are not run; their suppressions are not reported as
	// unused.
	Disabled map[string]bool
	// Levels override the rules' default levels.
	Levels map[string]Level
	// FollowModules makes the analysis follow require of local modules:
	// a script and the modules it loads are analysed as one program, and
	// findings in a module name the module's file (AnalyzeProgram).
	FollowModules bool
	// Secrets says which environment variables hold secrets (WL502); nil
	// means config.DefaultSecrets.
	Secrets *config.Secrets

	// strict makes the solver repeat passes until nothing changes at all,
	// the slow reference that tests compare the fast solver against.
	strict bool
}

// Policy is what a project allows its scripts to do (allow in
// .wrklint.yml); wrkrun's sandbox enforces the same value at run time.
type Policy = config.Policy

// Result is the outcome of a run: findings sorted by file, line, column and
// rule, and the paths that could not be read.
type Result struct {
	Findings []Finding
	Errors   []*FileError
	// Files is the number of files analysed.
	Files int
}

// ErrNoLuaFiles is wrapped in the FileError for a directory that holds no
// *.lua file.
var ErrNoLuaFiles = errors.New("no Lua files (*.lua) found")

// Run analyses the files and directories in paths (directories
// recursively, *.lua files only) concurrently and returns every finding in a
// deterministic order.
func Run(cfg Options, paths []string) *Result {
	res := &Result{}
	workers := cfg.Jobs
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	// Files are analysed as the walk finds them, so that reading the
	// directories overlaps with the analysis; each job keeps its result
	// in walk order.
	type job struct {
		path     string
		findings []Finding
		err      *FileError
	}
	var jobs []*job
	next := make(chan *job, 256)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := &buffers{}
			for j := range next {
				src, err := readFile(j.path, buf.file)
				if err != nil {
					j.err = &FileError{Path: j.path, Err: readErr(err)}
					continue
				}
				j.findings = analyzeWith(j.path, src, &cfg, buf)
				if cap(src) <= maxKeptFile {
					buf.file = src[:0]
				}
			}
		}()
	}
	collectFiles(paths, cfg.Exclude, res, func(path string) {
		j := &job{path: path}
		jobs = append(jobs, j)
		next <- j
	})
	close(next)
	wg.Wait()
	for _, j := range jobs {
		if j.err != nil {
			res.Errors = append(res.Errors, j.err)
			continue
		}
		res.Files++
		res.Findings = append(res.Findings, j.findings...)
	}
	SortFindings(res.Findings)
	if cfg.FollowModules {
		res.Findings = dedupe(res.Findings)
	}
	sort.SliceStable(res.Errors, func(i, j int) bool { return res.Errors[i].Path < res.Errors[j].Path })
	return res
}

// dedupe drops repeated findings from sorted ones: a module analysed on its
// own and as part of the script that loads it, or loaded by two scripts,
// reports the same finding more than once.
func dedupe(fs []Finding) []Finding {
	type key struct {
		file, rule, msg string
		start, end      int
	}
	seen := make(map[key]bool, len(fs))
	out := fs[:0]
	for _, f := range fs {
		k := key{f.File, f.RuleID, f.Message, f.Start.Offset, f.End.Offset}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

// maxKeptFile bounds the read buffer a worker keeps for the next file.
const maxKeptFile = 1 << 20

// readFile is os.ReadFile into buf's room, which one worker reuses from
// file to file: nothing a finding holds points into the source bytes.
func readFile(path string, buf []byte) ([]byte, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.close()
	data := buf[:0]
	for {
		if len(data) == cap(data) {
			// Doubling from 16 KiB: few reads for most files. Past a
			// megabyte, the file's size (as os.ReadFile uses) avoids
			// holding twice a huge file.
			n := max(2*cap(data), 16<<10)
			if n > maxKeptFile {
				if size, err := f.size(); err == nil && size < int64(n) {
					n = max(int(size)+512, len(data)+512)
				}
			}
			grown := make([]byte, len(data), n)
			copy(grown, data)
			data = grown
		}
		n, err := f.read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err != nil {
			if errors.Is(err, io.EOF) {
				return data, nil
			}
			return nil, err
		}
	}
}

func readErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// collectFiles expands paths into the Lua files to analyse, passing each
// to emit once, in order, and recording the paths that cannot be read in
// res.
func collectFiles(paths []string, exclude func(string) bool, res *Result, emit func(string)) {
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			emit(p)
		}
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			res.Errors = append(res.Errors, &FileError{Path: root, Err: readErr(err)})
			continue
		}
		if !info.IsDir() {
			add(filepath.Clean(root))
			continue
		}
		found := 0
		walkErr := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				res.Errors = append(res.Errors, &FileError{Path: p, Err: readErr(err)})
				if d != nil && d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if p != root && exclude != nil && exclude(p) {
				if d.IsDir() {
					return fs.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				// Version-control and dependency folders hold no scripts of the project.
				if p != root && (d.Name() == ".git" || d.Name() == "node_modules") {
					return fs.SkipDir
				}
				return nil
			}
			if strings.HasSuffix(d.Name(), ".lua") && (d.Type().IsRegular() || d.Type()&fs.ModeSymlink != 0) {
				found++
				add(p)
			}
			return nil
		})
		if walkErr != nil {
			res.Errors = append(res.Errors, &FileError{Path: root, Err: walkErr})
		}
		if found == 0 {
			res.Errors = append(res.Errors, &FileError{Path: root, Err: ErrNoLuaFiles})
		}
	}
}

// SortFindings orders findings by file, position, rule and message, the
// order every report uses.
func SortFindings(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Start.Line != b.Start.Line {
			return a.Start.Line < b.Start.Line
		}
		if a.Start.Column != b.Start.Column {
			return a.Start.Column < b.Start.Column
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		return a.Message < b.Message
	})
}

// MaxFileSize is the largest script wrklint analyses. Real wrk scripts are
// a few kilobytes; a larger file is reported (WL001) rather than parsed,
// because parsing it would take seconds and gigabytes.
const MaxFileSize = 16 << 20

func sizeMessage(n int) string {
	return fmt.Sprintf("file is %.1f MiB, above the %d MiB limit wrklint analyses; it cannot be verified", float64(n)/(1<<20), MaxFileSize>>20)
}
