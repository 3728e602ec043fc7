package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// FileName is the name Find searches for.
const FileName = ".wrklint.yml"

// ProjectConfig is a loaded .wrklint.yml. Default returns the
// configuration of a project without one.
type ProjectConfig struct {
	// Path is the file it was loaded from ("" for defaults).
	Path string
	// FailOn is the level at or above which findings fail a run; LevelNone
	// when the file does not set it.
	FailOn Level
	// Disabled rules are not run.
	Disabled map[string]bool
	// Levels override rules' default levels.
	Levels map[string]Level
	// Policy holds allow.env, allow.read, allow.write and allow.modules.
	Policy Policy
	// Exclude holds path patterns (MatchPath) not to analyse, relative to
	// the directory of the file.
	Exclude []string
	// Targets and Limits are wrkrun's target policy and load limits.
	Targets Targets
	Limits  Limits
	// Thresholds are the file's thresholds entries, kept as written: they
	// are validated as strings only.
	Thresholds []string
	// Secrets names the environment variables that hold secrets; the
	// defaults unless the file has a secrets section.
	Secrets Secrets
}

// Targets lists hosts, CIDRs and *.domain patterns wrkrun may (allow) or
// must never (deny) send load to; runner/policy parses the entries.
type Targets struct {
	Allow []string
	Deny  []string
}

// Default is the configuration of a project without a file.
func Default() *ProjectConfig {
	return &ProjectConfig{Disabled: map[string]bool{}, Levels: map[string]Level{}, Secrets: DefaultSecrets()}
}

// Error is a problem in a configuration file, at a line when known.
type Error struct {
	Path string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// Find returns the path of the nearest .wrklint.yml in dir or its
// parents, or "" when there is none. A candidate that exists but cannot be
// examined (permission denied) or is not a regular file is an error, not
// skipped: skipping it would silently run without the project's policy.
func Find(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("finding %s: %w", FileName, err)
	}
	for {
		p := filepath.Join(dir, FileName)
		info, err := os.Stat(p)
		switch {
		case err == nil && info.Mode().IsRegular():
			return p, nil
		case err == nil:
			return "", &Error{Path: p, Msg: "is not a regular file"}
		case !errors.Is(err, fs.ErrNotExist):
			return "", &Error{Path: p, Msg: fmt.Sprintf("cannot read: %v", pathErr(err))}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// Resolve is how both tools pick their configuration: the file named
// explicitly (--config), else the nearest .wrklint.yml found from dir
// upwards, else Default().
func Resolve(explicit, dir string) (*ProjectConfig, error) {
	path := explicit
	if path == "" {
		found, err := Find(dir)
		if err != nil {
			return nil, err
		}
		if found == "" {
			return Default(), nil
		}
		path = found
	}
	return Load(path)
}

// Load reads and validates a configuration file. Unknown keys and values
// of the wrong kind are errors naming the line (*Error, joined).
func Load(path string) (*ProjectConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &Error{Path: path, Msg: fmt.Sprintf("cannot read: %v", pathErr(err))}
	}
	return Parse(path, data)
}

func pathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse validates configuration text; path names it in errors.
func Parse(path string, data []byte) (*ProjectConfig, error) {
	cfg := Default()
	cfg.Path = path
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := yamlLinePrefixRe.ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "), "")
		return nil, &Error{Path: path, Line: yamlErrLine(err), Msg: "invalid YAML: " + msg}
	}
	if len(doc.Content) == 0 {
		return cfg, nil // an empty file is the default configuration
	}
	p := &parser{path: path, cfg: cfg}
	p.top(doc.Content[0])
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return cfg, nil
}

// UnknownRules lists, sorted, the rule IDs the file names (rules.disable,
// rules.level) that known does not accept. Callers warn rather than fail:
// IDs are never reused, and a file may outlive a retired rule.
func (c *ProjectConfig) UnknownRules(known func(id string) bool) []string {
	seen := map[string]bool{}
	for id := range c.Disabled {
		seen[id] = true
	}
	for id := range c.Levels {
		seen[id] = true
	}
	var out []string
	for id := range seen {
		if !known(id) {
			out = append(out, id)
		}
	}
	sort.Strings(out)
	return out
}

// ExcludeFunc returns a function reporting whether a path walked by the
// driver matches one of the exclude patterns, or nil when there are none.
// Paths are matched relative to the directory holding the file (or to
// base when the configuration has no file).
func (c *ProjectConfig) ExcludeFunc(base string) func(path string) bool {
	if len(c.Exclude) == 0 {
		return nil
	}
	if c.Path != "" {
		base = filepath.Dir(c.Path)
	}
	absBase, err := filepath.Abs(base)
	if err != nil {
		absBase = base
	}
	patterns := append([]string(nil), c.Exclude...)
	return func(p string) bool {
		abs, err := filepath.Abs(p)
		if err != nil {
			return false
		}
		rel, err := filepath.Rel(absBase, abs)
		if err != nil || climbs(filepath.ToSlash(rel)) {
			return false
		}
		return anyPath(patterns, filepath.ToSlash(rel))
	}
}

var (
	yamlLineRe       = regexp.MustCompile(`line (\d+)`)
	yamlLinePrefixRe = regexp.MustCompile(`^line \d+: `)
	ruleIDRe         = regexp.MustCompile(`^WL\d{3}$`)
)

func yamlErrLine(err error) int {
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

type parser struct {
	path string
	cfg  *ProjectConfig
	errs []error
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &Error{Path: p.path, Line: n.Line, Msg: fmt.Sprintf(format, args...)})
}

// mapping walks a mapping node, calling fields[key] for each key and
// reporting unknown and duplicate keys.
func (p *parser) mapping(n *yaml.Node, where string, fields map[string]func(*yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s must be a mapping", where)
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if !ok {
			keys := make([]string, 0, len(fields))
			for name := range fields {
				keys = append(keys, name)
			}
			sort.Strings(keys)
			p.errorf(k, "unknown key %q in %s (known: %s)", k.Value, where, strings.Join(keys, ", "))
			continue
		}
		if seen[k.Value] {
			p.errorf(k, "duplicate key %q in %s", k.Value, where)
			continue
		}
		seen[k.Value] = true
		f(v)
	}
}

func (p *parser) top(n *yaml.Node) {
	c := p.cfg
	p.mapping(n, "the configuration", map[string]func(*yaml.Node){
		"fail-on": func(v *yaml.Node) {
			if lvl, ok := p.level(v); ok {
				if lvl == LevelNone {
					p.errorf(v, "fail-on must be error, warning or note")
					return
				}
				c.FailOn = lvl
			}
		},
		"rules": func(v *yaml.Node) {
			p.mapping(v, "rules", map[string]func(*yaml.Node){
				"disable": func(v *yaml.Node) {
					for _, id := range p.ruleIDs(v, "rules.disable") {
						c.Disabled[id] = true
					}
				},
				"level": func(v *yaml.Node) {
					if v.Kind != yaml.MappingNode {
						p.errorf(v, "rules.level must be a mapping of rule ID to level")
						return
					}
					for i := 0; i+1 < len(v.Content); i += 2 {
						k, lv := v.Content[i], v.Content[i+1]
						if !p.ruleID(k) {
							continue
						}
						if lvl, ok := p.level(lv); ok {
							c.Levels[strings.ToUpper(k.Value)] = lvl
						}
					}
				},
			})
		},
		"allow": func(v *yaml.Node) {
			p.mapping(v, "allow", map[string]func(*yaml.Node){
				"env":     func(v *yaml.Node) { c.Policy.Env = p.names(v, "allow.env") },
				"read":    func(v *yaml.Node) { c.Policy.Read = p.paths(v, "allow.read") },
				"write":   func(v *yaml.Node) { c.Policy.Write = p.paths(v, "allow.write") },
				"modules": func(v *yaml.Node) { c.Policy.Modules = p.names(v, "allow.modules") },
			})
		},
		"exclude": func(v *yaml.Node) { c.Exclude = p.paths(v, "exclude") },
		"targets": func(v *yaml.Node) {
			p.mapping(v, "targets", map[string]func(*yaml.Node){
				"allow": func(v *yaml.Node) { c.Targets.Allow = p.strings(v, "targets.allow") },
				"deny":  func(v *yaml.Node) { c.Targets.Deny = p.strings(v, "targets.deny") },
			})
		},
		"limits": func(v *yaml.Node) {
			p.mapping(v, "limits", map[string]func(*yaml.Node){
				"connections": func(v *yaml.Node) { c.Limits.Connections = p.positiveInt(v, "limits.connections") },
				"threads":     func(v *yaml.Node) { c.Limits.Threads = p.positiveInt(v, "limits.threads") },
				"rate":        func(v *yaml.Node) { c.Limits.Rate = p.positiveInt(v, "limits.rate") },
				"duration":    func(v *yaml.Node) { c.Limits.Duration = p.duration(v, "limits.duration") },
			})
		},
		"thresholds": func(v *yaml.Node) {
			// Quoted or plain, but strings: "p99 < 200ms"; a bare 5 or
			// true is a mistake the later meaning could not recover from.
			var out []string
			for _, s := range p.stringNodes(v, "thresholds") {
				if s.Tag != "!!str" {
					p.errorf(s, "thresholds entries must be strings, not %s %q (quote it)", strings.TrimPrefix(s.Tag, "!!"), s.Value)
					continue
				}
				out = append(out, s.Value)
			}
			c.Thresholds = out
		},
		"secrets": func(v *yaml.Node) {
			// A list given replaces that default list; [] means none.
			p.mapping(v, "secrets", map[string]func(*yaml.Node){
				"env":     func(v *yaml.Node) { c.Secrets.Env = nonNil(p.names(v, "secrets.env")) },
				"not-env": func(v *yaml.Node) { c.Secrets.NotEnv = nonNil(p.names(v, "secrets.not-env")) },
			})
		},
	})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (p *parser) level(v *yaml.Node) (Level, bool) {
	if v.Kind != yaml.ScalarNode {
		p.errorf(v, "a level must be error, warning, note or none")
		return LevelNone, false
	}
	lvl, err := ParseLevel(v.Value)
	if err != nil {
		p.errorf(v, "%v", err)
		return LevelNone, false
	}
	return lvl, true
}

func (p *parser) ruleID(k *yaml.Node) bool {
	if !ruleIDRe.MatchString(strings.ToUpper(k.Value)) {
		p.errorf(k, "%q is not a rule ID (WL and three digits)", k.Value)
		return false
	}
	return true
}

func (p *parser) ruleIDs(v *yaml.Node, where string) []string {
	var out []string
	for _, s := range p.stringNodes(v, where) {
		if p.ruleID(s) {
			out = append(out, strings.ToUpper(s.Value))
		}
	}
	return out
}

func (p *parser) stringNodes(v *yaml.Node, where string) []*yaml.Node {
	if v.Kind != yaml.SequenceNode {
		p.errorf(v, "%s must be a list", where)
		return nil
	}
	var out []*yaml.Node
	for _, s := range v.Content {
		if s.Kind != yaml.ScalarNode || s.Value == "" {
			p.errorf(s, "%s entries must be non-empty strings", where)
			continue
		}
		out = append(out, s)
	}
	return out
}

func (p *parser) strings(v *yaml.Node, where string) []string {
	var out []string
	for _, s := range p.stringNodes(v, where) {
		out = append(out, s.Value)
	}
	return out
}

// paths are path patterns for MatchPath.
func (p *parser) paths(v *yaml.Node, where string) []string {
	var out []string
	for _, s := range p.stringNodes(v, where) {
		if err := ValidPathPattern(s.Value); err != nil {
			p.errorf(s, "%s: %v", where, err)
			continue
		}
		out = append(out, s.Value)
	}
	return out
}

// names are globs over names (environment variables, modules).
func (p *parser) names(v *yaml.Node, where string) []string {
	var out []string
	for _, s := range p.stringNodes(v, where) {
		if _, err := path.Match(s.Value, ""); err != nil {
			p.errorf(s, "%s: bad pattern %q: %v", where, s.Value, err)
			continue
		}
		out = append(out, s.Value)
	}
	return out
}

func (p *parser) positiveInt(v *yaml.Node, where string) int {
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil || n <= 0 {
		p.errorf(v, "%s must be a positive integer, not %q", where, v.Value)
		return 0
	}
	return n
}

func (p *parser) duration(v *yaml.Node, where string) time.Duration {
	if v.Kind != yaml.ScalarNode {
		p.errorf(v, "%s must be a duration such as 10m", where)
		return 0
	}
	d, err := time.ParseDuration(v.Value)
	if err != nil || d <= 0 {
		p.errorf(v, "%s %q is not a positive duration (use 30s, 10m, 1h)", where, v.Value)
		return 0
	}
	return d
}
