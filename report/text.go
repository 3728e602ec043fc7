package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/wrklint/wrklint/analyzer"
)

// TextOptions controls the text report.
type TextOptions struct {
	// Color turns on ANSI colors: the level in its color, the rule ID in
	// bold. The caller decides (terminal, --no-color, NO_COLOR); the writer
	// never looks at the environment.
	Color bool
	// Baselined is how many findings --baseline left out; the summary
	// says so, so that a clean-looking run does not hide known findings.
	Baselined int
}

// Text writes one line per finding not suppressed by a directive,
//
//	path:line:col: level WL101 FileWrite: message
//
// then one line per path that could not be read ("path: error"), then a
// summary such as "3 findings (2 errors, 1 warning) in 12 files". Findings
// are written in the order of res.Findings, which analyzer.Run sorts.
func Text(w io.Writer, res *analyzer.Result, opts TextOptions) error {
	p := newPalette(opts.Color)
	bw := bufio.NewWriter(w)
	for i := range res.Findings {
		f := &res.Findings[i]
		if f.Suppression != nil {
			continue
		}
		fmt.Fprintf(bw, "%s:%d:%d: %s %s %s: %s\n",
			f.File, f.Start.Line, f.Start.Column,
			p.level(f.Level), p.bold.Sprint(f.RuleID), f.Name, oneLine(f.Message))
	}
	for _, e := range res.Errors {
		fmt.Fprintf(bw, "%s: %s\n", e.Path, oneLine(errorText(e)))
	}
	fmt.Fprintln(bw, SummaryBaselined(res, opts.Baselined))
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing text report: %w", err)
	}
	return nil
}

// Summary is the last line of the text report: the number of findings by
// level, the number of files analysed and, when there are any, the number of
// findings suppressed by directives and of paths that could not be read.
func Summary(res *analyzer.Result) string {
	return SummaryBaselined(res, 0)
}

// SummaryBaselined is Summary that also says how many findings a baseline
// hid ("; 4 in the baseline"), when any did.
func SummaryBaselined(res *analyzer.Result, baselined int) string {
	var b strings.Builder
	counts := map[analyzer.Level]int{}
	active, suppressed := 0, 0
	for i := range res.Findings {
		if res.Findings[i].Suppression != nil {
			suppressed++
			continue
		}
		active++
		counts[res.Findings[i].Level]++
	}
	if active == 0 {
		b.WriteString("no findings")
	} else {
		fmt.Fprintf(&b, "%s (", plural(active, "finding", "findings"))
		sep := ""
		for _, l := range []analyzer.Level{analyzer.LevelError, analyzer.LevelWarning, analyzer.LevelNote, analyzer.LevelNone} {
			if counts[l] == 0 {
				continue
			}
			b.WriteString(sep)
			sep = ", "
			switch l {
			case analyzer.LevelError:
				b.WriteString(plural(counts[l], "error", "errors"))
			case analyzer.LevelWarning:
				b.WriteString(plural(counts[l], "warning", "warnings"))
			case analyzer.LevelNote:
				b.WriteString(plural(counts[l], "note", "notes"))
			default:
				fmt.Fprintf(&b, "%d without level", counts[l])
			}
		}
		b.WriteString(")")
	}
	fmt.Fprintf(&b, " in %s", plural(res.Files, "file", "files"))
	if suppressed > 0 {
		fmt.Fprintf(&b, "; %d suppressed", suppressed)
	}
	if baselined > 0 {
		fmt.Fprintf(&b, "; %d hidden by the baseline", baselined)
	}
	if n := len(res.Errors); n > 0 {
		fmt.Fprintf(&b, "; %s could not be read", plural(n, "path", "paths"))
	}
	return b.String()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// errorText is the message of a FileError without its path, which the
// report prints itself.
func errorText(e *analyzer.FileError) string {
	if e.Err == nil {
		return "cannot be read"
	}
	return e.Err.Error()
}

// oneLine keeps a message on its report line: a message with a newline
// would break "one finding per line" for the tools that parse it.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// palette holds color instances private to one report, switched on or off
// explicitly so that the package-global color.NoColor never matters.
type palette struct {
	err, warn, note, bold *color.Color
}

func newPalette(on bool) palette {
	p := palette{
		err:  color.New(color.FgRed, color.Bold),
		warn: color.New(color.FgYellow, color.Bold),
		note: color.New(color.FgCyan),
		bold: color.New(color.Bold),
	}
	for _, c := range []*color.Color{p.err, p.warn, p.note, p.bold} {
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
	}
	return p
}

func (p palette) level(l analyzer.Level) string {
	switch l {
	case analyzer.LevelError:
		return p.err.Sprint(l)
	case analyzer.LevelWarning:
		return p.warn.Sprint(l)
	case analyzer.LevelNote:
		return p.note.Sprint(l)
	default:
		return l.String()
	}
}
