package analyzer

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/wrklint/wrklint/internal/luasrc"
)

// MalformedDirectiveRule is WL002 and UnusedSuppressionRule WL003: the
// engine reports both while applying suppressions.
var (
	MalformedDirectiveRule = &Rule{
		ID:        "WL002",
		Name:      "MalformedDirective",
		Level:     LevelWarning,
		Title:     "Fix wrklint directives that cannot be understood",
		Precision: "very-high",
		Bad:       "local token = os.getenv(\"BENCH_TOKEN\") -- wrklint:ignore WL201\n",
		Good:      "local token = os.getenv(\"BENCH_TOKEN\") -- wrklint:ignore WL201 -- injected by the CI job\n",
		Description: "A wrklint: comment is not a valid directive: unknown kind, no rule IDs, an unknown rule, " +
			"a rule that cannot be suppressed (WL001, WL002, WL003), or no reason after \"--\". It suppresses nothing.",
		Help: "Directives take one of three forms, each with a mandatory reason after `--`:\n\n" +
			"```lua\nos.getenv(\"BENCH_TOKEN\")  -- wrklint:ignore WL201 -- token injected by CI\n" +
			"-- wrklint:ignore-next-line WL102 -- fixture list shipped with the repo\n" +
			"-- wrklint:ignore-file WL102,WL201 -- this script replays a trace file\n```\n\n" +
			"`ignore` applies to findings that start on the directive's line, `ignore-next-line` to the next line with code, " +
			"`ignore-file` to the whole file. WL001 cannot be suppressed: a file that cannot be analysed cannot be trusted.",
	}
	UnusedSuppressionRule = &Rule{
		ID:        "WL003",
		Name:      "UnusedSuppression",
		Level:     LevelNote,
		Title:     "Remove suppressions that suppress nothing",
		Precision: "very-high",
		Bad:       "-- wrklint:ignore-next-line WL103 -- legacy\nlocal n = 0\n",
		Good:      "local n = 0\n",
		Description: "A wrklint:ignore directive names a rule that reported nothing where the directive applies. " +
			"Stale suppressions hide future problems; remove them.",
		Help: "Remove the rule ID from the directive, or the whole directive. A rule disabled in `.wrklint.yml` " +
			"is not checked, so its suppressions are not reported as unused.",
	}
)

// Suppression records why a finding is not counted: SARIF's
// suppression object.
type Suppression struct {
	// Kind is "inSource" for a comment directive.
	Kind          string
	Justification string
}

type directiveKind int

const (
	ignoreLine directiveKind = iota
	ignoreNextLine
	ignoreFile
)

// directive is a parsed wrklint: comment.
type directive struct {
	kind   directiveKind
	ids    []string
	reason string
	// line is the line the directive applies to (0 for the whole file).
	line       int
	start, end int // the comment's bytes
	used       map[string]bool
}

var (
	directiveRe = regexp.MustCompile(`^\s*wrklint:(\S*)\s*(.*)$`)
	ruleIDRe    = regexp.MustCompile(`^WL\d{3}$`)
)

// parseDirectives finds wrklint: directives in the file's comments and
// reports malformed ones through bad.
func (f *File) parseDirectives(known func(id string) bool, bad func(start, end int, msg string)) []*directive {
	var out []*directive
	for _, c := range f.Comments {
		text := c.Text
		if c.Long {
			text = strings.TrimSpace(text)
		}
		m := directiveRe.FindStringSubmatch(text)
		if m == nil {
			continue
		}
		d := &directive{start: c.Start, end: c.End, used: map[string]bool{}}
		switch m[1] {
		case "ignore":
			d.kind = ignoreLine
			d.line = f.position(c.Start).Line
		case "ignore-next-line":
			d.kind = ignoreNextLine
			d.line = f.nextCodeLine(c.End)
		case "ignore-file":
			d.kind = ignoreFile
		default:
			bad(c.Start, c.End, fmt.Sprintf("unknown directive wrklint:%s (want ignore, ignore-next-line or ignore-file)", m[1]))
			continue
		}
		idsPart, reason, hasReason := strings.Cut(m[2], "--")
		reason = strings.TrimSpace(reason)
		var ids []string
		for _, id := range strings.FieldsFunc(idsPart, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
			ids = append(ids, strings.ToUpper(id))
		}
		problem := ""
		switch {
		case len(ids) == 0:
			problem = "names no rule; write wrklint:" + m[1] + " WL101 -- reason"
		case !hasReason || reason == "":
			problem = "has no reason; add one after \"--\", e.g. -- fixture shipped with the repo"
		}
		for _, id := range ids {
			if problem != "" {
				break
			}
			switch {
			case !ruleIDRe.MatchString(id):
				problem = fmt.Sprintf("names %q, which is not a rule ID (WL and three digits)", id)
			case id == "WL001" || id == "WL002" || id == "WL003":
				problem = fmt.Sprintf("cannot suppress %s", id)
			case !known(id):
				problem = fmt.Sprintf("names %s, which is not a wrklint rule", id)
			}
		}
		if problem != "" {
			bad(c.Start, c.End, "wrklint:"+m[1]+" directive "+problem)
			continue
		}
		// A copy: the comment's text is a slice of the whole source, which
		// a finding's justification must not keep alive.
		d.ids, d.reason = ids, strings.Clone(reason)
		out = append(out, d)
	}
	return out
}

// nextCodeLine is the line of the first token after offset off.
func (f *File) nextCodeLine(off int) int {
	i := sort.Search(len(f.Tokens), func(i int) bool { return f.Tokens[i].Start >= off })
	if i < len(f.Tokens) && f.Tokens[i].Kind != luasrc.TkEOF {
		return f.position(f.Tokens[i].Start).Line
	}
	return f.position(off).Line + 1
}

// applySuppressions marks the findings that directives suppress and
// returns the WL002 and WL003 findings. enabled tells which rules ran.
func (f *File) applySuppressions(findings []Finding, known, enabled func(id string) bool) []Finding {
	var meta []Finding
	dirs := f.parseDirectives(known, func(start, end int, msg string) {
		meta = append(meta, f.finding(MalformedDirectiveRule, start, end, msg))
	})
	for i := range findings {
		fd := &findings[i]
		if fd.RuleID == "WL001" {
			continue
		}
		for _, d := range dirs {
			if d.kind != ignoreFile && d.line != fd.Start.Line {
				continue
			}
			for _, id := range d.ids {
				if id == fd.RuleID {
					d.used[id] = true
					if fd.Suppression == nil {
						fd.Suppression = &Suppression{Kind: "inSource", Justification: d.reason}
					}
				}
			}
		}
	}
	for _, d := range dirs {
		var unused []string
		for _, id := range d.ids {
			if !d.used[id] && enabled(id) {
				unused = append(unused, id)
			}
		}
		if len(unused) > 0 {
			meta = append(meta, f.finding(UnusedSuppressionRule, d.start, d.end,
				fmt.Sprintf("suppression of %s matched no finding; remove it", strings.Join(unused, ", "))))
		}
	}
	return meta
}
