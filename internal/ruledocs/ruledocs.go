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
	fmt.Fprintf(bw, "\n## What it reports and why\n\n%s\n", strings.TrimSpace(r.Description))
	if h := strings.TrimSpace(r.Help); h != "" {
		fmt.Fprintf(bw, "\n%s\n", h)
	}
	fmt.Fprintln(bw, "\n## Examples")
	example(bw, "Reported:", r.Bad)
	example(bw, "Not reported:", r.Good)
	fmt.Fprintln(bw, "\n## Suppressing and configuring")
	switch r.ID {
	case "WL001":
		fmt.Fprintln(bw, "\nWL001 cannot be suppressed or disabled by a directive: a file wrklint cannot analyse cannot be trusted. Fix the file.")
	case "WL002", "WL003":
		fmt.Fprintf(bw, "\n%s is about the directives themselves and cannot be suppressed by one. Fix or remove the directive, or turn the rule off in `.wrklint.yml`:\n\n```yaml\nrules:\n  disable: [%s]\n```\n", r.ID, r.ID)
	default:
		fmt.Fprintf(bw, "\nA reviewed exception is documented where it happens, with a mandatory reason:\n\n```lua\n"+
			"-- wrklint:ignore-next-line %[1]s -- why this is acceptable here\n```\n\n"+
			"`-- wrklint:ignore %[1]s -- reason` at the end of the line, or `-- wrklint:ignore-file %[1]s -- reason` for the whole file, work too. "+
			"Project-wide, `.wrklint.yml` can change the rule's level or turn it off:\n\n```yaml\nrules:\n  level: {%[1]s: warning}\n  # disable: [%[1]s]\n```\n", r.ID)
	}
	fmt.Fprintf(bw, "\nSee also: [all rules](../rules.md#%s), [configuration](../configuration.md).\n", Anchor(r))
	return flush(bw)
}
