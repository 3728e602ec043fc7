package rules

import "github.com/wrklint/wrklint/analyzer"

// CommandExecution is WL103.
var CommandExecution = &analyzer.Rule{
	ID:               "WL103",
	Name:             "CommandExecution",
	Level:            analyzer.LevelError,
	CWE:              78,
	Title:            "Do not run shell commands from a load-test script",
	Precision:        "very-high",
	SecuritySeverity: "9.5",
	Bad:              "function done()\n  os.execute(\"curl -X POST http://ci/notify\")\nend\n",
	Good:             "function done(summary)\n  print(\"requests\", summary.requests)\nend\n",
	Description: "The script refers to os.execute or io.popen. A benchmark script has no reason to run commands; " +
		"one that does can exfiltrate data, change the machine or pivot from the load generator. " +
		"Every reference counts, not only calls: an alias can be called anywhere.",
	Help: "`os.execute` and `io.popen` run a shell command. wrklint reports every expression that evaluates to " +
		"them — direct calls, aliases (`local x = os.execute`), table fields (`t = {run = io.popen}`), globals, " +
		"`_G[\"os\"]`, and names built from constants such as `os[\"\\x65xecute\"]`.\n\n" +
		"Remove the command. Work that must happen before or after a benchmark belongs in the pipeline that runs wrk, not in the script.",
	Run: func(pass *analyzer.Pass) error {
		reportReferences(pass, func(p string) string {
			if p == "os.execute" || p == "io.popen" {
				return p
			}
			return ""
		}, func(expr, what string) string {
			if expr == what {
				return what + " runs a shell command"
			}
			return expr + " is " + what + ", which runs a shell command"
		})
		return nil
	},
}
