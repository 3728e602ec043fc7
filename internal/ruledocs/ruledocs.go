// Package ruledocs renders the rule reference (docs/rules.md and the rule
// table of README.md) from the metadata of the rules themselves, so the
// documentation cannot drift from the catalogue: a test regenerates it and
// fails when the committed copy differs.
package ruledocs

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/wrklint/wrklint/analyzer"
)

// Regenerate is the command that rewrites the generated documentation.
const Regenerate = "go test ./internal/ruledocs -update"

// Anchor is the anchor of a rule's section in docs/rules.md: the rule ID
// in lower case ("wl101"), set explicitly before the heading so that links
// (README, explain, SARIF helpUri) do not depend on the rule's name.
func Anchor(r *analyzer.Rule) string {
	return strings.ToLower(r.ID)
}

// CWELink is a Markdown link to the rule's CWE entry, or "—" when it has
// none.
func CWELink(cwe int) string {
	if cwe <= 0 {
		return "—"
	}
	return fmt.Sprintf("[CWE-%d](https://cwe.mitre.org/data/definitions/%d.html)", cwe, cwe)
}

// Table writes a Markdown table of the rules, one row each, in the order
// given. Rule IDs link to their sections in docs/rules.md through base
// ("" inside docs/rules.md itself, "docs/rules.md" from the README).
func Table(w io.Writer, rules []*analyzer.Rule, base string) error {
	bw := bufio.NewWriter(w)
	if len(rules) == 0 {
		fmt.Fprintln(bw, "The catalogue is empty.")
		return flush(bw)
	}
	fmt.Fprintln(bw, "| ID | Name | Default level | CWE | Summary |")
	fmt.Fprintln(bw, "|---|---|---|---|---|")
	for _, r := range rules {
		fmt.Fprintf(bw, "| [%s](%s#%s) | %s | %s | %s | %s |\n",
			r.ID, base, Anchor(r), r.Name, r.Level, CWELink(r.CWE), cell(r.Title))
	}
	return flush(bw)
}

// Markdown writes the whole rule reference: an index table, then one
// section per rule with its level, CWE, description and help.
func Markdown(w io.Writer, rules []*analyzer.Rule) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "<!-- Code generated from the rule metadata by `%s`. DO NOT EDIT. -->\n\n", Regenerate)
	fmt.Fprintln(bw, "# wrklint rules")
	fmt.Fprintln(bw)
	fmt.Fprintln(bw, "Every rule wrklint knows, generated from the rules' own metadata.")
	fmt.Fprintln(bw, "`wrklint rules` lists them and `wrklint explain ID` prints one of these sections in the terminal.")
	fmt.Fprintln(bw, "Rule IDs are stable and never reused.")
	fmt.Fprintln(bw)
	if err := flush(bw); err != nil {
		return err
	}
	if err := Table(w, rules, ""); err != nil {
		return err
	}
	for _, r := range rules {
		fmt.Fprintln(bw)
		fmt.Fprintf(bw, "<a id=\"%s\"></a>\n\n## %s %s\n\n", Anchor(r), r.ID, r.Name)
		if r.Title != "" {
			fmt.Fprintf(bw, "**%s**\n\n", strings.TrimSpace(r.Title))
		}
		fmt.Fprintf(bw, "- Default level: %s\n", r.Level)
		fmt.Fprintf(bw, "- CWE: %s\n", CWELink(r.CWE))
		if r.Precision != "" {
			fmt.Fprintf(bw, "- Precision: %s\n", r.Precision)
		}
		if d := strings.TrimSpace(r.Description); d != "" {
			fmt.Fprintf(bw, "\n%s\n", d)
		}
		if h := strings.TrimSpace(r.Help); h != "" {
			fmt.Fprintf(bw, "\n%s\n", h)
		}
		example(bw, "Reported:", r.Bad)
		example(bw, "Not reported:", r.Good)
	}
	return flush(bw)
}

// example writes a labelled Lua code block, or nothing for empty code.
func example(w io.Writer, label, code string) {
	code = strings.Trim(code, "\n")
	if strings.TrimSpace(code) == "" {
		return
	}
	fmt.Fprintf(w, "\n%s\n\n```lua\n%s\n```\n", label, code)
}

func flush(bw *bufio.Writer) error {
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing rule docs: %w", err)
	}
	return nil
}

// cell makes text safe inside a Markdown table cell.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// PagePath is where a rule's own page lives, relative to the repository
// root.
func PagePath(r *analyzer.Rule) string {
	return "docs/rules/" + r.ID + ".md"
}

// block is one piece of a rule page: prose, or a code block with a label
// before it.
type block struct {
	label string // "Reported:" before an example; "" for none
	lang  string // "lua", "yaml" for code; "" for prose
	text  string
}

// section is a headed part of a rule page.
type section struct {
	heading string
	blocks  []block
}

// sections is the one source of a rule's page (Page) and of `wrklint
// explain` (Text): what it reports and why, examples, and how to suppress
// or configure it.
func sections(r *analyzer.Rule) []section {
	what := []block{{text: strings.TrimSpace(r.Description)}}
	if h := strings.TrimSpace(r.Help); h != "" {
		what = append(what, block{text: h})
	}
	var examples []block
	for _, ex := range []struct{ label, code string }{{"Reported:", r.Bad}, {"Not reported:", r.Good}} {
		if code := strings.Trim(ex.code, "\n"); strings.TrimSpace(code) != "" {
			examples = append(examples, block{label: ex.label, lang: "lua", text: code})
		}
	}
	var suppress []block
	switch r.ID {
	case "WL001":
		suppress = []block{{text: "WL001 cannot be suppressed or disabled by a directive: a file wrklint cannot analyse cannot be trusted. Fix the file."}}
	case "WL002", "WL003":
		suppress = []block{
			{text: r.ID + " is about the directives themselves and cannot be suppressed by one. Fix or remove the directive, or turn the rule off in `.wrklint.yml`:"},
			{lang: "yaml", text: "rules:\n  disable: [" + r.ID + "]"},
		}
	default:
		suppress = []block{
			{text: "A reviewed exception is documented where it happens, with a mandatory reason:"},
			{lang: "lua", text: "-- wrklint:ignore-next-line " + r.ID + " -- why this is acceptable here"},
			{text: fmt.Sprintf("`-- wrklint:ignore %[1]s -- reason` at the end of the line, or `-- wrklint:ignore-file %[1]s -- reason` for the whole file, work too. "+
				"Project-wide, `.wrklint.yml` can change the rule's level or turn it off:", r.ID)},
			{lang: "yaml", text: fmt.Sprintf("rules:\n  level: {%[1]s: warning}\n  # disable: [%[1]s]", r.ID)},
		}
	}
	out := []section{{"What it reports and why", what}}
	if len(examples) > 0 {
		out = append(out, section{"Examples", examples})
	} else {
		out = append(out, section{"Examples", nil})
	}
	return append(out, section{"Suppressing and configuring", suppress})
}

// Page writes the rule's own page (docs/rules/WLxxx.md): what it reports
// and why, a reported and a clean example, and how to suppress or
// configure it.
func Page(w io.Writer, r *analyzer.Rule) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "<!-- Code generated from the rule metadata by `%s`. DO NOT EDIT. -->\n\n", Regenerate)
	fmt.Fprintf(bw, "# %s %s\n\n", r.ID, r.Name)
	if r.Title != "" {
		fmt.Fprintf(bw, "**%s**\n\n", strings.TrimSpace(r.Title))
	}
	fmt.Fprintf(bw, "| Default level | CWE | Precision |\n|---|---|---|\n| %s | %s | %s |\n", r.Level, CWELink(r.CWE), cell(r.Precision))
	for _, sec := range sections(r) {
		fmt.Fprintf(bw, "\n## %s\n", sec.heading)
		for _, b := range sec.blocks {
			if b.label != "" {
				fmt.Fprintf(bw, "\n%s\n", b.label)
			}
			if b.lang == "" {
				fmt.Fprintf(bw, "\n%s\n", b.text)
			} else {
				fmt.Fprintf(bw, "\n```%s\n%s\n```\n", b.lang, b.text)
			}
		}
	}
	fmt.Fprintf(bw, "\nSee also: [all rules](../rules.md#%s), [configuration](../configuration.md).\n", Anchor(r))
	return flush(bw)
}

// Text writes the rule's page for a terminal (`wrklint explain`): the same
// sections as Page, with code indented instead of fenced.
func Text(w io.Writer, r *analyzer.Rule) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s %s: %s\n\n", r.ID, r.Name, strings.TrimSpace(r.Title))
	fmt.Fprintf(bw, "Default level: %s\n", r.Level)
	if r.CWE > 0 {
		fmt.Fprintf(bw, "CWE:           CWE-%d (https://cwe.mitre.org/data/definitions/%d.html)\n", r.CWE, r.CWE)
	} else {
		fmt.Fprintln(bw, "CWE:           none")
	}
	if r.Precision != "" {
		fmt.Fprintf(bw, "Precision:     %s\n", r.Precision)
	}
	fmt.Fprintf(bw, "Reference:     %s\n", PagePath(r))
	for _, sec := range sections(r) {
		if len(sec.blocks) == 0 {
			continue
		}
		fmt.Fprintf(bw, "\n%s\n%s\n", strings.ToUpper(sec.heading), strings.Repeat("-", len(sec.heading)))
		for _, b := range sec.blocks {
			if b.label != "" {
				fmt.Fprintf(bw, "\n%s\n", b.label)
			}
			if b.lang == "" {
				fmt.Fprintf(bw, "\n%s\n", b.text)
			} else {
				fmt.Fprintf(bw, "\n    %s\n", strings.ReplaceAll(b.text, "\n", "\n    "))
			}
		}
	}
	return flush(bw)
}
