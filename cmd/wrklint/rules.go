package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/internal/ruledocs"
	"github.com/wrklint/wrklint/report"
)

func newRulesCmd(opts *options) *cobra.Command {
	var markdown bool
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the rule catalogue",
		Long: `List every rule: ID, name, default level, CWE and summary.
With --markdown, print the rule reference (docs/rules.md) instead.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if markdown {
				return ruledocs.Markdown(opts.Stdout, opts.Rules)
			}
			return listRules(opts.Stdout, opts.Rules)
		},
	}
	cmd.Flags().BoolVar(&markdown, "markdown", false, "print the Markdown rule reference (docs/rules.md)")
	return cmd
}

func listRules(w io.Writer, rules []*analyzer.Rule) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tLEVEL\tCWE\tSUMMARY")
	for _, r := range rules {
		cwe := report.CWE(r.CWE)
		if cwe == "" {
			cwe = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Name, r.Level, cwe, r.Title)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the rule list: %w", err)
	}
	return nil
}

func newExplainCmd(opts *options) *cobra.Command {
	return &cobra.Command{
		Use:   "explain RULE",
		Short: "Print a rule's documentation",
		Long: `Print the documentation of one rule, named by its ID (WL101) or its
name (FileWrite), in any case.`,
		Example: "  wrklint explain WL101",
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageErrorf("explain takes exactly one rule ID, such as WL101 (got %d arguments)", len(args))
			}
			return nil
		},
		RunE: func(_ *cobra.Command, args []string) error {
			r := findRule(opts.Rules, args[0])
			if r == nil {
				return usageErrorf("unknown rule %q; valid IDs: %s", args[0], ruleIDs(opts.Rules))
			}
			return explain(opts.Stdout, r)
		},
	}
}

func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageErrorf("%s takes no arguments (got %q)", cmd.CommandPath(), args)
	}
	return nil
}

// findRule finds a rule by ID or name, ignoring case.
func findRule(rules []*analyzer.Rule, key string) *analyzer.Rule {
	for _, r := range rules {
		if strings.EqualFold(r.ID, key) || strings.EqualFold(r.Name, key) {
			return r
		}
	}
	return nil
}

func ruleIDs(rules []*analyzer.Rule) string {
	if len(rules) == 0 {
		return "none (the catalogue is empty)"
	}
	ids := make([]string, 0, len(rules))
	for _, r := range rules {
		ids = append(ids, r.ID)
	}
	sort.Strings(ids)
	return strings.Join(ids, ", ")
}

// explain prints a rule's documentation for the terminal: its page
// (docs/rules/WLxxx.md) from the same source.
func explain(w io.Writer, r *analyzer.Rule) error {
	if err := ruledocs.Text(w, r); err != nil {
		return fmt.Errorf("writing the rule documentation: %w", err)
	}
	return nil
}
