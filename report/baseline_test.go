package report

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/rules"
)

func TestBaselineSARIF(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	path := filepath.Join("scripts", "b.lua")
	old := "os.execute('id')\nos.remove('x')\n"
	now := "-- refactored\nlocal n = 1\nos.execute('id')\nos.remove('x')\nos.remove('x')\nos.rename('a', 'b')\n"
	analyse := func(src string) *analyzer.Result {
		fs := analyzer.AnalyzeSource(path, []byte(src), rules.All(), nil)
		analyzer.SortFindings(fs)
		return &analyzer.Result{Findings: fs, Files: 1}
	}
	var buf bytes.Buffer
	if err := SARIF(&buf, analyse(old), SARIFOptions{Version: "t", Rules: rules.All(), SrcRoot: dir}); err != nil {
		t.Fatal(err)
	}
	b, err := ParseBaseline(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	fresh := b.Filter(analyse(now).Findings)
	// The moved os.execute and the first os.remove are known; the second,
	// identical os.remove and the os.rename are new.
	if len(fresh) != 2 || fresh[0].RuleID != "WL104" || fresh[0].Start.Line != 5 || fresh[1].Start.Line != 6 {
		t.Fatalf("new findings %v, want the os.remove on line 5 and os.rename on line 6", fresh)
	}
}

func TestBaselineErrors(t *testing.T) {
	for name, data := range map[string]string{
		"not json":       "nope",
		"other json":     `{"a": 1}`,
		"no fingerprint": `{"version": "x", "findings": [{"rule": "WL101", "file": "a.lua"}]}`,
		"sarif without":  `{"runs": [{"results": [{"ruleId": "WL101", "locations": []}]}]}`,
	} {
		if _, err := ParseBaseline([]byte(data)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := LoadBaseline(filepath.Join(t.TempDir(), "none.json")); err == nil {
		t.Error("missing baseline file: no error")
	}
}
