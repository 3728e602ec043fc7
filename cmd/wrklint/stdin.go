package main

import (
	"fmt"
	"io"
	"path/filepath"

	"github.com/wrklint/wrklint/analyzer"
)

// stdinName is the file name reported for a script read from standard
// input without --stdin-filename.
const stdinName = "<stdin>"

// stdinRequest says whether the script comes from standard input: the
// single path "-", or no path with --stdin-filename (ruff's convention).
// "-" among other paths is a usage error: one report cannot mix the two.
func stdinRequest(paths []string, stdinFilename string) (bool, error) {
	dash := 0
	for _, p := range paths {
		if p == "-" {
			dash++
		}
	}
	switch {
	case dash == 0 && len(paths) == 0 && stdinFilename != "":
		return true, nil
	case dash == 0 && stdinFilename != "":
		return false, usageErrorf("--stdin-filename needs the path - (standard input), not %q", paths[0])
	case dash == 0:
		return false, nil
	case len(paths) > 1:
		return false, usageErrorf("- (standard input) cannot be combined with other paths")
	}
	return true, nil
}

// configDir is where the search for .wrklint.yml starts: the directory of
// --stdin-filename for a script on standard input (so that an editor or a
// pre-commit hook piping a file gets that file's project configuration),
// else the working directory.
func configDir(wd, stdinFilename string) string {
	if stdinFilename == "" {
		return wd
	}
	return filepath.Dir(absPath(wd, stdinFilename))
}

// analyzeStdin reads one script from r and analyses it as the file name.
// A file the project excludes (excluded) is read but not analysed, as ruff
// and eslint do for --stdin-filename, so that an editor integration
// honours the project's choices.
func analyzeStdin(r io.Reader, name string, cfg analyzer.Options, excluded bool) (*analyzer.Result, error) {
	// One byte over the limit is enough for the analyzer to report the
	// file as too large (WL001) without holding an unbounded input.
	src, err := io.ReadAll(io.LimitReader(r, analyzer.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	res := &analyzer.Result{}
	if excluded {
		return res, nil
	}
	res.Files = 1
	res.Findings = analyzer.Analyze(name, src, &cfg)
	analyzer.SortFindings(res.Findings)
	return res, nil
}

// absPath is p made absolute against wd (not the process's directory,
// which tests do not change).
func absPath(wd, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(wd, p)
}
