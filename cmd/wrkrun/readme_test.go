package main

import (
	"bytes"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// readmeFlags returns the flag names (long, and short when given) of the
// README table after the marker line: the first cell of every row.
func readmeFlags(t *testing.T, marker string) []string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(b), marker)
	if !ok {
		t.Fatalf("README.md has no %q table", marker)
	}
	var names []string
	nameRe := regexp.MustCompile("`(--?[A-Za-z][A-Za-z0-9_-]*)")
	for _, line := range strings.Split(after, "\n")[1:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(line, " | ")
		for _, m := range nameRe.FindAllStringSubmatch(cells[0], -1) {
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	return names
}

// definedFlags lists the flags of a set as -x and --name, without help.
func definedFlags(f *pflag.FlagSet) []string {
	var names []string
	f.VisitAll(func(fl *pflag.Flag) {
		if fl.Name == "help" || fl.Hidden {
			return
		}
		names = append(names, "--"+fl.Name)
		if fl.Shorthand != "" {
			names = append(names, "-"+fl.Shorthand)
		}
	})
	sort.Strings(names)
	return names
}

// TestReadmeFlagTable keeps the README's wrkrun table, the usage text
// that -h prints and the flags wrkrun parses in step.
func TestReadmeFlagTable(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	defined := definedFlags(newRootCmd(defaultOptions(env{stdout: &out, stderr: &out}), nil).Flags())
	if got := readmeFlags(t, "<!-- flags:wrkrun"); strings.Join(got, " ") != strings.Join(defined, " ") {
		t.Errorf("README.md's wrkrun flags\n%q\nwrkrun's flags\n%q", got, defined)
	}
	usage := usageText()
	for _, name := range defined {
		if !regexp.MustCompile(regexp.QuoteMeta(name) + `\b`).MatchString(usage) {
			t.Errorf("wrkrun -h does not mention %s", name)
		}
	}
}
