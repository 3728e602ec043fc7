package main

import (
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestReadmeFlagTable keeps the README's wrklint table in step with
// `wrklint --help`: the same flags, no more, no fewer.
func TestReadmeFlagTable(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(b), "<!-- flags:wrklint")
	if !ok {
		t.Fatal("README.md has no wrklint flag table")
	}
	nameRe := regexp.MustCompile("`(--?[A-Za-z][A-Za-z_-]*)")
	var documented []string
	for _, line := range strings.Split(table, "\n")[1:] {
		if !strings.HasPrefix(line, "|") {
			break
		}
		for _, m := range nameRe.FindAllStringSubmatch(strings.Split(line, " | ")[0], -1) {
			documented = append(documented, m[1])
		}
	}
	sort.Strings(documented)

	opts, stdout, stderr := testOptions(t.TempDir(), nil, false)
	if code := execute([]string{"--help"}, opts); code != exitOK {
		t.Fatalf("--help: exit %d: %s", code, stderr.String())
	}
	_, flagsPart, _ := strings.Cut(stdout.String(), "\nFlags:\n")
	var help []string
	for _, m := range regexp.MustCompile(`(?m)^\s+(?:(-\w), )?(--[\w-]+)`).FindAllStringSubmatch(flagsPart, -1) {
		if m[2] == "--help" {
			continue
		}
		help = append(help, m[2])
		if m[1] != "" {
			help = append(help, m[1])
		}
	}
	sort.Strings(help)
	if len(help) == 0 || strings.Join(documented, " ") != strings.Join(help, " ") {
		t.Errorf("README.md's wrklint flags\n%q\nwrklint --help\n%q", documented, help)
	}
}
