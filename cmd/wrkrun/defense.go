package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/internal/audit"
	"github.com/wrklint/wrklint/internal/confine"
	"github.com/wrklint/wrklint/internal/redact"
	"github.com/wrklint/wrklint/runner"
)

// defenseOptions are the flags of the run-time defenses (docs/security.md):
// redaction of script output, the audit log, self-confinement.
type defenseOptions struct {
	noRedact  bool
	auditPath string
	noConfine bool

	// Set up by openDefenses for the run.
	secrets *redact.Set // nil with --no-redact
	audit   *audit.Log  // nil without --audit
}

func defenseLongFlags() []string { return []string{"no-redact", "audit", "no-confine"} }

func addDefenseFlags(f *pflag.FlagSet, d *defenseOptions) {
	f.BoolVar(&d.noRedact, "no-redact", false, "Do not mask secrets in what the script prints")
	f.StringVar(&d.auditPath, "audit", "", "Write an audit log of what the script did to FILE (JSON lines, mode 0600)")
	f.BoolVar(&d.noConfine, "no-confine", false, "Do not confine the process with Landlock after loading the script")
}

// secretNames is the project's secrets section for the redactor.
func secretNames(project *config.ProjectConfig) redact.Names {
	return redact.Names{Env: project.Secrets.Env, NotEnv: project.Secrets.NotEnv}
}

// secretSet is a fresh redaction set, nil with --no-redact.
func (d *defenseOptions) secretSet() *redact.Set {
	if d.noRedact {
		return nil
	}
	return redact.NewSet()
}

// openDefenses prepares redaction and opens the audit log before the
// script is loaded; the returned function closes the log.
func (o *options) openDefenses() (func(), error) {
	d := &o.defense
	d.secrets = d.secretSet()
	switch d.auditPath {
	case "":
		return func() {}, nil
	case "-":
		// stdout carries the report and the script's output, which the
		// log must not mix with.
		return nil, &codeError{exitError, errors.New("wrkrun: --audit needs a file name, not -")}
	}
	log, err := audit.Create(d.auditPath)
	if err != nil {
		return nil, &codeError{exitError, fmt.Errorf("wrkrun: --audit: %w", err)}
	}
	d.audit = log
	d.audit.Record(audit.Event{Kind: audit.KindStart, Path: o.script, Detail: o.url})
	return func() {
		if err := log.Close(); err != nil {
			fmt.Fprintf(o.stderr, "wrkrun: --audit %s: %v\n", d.auditPath, err)
		}
	}, nil
}

// confinePolicy is what the process keeps once confined: the script's
// directory and the allowed read paths to read, allow.write to write, and
// the output files.
func (o *options) confinePolicy(pol config.Policy, cfg runner.Config) confine.Policy {
	p := confine.Policy{Verify: cfg.Verify}
	if o.script != "" {
		p.Read = append(p.Read, filepath.Dir(o.script))
	}
	for _, pat := range pol.Read {
		p.Read = append(p.Read, staticDir(pat, false))
	}
	for _, pat := range pol.Write {
		p.Write = append(p.Write, staticDir(pat, true))
	}
	if o.jsonPath != "" && o.jsonPath != "-" {
		p.WriteFiles = append(p.WriteFiles, o.jsonPath)
	}
	if o.defense.auditPath != "" {
		p.WriteFiles = append(p.WriteFiles, o.defense.auditPath)
	}
	return p
}

// staticDir is the part of a sandbox path pattern Landlock can express: a
// file or directory named without wildcards, or the directory holding the
// first wildcard ("data/*.txt" -> "data"). A write pattern naming a file
// gives its directory, where the file may have to be created.
func staticDir(pat string, write bool) string {
	if strings.HasSuffix(pat, "/") {
		return filepath.Clean(pat)
	}
	if i := strings.IndexAny(pat, "*?[\\"); i >= 0 {
		return filepath.Dir(pat[:i] + "x") // the directory of the partial name
	}
	if write {
		return filepath.Dir(pat)
	}
	return filepath.Clean(pat)
}

// confineSelf confines the process once the script is loaded and its
// files are open (see internal/confine), and says once on stderr when it
// cannot, or when wrkrun runs as root.
func (o *options) confineSelf(pol config.Policy, cfg runner.Config) error {
	if o.confine == nil {
		return nil // tests and wrkrun demo: one process runs several commands
	}
	if o.euid != nil && o.euid() == 0 {
		fmt.Fprintln(o.stderr, "wrkrun: warning: running as root: a load generator needs no privileges; run it as an ordinary user")
	}
	if o.defense.noConfine {
		o.defense.audit.Record(audit.Event{Kind: audit.KindConfine, Detail: "off (--no-confine)"})
		return nil
	}
	st, err := o.confine(o.confinePolicy(pol, cfg))
	if err != nil {
		return &codeError{exitError, fmt.Errorf("wrkrun: confining the process (--no-confine to skip): %w", err)}
	}
	if !st.Enforced {
		fmt.Fprintf(o.stderr, "wrkrun: warning: not confined: %s; the Lua sandbox still applies\n", st.Reason)
		o.defense.audit.Record(audit.Event{Kind: audit.KindConfine, Detail: "unavailable: " + st.Reason})
		return nil
	}
	o.defense.audit.Record(audit.Event{Kind: audit.KindConfine, Detail: fmt.Sprintf("landlock ABI %d", st.ABI)})
	return nil
}

// createPrivate creates a file wrkrun writes (--json) with mode 0600.
func createPrivate(path string) (*os.File, error) { return audit.CreatePrivate(path) }
