package rules_test

import (
	"testing"

	"github.com/wrklint/wrklint/analyzer"
	"github.com/wrklint/wrklint/config"
	"github.com/wrklint/wrklint/rules"
)

// TestSecretsConfig: WL502 decides which environment values are secrets
// from the project's secrets patterns, the defaults when it has none.
func TestSecretsConfig(t *testing.T) {
	src := "local v = os.getenv(\"FRAMEWORK\")\nlocal t = os.getenv(\"BENCH_TOKEN_FILE\")\nprint(v)\nprint(t)\n"
	tests := []struct {
		name    string
		secrets *config.Secrets
		want    int
	}{
		{"defaults: a label and a file name are not secrets", nil, 0},
		{"FRAMEWORK named secret", &config.Secrets{Env: []string{"FRAMEWORK"}}, 1},
		{"every name secret, no exceptions", &config.Secrets{Env: []string{"*"}}, 2},
		{"every name secret but files", &config.Secrets{Env: []string{"*"}, NotEnv: []string{"*_FILE"}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := analyzer.Options{Rules: []*analyzer.Rule{rules.SecretOutput}, Secrets: tt.secrets}
			got := 0
			for _, f := range analyzer.Analyze("s.lua", []byte(src), &opts) {
				if f.RuleID == "WL502" {
					got++
				}
			}
			if got != tt.want {
				t.Errorf("%d WL502 findings, want %d", got, tt.want)
			}
		})
	}
}
