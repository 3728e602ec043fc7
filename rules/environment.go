package rules

import (
	"sort"
	"strconv"
	"strings"

	"github.com/wrklint/wrklint/analyzer"
)

// EnvironmentRead is WL201.
var EnvironmentRead = &analyzer.Rule{
	ID:        "WL201",
	Name:      "EnvironmentRead",
	Level:     analyzer.LevelWarning,
	CWE:       526,
	Title:     "Review environment variables read by the script",
	Precision: "very-high",
	Bad:       "local token = os.getenv(\"AWS_SECRET_ACCESS_KEY\")\n",
	Good:      "local token = os.getenv(\"BENCH_TOKEN\") -- with allow.env: [BENCH_TOKEN]\n",
	Description: "The script reads an environment variable with os.getenv that is not listed in allow.env. " +
		"Environment variables on CI runners and load generators hold credentials; a script that reads them can leak them.",
	Help: "Taking a token or a knob from the environment is normal; list the names the script is meant to read:\n\n" +
		"```yaml\nallow:\n  env: [BENCH_TOKEN, \"BENCH_*\"]\n```\n\n" +
		"A name that is not constant (`os.getenv(name)`) is always reported, since it can read anything.",
	Run: func(pass *analyzer.Pass) error {
		for _, c := range callsTo(pass, "os.getenv") {
			names, all := c.Arg(0).ConstStrings()
			if !all {
				pass.Reportf(callNode(c), "os.getenv reads an environment variable whose name is not constant")
				continue
			}
			var denied, quoted []string
			for _, n := range names {
				if !pass.Policy.AllowsEnv(n) {
					denied = append(denied, n)
				}
			}
			sort.Strings(denied)
			for _, n := range denied {
				quoted = append(quoted, strconv.Quote(n))
			}
			if len(denied) > 0 {
				pass.ReportAboutf(callNode(c), denied, "os.getenv reads the environment variable %s, which is not in allow.env", strings.Join(quoted, " or "))
			}
		}
		for _, ref := range escapingRefs(pass, "os.getenv") {
			pass.Reportf(ref.Expr, "os.getenv is passed to code wrklint cannot follow, so the variables it reads cannot be checked")
		}
		return nil
	},
}
