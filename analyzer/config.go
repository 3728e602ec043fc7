package analyzer

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// ConfigFileName is the name searched for from the working directory up.
const ConfigFileName = ".wrklint.yml"

// ProjectConfig is a loaded .wrklint.yml. wrklint and wrkrun read the same
// file; the zero value is the default configuration.
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
	// Exclude holds globs (with **) of paths not to analyse, relative to
	// the directory of the file.
	Exclude []string
	// Targets and Limits are wrkrun's target policy and load limits.
	Targets TargetPolicy
	Limits  Limits
}

// TargetPolicy lists hosts, CIDRs and *.domain patterns wrkrun may (allow)
// or must never (deny) send load to.
type TargetPolicy struct {
	Allow []string
	Deny  []string
}

// Limits are the load above which wrkrun asks for confirmation. Zero means
// the file does not set the limit.
type Limits struct {
	Connections int
	Threads     int
	Duration    time.Duration
	Rate        int
}

// ConfigError is a problem in a configuration file, at a line when known.
type ConfigError struct {
	Path string
	Line int
	Msg  string
}

func (e *ConfigError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.Path, e.Msg)
}

// FindConfig looks for .wrklint.yml in dir and its parents and returns its
// path, or "" when there is none.
func FindConfig(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("finding %s: %w", ConfigFileName, err)
	}
	for {
		p := filepath.Join(dir, ConfigFileName)
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", nil
		}
		dir = parent
	}
}

// LoadConfig reads and validates a configuration file. Unknown keys and
// values of the wrong kind are errors naming the line.
func LoadConfig(path string) (*ProjectConfig, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, &ConfigError{Path: path, Msg: fmt.Sprintf("cannot read: %v", readErr(err))}
	}
	return ParseConfig(path, data)
}

// ParseConfig validates configuration text; path names it in errors.
func ParseConfig(path string, data []byte) (*ProjectConfig, error) {
	cfg := &ProjectConfig{Path: path, Disabled: map[string]bool{}, Levels: map[string]Level{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := yamlLinePrefixRe.ReplaceAllString(strings.TrimPrefix(err.Error(), "yaml: "), "")
		return nil, &ConfigError{Path: path, Line: yamlErrLine(err), Msg: "invalid YAML: " + msg}
	}
	if len(doc.Content) == 0 {
		return cfg, nil // an empty file is the default configuration
	}
	p := &configParser{path: path, cfg: cfg}
	p.top(doc.Content[0])
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return cfg, nil
}

var (
	yamlLineRe       = regexp.MustCompile(`line (\d+)`)
	yamlLinePrefixRe = regexp.MustCompile(`^line \d+: `)
)

func yamlErrLine(err error) int {
	if m := yamlLineRe.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 0
}

type configParser struct {
	path string
	cfg  *ProjectConfig
	errs []error
}

func (p *configParser) errorf(n *yaml.Node, format string, args ...any) {
	p.errs = append(p.errs, &ConfigError{Path: p.path, Line: n.Line, Msg: fmt.Sprintf(format, args...)})
}

// mapping walks a mapping node, calling fields[key] for each key and
// reporting unknown keys.
func (p *configParser) mapping(n *yaml.Node, where string, fields map[string]func(*yaml.Node)) {
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

func (p *configParser) top(n *yaml.Node) {
	p.mapping(n, "the configuration", map[string]func(*yaml.Node){
		"fail-on": func(v *yaml.Node) {
			if lvl, ok := p.level(v); ok {
				if lvl == LevelNone {
					p.errorf(v, "fail-on must be error, warning or note")
					return
				}
				p.cfg.FailOn = lvl
			}
		},
		"rules": func(v *yaml.Node) {
			p.mapping(v, "rules", map[string]func(*yaml.Node){
				"disable": func(v *yaml.Node) {
					for _, id := range p.ruleIDs(v, "rules.disable") {
						p.cfg.Disabled[id] = true
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
							p.cfg.Levels[strings.ToUpper(k.Value)] = lvl
						}
					}
				},
			})
		},
		"allow": func(v *yaml.Node) {
			p.mapping(v, "allow", map[string]func(*yaml.Node){
				"env":     func(v *yaml.Node) { p.cfg.Policy.Env = p.patterns(v, "allow.env") },
				"read":    func(v *yaml.Node) { p.cfg.Policy.Read = p.patterns(v, "allow.read") },
				"write":   func(v *yaml.Node) { p.cfg.Policy.Write = p.patterns(v, "allow.write") },
				"modules": func(v *yaml.Node) { p.cfg.Policy.Modules = p.patterns(v, "allow.modules") },
			})
		},
		"exclude": func(v *yaml.Node) { p.cfg.Exclude = p.patterns(v, "exclude") },
		"targets": func(v *yaml.Node) {
			p.mapping(v, "targets", map[string]func(*yaml.Node){
				"allow": func(v *yaml.Node) { p.cfg.Targets.Allow = p.strings(v, "targets.allow") },
				"deny":  func(v *yaml.Node) { p.cfg.Targets.Deny = p.strings(v, "targets.deny") },
			})
		},
		"limits": func(v *yaml.Node) {
			p.mapping(v, "limits", map[string]func(*yaml.Node){
				"connections": func(v *yaml.Node) { p.cfg.Limits.Connections = p.positiveInt(v, "limits.connections") },
				"threads":     func(v *yaml.Node) { p.cfg.Limits.Threads = p.positiveInt(v, "limits.threads") },
				"rate":        func(v *yaml.Node) { p.cfg.Limits.Rate = p.positiveInt(v, "limits.rate") },
				"duration": func(v *yaml.Node) {
					if v.Kind != yaml.ScalarNode {
						p.errorf(v, "limits.duration must be a duration such as 10m")
						return
					}
					d, err := time.ParseDuration(v.Value)
					if err != nil || d <= 0 {
						p.errorf(v, "limits.duration %q is not a positive duration (use 30s, 10m, 1h)", v.Value)
						return
					}
					p.cfg.Limits.Duration = d
				},
			})
		},
	})
}

func (p *configParser) level(v *yaml.Node) (Level, bool) {
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

func (p *configParser) ruleID(k *yaml.Node) bool {
	if !ruleIDRe.MatchString(strings.ToUpper(k.Value)) {
		p.errorf(k, "%q is not a rule ID (WL and three digits)", k.Value)
		return false
	}
	return true
}

func (p *configParser) ruleIDs(v *yaml.Node, where string) []string {
	var out []string
	for _, s := range p.stringNodes(v, where) {
		if p.ruleID(s) {
			out = append(out, strings.ToUpper(s.Value))
		}
	}
	return out
}

func (p *configParser) stringNodes(v *yaml.Node, where string) []*yaml.Node {
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

func (p *configParser) strings(v *yaml.Node, where string) []string {
	var out []string
	for _, s := range p.stringNodes(v, where) {
		out = append(out, s.Value)
	}
	return out
}

// patterns are strings that must be valid globs.
func (p *configParser) patterns(v *yaml.Node, where string) []string {
	var out []string
	for _, s := range p.stringNodes(v, where) {
		if _, err := globRegexp(s.Value); err != nil {
			p.errorf(s, "%s: bad pattern %q: %v", where, s.Value, err)
			continue
		}
		out = append(out, s.Value)
	}
	return out
}

func (p *configParser) positiveInt(v *yaml.Node, where string) int {
	n, err := strconv.Atoi(v.Value)
	if v.Kind != yaml.ScalarNode || err != nil || n <= 0 {
		p.errorf(v, "%s must be a positive integer, not %q", where, v.Value)
		return 0
	}
	return n
}

// globRegexp compiles a path glob: ** matches across directories, *
// and ? within one, [..] classes as in path.Match.
func globRegexp(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for i := 0; i < len(glob); i++ {
		c := glob[i]
		switch c {
		case '*':
			if i+1 < len(glob) && glob[i+1] == '*' {
				i++
				if i+1 < len(glob) && glob[i+1] == '/' {
					i++
					b.WriteString("(?:.*/)?")
				} else {
					b.WriteString(".*")
				}
			} else {
				b.WriteString("[^/]*")
			}
		case '?':
			b.WriteString("[^/]")
		case '[':
			j := strings.IndexByte(glob[i:], ']')
			if j < 0 {
				return nil, errors.New("unclosed [")
			}
			class := glob[i+1 : i+j]
			if strings.HasPrefix(class, "!") {
				class = "^" + class[1:]
			}
			b.WriteString("[" + class + "]")
			i += j
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// ExcludeFunc returns a function reporting whether a path walked by the
// driver matches one of the config's exclude globs. Paths are matched
// relative to the directory holding the config file (or to base when the
// config has no file); a pattern ending in "/" excludes a directory tree.
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
	var res []*regexp.Regexp
	for _, g := range c.Exclude {
		g = strings.TrimPrefix(g, "./")
		if strings.HasSuffix(g, "/") {
			g += "**"
		}
		if re, err := globRegexp(g); err == nil {
			res = append(res, re)
		}
	}
	return func(p string) bool {
		abs, err := filepath.Abs(p)
		if err != nil {
			return false
		}
		rel, err := filepath.Rel(absBase, abs)
		if err != nil || strings.HasPrefix(rel, "..") {
			return false
		}
		rel = filepath.ToSlash(rel)
		for _, re := range res {
			if re.MatchString(rel) || re.MatchString(rel+"/") {
				return true
			}
		}
		return false
	}
}
