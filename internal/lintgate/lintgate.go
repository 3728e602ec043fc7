// Package lintgate is wrkrun's lint gate: it runs the analyzer in-process
// on a script before anything is resolved or connected, and hands the
// command a verdict. It lives outside package runner so that the load
// generator does not depend on the lint engine (docs/architecture.md).
package lintgate

import (
	"fmt"
	"io"
	"strings"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/report"
)

// LoadProject is how both tools load their configuration (config.Resolve:
// --config, else the nearest .wrklint.yml upwards, else the defaults),
// warning on stderr, as "<tool>: warning: ...", about rule IDs the file
// names that catalogue does not have. Those are not refused: IDs are never
// reused, and a file may outlive a retired rule.
func LoadProject(explicit, dir string, catalogue []*analyzer.Rule, stderr io.Writer, tool string) (*config.ProjectConfig, error) {
	project, err := config.Resolve(explicit, dir)
	if err != nil {
		return nil, err // *config.Error names the file and line
	}
	known := make(map[string]bool, len(catalogue))
	for _, r := range catalogue {
		known[r.ID] = true
	}
	if unknown := project.UnknownRules(func(id string) bool { return known[id] }); len(unknown) > 0 {
		fmt.Fprintf(stderr, "%s: warning: %s names rules this version does not have: %s\n", tool, project.Path, strings.Join(unknown, ", "))
	}
	return project, nil
}

// Config configures the lint gate.
type Config struct {
	// Rules is the catalogue to run, usually rules.All().
	Rules []*analyzer.Rule
	// Project is the loaded configuration; nil means the defaults.
	Project *config.ProjectConfig
	// FailOn is the level at or above which a finding refuses the script;
	// LevelNone takes the project's fail-on, or error.
	FailOn config.Level
	// Extra allowances from the command line (--allow-env and friends),
	// added to the project's.
	Extra config.Policy
}

// Policy is the project's policy plus the command line's allowances: what
// the lint accepts and what the sandbox allows at run time.
func (c Config) Policy() config.Policy {
	var p config.Policy
	if c.Project != nil {
		p = c.Project.Policy
	}
	return p.Merge(c.Extra)
}

// failOn resolves the effective fail-on level.
func (c Config) failOn() config.Level {
	switch {
	case c.FailOn != config.LevelNone:
		return c.FailOn
	case c.Project != nil && c.Project.FailOn != config.LevelNone:
		return c.Project.FailOn
	}
	return config.LevelError
}

// Result is the outcome of the lint gate.
type Result struct {
	Result *analyzer.Result // every finding, suppressed ones included
	FailOn config.Level
	// Blocking are the unsuppressed findings at or above FailOn.
	Blocking []analyzer.Finding
	// Modules are the modules the gate analysed with the script: the
	// only ones the run may load, with the contents analysed.
	Modules []analyzer.Module
}

// Refused reports whether the gate refuses the script.
func (r *Result) Refused() bool { return len(r.Blocking) > 0 }

// Active is the number of unsuppressed findings (blocking or not).
func (r *Result) Active() int {
	n := 0
	for i := range r.Result.Findings {
		if r.Result.Findings[i].Suppression == nil {
			n++
		}
	}
	return n
}

// Print writes the findings as `wrklint` prints them in text form.
func (r *Result) Print(w io.Writer, color bool) error {
	return report.Text(w, r.Result, report.TextOptions{Color: color})
}

// Lint runs the analyzer on src (named path in findings) and the local
// modules it requires, as one program, with the rules, the project's rule
// switches and levels, and the merged policy. Suppressed findings never
// block.
func Lint(path string, src []byte, cfg Config) *Result {
	opts := analyzer.Options{Rules: cfg.Rules, Policy: cfg.Policy()}
	if cfg.Project != nil {
		opts.Disabled = cfg.Project.Disabled
		opts.Levels = cfg.Project.Levels
		opts.Secrets = &cfg.Project.Secrets
	}
	prog := analyzer.AnalyzeProgram(path, src, &opts)
	findings := prog.Findings
	analyzer.SortFindings(findings)
	res := &Result{
		Result:  &analyzer.Result{Findings: findings, Files: 1 + len(prog.Modules)},
		FailOn:  cfg.failOn(),
		Modules: prog.Modules,
	}
	for _, f := range findings {
		if f.Suppression == nil && f.Level != config.LevelNone && f.Level >= res.FailOn {
			res.Blocking = append(res.Blocking, f)
		}
	}
	return res
}
