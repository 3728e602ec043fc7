package report

import (
	"bufio"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/wrklint/wrklint/analyzer"
)

// GitHubOptions controls the GitHub Actions report.
type GitHubOptions struct {
	// SrcRoot is the directory (the repository's checkout) that file paths
	// are made relative to: GitHub places an annotation only on a path
	// relative to the repository root. Paths outside it are kept as they
	// are.
	SrcRoot string
	// Baselined is how many findings --baseline left out (for the summary).
	Baselined int
}

// GitHub writes one GitHub Actions workflow command per finding not
// suppressed by a directive,
//
//	::error file=a.lua,line=3,col=5,endLine=3,endColumn=15,title=WL103 CommandExecution::message
//
// (::warning for warnings, ::notice for notes), so that the job shows each
// finding as an annotation on the file and in the pull request diff. A
// path that could not be read becomes an ::error without a location. The
// summary line ends the output as plain log text. Columns are 1-based
// UTF-16 columns, endColumn exclusive, as in SARIF.
func GitHub(w io.Writer, res *analyzer.Result, opts GitHubOptions) error {
	root := opts.SrcRoot
	if root != "" {
		if abs, err := filepath.Abs(root); err == nil {
			root = abs
		}
	}
	bw := bufio.NewWriter(w)
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Suppression != nil {
			continue
		}
		endLine, endCol := f.End.Line, f.End.ColumnUTF16
		if endLine < f.Start.Line || (endLine == f.Start.Line && endCol <= f.Start.ColumnUTF16) {
			endLine, endCol = f.Start.Line, f.Start.ColumnUTF16+1 // an empty range covers one character
		}
		fmt.Fprintf(bw, "::%s file=%s,line=%d,col=%d,endLine=%d,endColumn=%d,title=%s::%s\n",
			githubCommand(f.Level), githubProperty(githubPath(f.File, root)),
			max(f.Start.Line, 1), max(f.Start.ColumnUTF16, 1), max(endLine, 1), max(endCol, 2),
			githubProperty(f.RuleID+" "+f.Name), githubData(f.Message))
	}
	for _, e := range res.Errors {
		fmt.Fprintf(bw, "::error title=%s::%s\n", githubProperty("wrklint: unreadable path"),
			githubData(githubPath(e.Path, root)+": "+errorText(e)))
	}
	fmt.Fprintln(bw, SummaryBaselined(res, opts.Baselined))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing GitHub Actions report: %w", err)
	}
	return nil
}

// githubCommand is the workflow command for a level: GitHub has error,
// warning and notice annotations.
func githubCommand(l analyzer.Level) string {
	switch l {
	case analyzer.LevelError:
		return "error"
	case analyzer.LevelWarning:
		return "warning"
	default:
		return "notice"
	}
}

// githubPath is path relative to root, with forward slashes, when it lies
// below root.
func githubPath(path, root string) string {
	if root != "" {
		if abs, err := filepath.Abs(path); err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return filepath.ToSlash(rel)
			}
		}
	}
	return filepath.ToSlash(path)
}

// githubData escapes a command's message as the Actions toolkit does
// (escapeData in @actions/core): the runner decodes %25, %0D and %0A, so a
// message cannot end the command early or start a new one on a new line.
var githubData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace

// githubProperty escapes a property value (escapeProperty in
// @actions/core): also ':' and ',', which separate the properties from
// each other and from the message.
var githubProperty = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace
