package luart

import (
	"io"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/report"
	"github.com/wrklint/wrklint/rules"
)

// LintConfig configures the lint gate.
type LintConfig struct {
	// Project is the loaded .wrklint.yml (analyzer.FindConfig and
	// analyzer.LoadConfig); nil means the defaults.
	Project *analyzer.ProjectConfig
	// FailOn is the level at or above which a finding refuses the script;
	// LevelNone takes the project's fail-on, or error.
	FailOn analyzer.Level
	// Extra allowances from the command line (--allow-env and friends),
	// added to the project's.
	Extra analyzer.Policy
}

// Policy is the project's policy plus the command line's allowances: what
// the lint accepts and what the sandbox allows at run time.
func (c LintConfig) Policy() analyzer.Policy {
	var p analyzer.Policy
	if c.Project != nil {
		p = c.Project.Policy
	}
	return analyzer.Policy{
		Env:     append(append([]string(nil), p.Env...), c.Extra.Env...),
		Read:    append(append([]string(nil), p.Read...), c.Extra.Read...),
		Write:   append(append([]string(nil), p.Write...), c.Extra.Write...),
		Modules: append(append([]string(nil), p.Modules...), c.Extra.Modules...),
	}
}

// failOn resolves the effective fail-on level.
func (c LintConfig) failOn() analyzer.Level {
	switch {
	case c.FailOn != analyzer.LevelNone:
		return c.FailOn
	case c.Project != nil && c.Project.FailOn != analyzer.LevelNone:
		return c.Project.FailOn
	}
	return analyzer.LevelError
}

// LintResult is the outcome of the lint gate.
type LintResult struct {
	Result *analyzer.Result // every finding, suppressed ones included
	FailOn analyzer.Level
	// Blocking are the unsuppressed findings at or above FailOn.
	Blocking []analyzer.Finding
	// Modules are the modules the gate analysed with the script, by the
	// name required: Options.Modules for the run.
	Modules map[string]analyzer.Module
}

// Refused reports whether the gate refuses the script.
func (r *LintResult) Refused() bool { return len(r.Blocking) > 0 }

// Active is the number of unsuppressed findings (blocking or not).
func (r *LintResult) Active() int {
	n := 0
	for i := range r.Result.Findings {
		if r.Result.Findings[i].Suppression == nil {
			n++
		}
	}
	return n
}

// Print writes the findings as `wrklint` prints them in text form.
func (r *LintResult) Print(w io.Writer, color bool) error {
	return report.Text(w, r.Result, report.TextOptions{Color: color})
}

// Lint runs the analyzer in-process on src (named path in findings) and
// the local modules it requires, as one program, with every rule, the
// project's rule switches and levels, and the merged policy. Suppressed
// findings never block.
func Lint(path string, src []byte, cfg LintConfig) *LintResult {
	acfg := analyzer.Config{Rules: rules.All(), Policy: cfg.Policy()}
	if cfg.Project != nil {
		acfg.Disabled = cfg.Project.Disabled
		acfg.Levels = cfg.Project.Levels
	}
	prog := analyzer.AnalyzeProgram(path, src, &acfg)
	findings := prog.Findings
	analyzer.SortFindings(findings)
	res := &LintResult{
		Result:  &analyzer.Result{Findings: findings, Files: 1 + len(prog.Modules)},
		FailOn:  cfg.failOn(),
		Modules: make(map[string]analyzer.Module, len(prog.Modules)),
	}
	for _, m := range prog.Modules {
		res.Modules[m.Name] = m
	}
	for _, f := range findings {
		if f.Suppression == nil && f.Level != analyzer.LevelNone && f.Level >= res.FailOn {
			res.Blocking = append(res.Blocking, f)
		}
	}
	return res
}
