package analyzer

// Rule is one check: its documentation and the function that runs it.
// Rules are declared as values in package rules and listed by rules.All.
type Rule struct {
	// ID is stable and never reused: "WL" and three digits.
	ID string
	// Name is the PascalCase name used in output and SARIF ("FileWrite").
	Name string
	// Level is the default level; configuration may change it.
	Level Level
	// CWE is the CWE number, or 0 when the rule has none.
	CWE int
	// Title is a one-line capitalised summary without a trailing period; it
	// becomes SARIF's shortDescription.
	Title string
	// Description is the full plain-text description.
	Description string
	// Help is the documentation in Markdown: what the rule reports, why it
	// matters, and how to fix or suppress a finding.
	Help string
	// Bad is a short script the rule reports, and Good the same intent
	// written so that it does not; the rule reference shows both and a test
	// checks that they stay true.
	Bad, Good string
	// SecuritySeverity overrides the SARIF security-severity derived from
	// Level when non-empty (for the rules that are critical).
	SecuritySeverity string
	// Precision is SARIF's precision property: very-high, high, medium, low.
	Precision string
	// Run reports the rule's findings for one file. It must not keep the
	// Pass after returning. A nil Run means the engine itself reports the
	// rule (WL001, WL002, WL003).
	Run func(*Pass) error
}
