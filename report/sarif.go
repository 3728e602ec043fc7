package report

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"github.com/wrklint/wrklint/analyzer"
)

// The SARIF types below are the subset of SARIF 2.1.0 that wrklint emits.
// We keep our own small structs, as gosec and golangci-lint do, rather than
// github.com/owenrumney/go-sarif: its v3 emits "index": -1 sentinels
// (SARIF2004 warnings) and panics on fingerprints of a fresh result, and
// with plain structs the field order, the empty-versus-absent distinctions
// GitHub cares about, and the golden files are under our control.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	Invocations        []sarifInvocation           `json:"invocations"`
	AutomationDetails  sarifAutomationDetails      `json:"automationDetails"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []sarifResult               `json:"results"`
	Properties         map[string]json.RawMessage  `json:"properties,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifHelp struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown"`
}

type sarifRule struct {
	ID                   string             `json:"id"`
	Name                 string             `json:"name"`
	ShortDescription     sarifText          `json:"shortDescription"`
	FullDescription      sarifText          `json:"fullDescription"`
	Help                 sarifHelp          `json:"help"`
	HelpURI              string             `json:"helpUri"`
	DefaultConfiguration sarifConfiguration `json:"defaultConfiguration"`
	Properties           sarifRuleProps     `json:"properties"`
}

type sarifConfiguration struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision,omitempty"`
	SecuritySeverity string   `json:"security-severity,omitempty"`
	ProblemSeverity  string   `json:"problem.severity,omitempty"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifAutomationDetails struct {
	ID string `json:"id"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions"`
}

type sarifLocation struct {
	// ID and Message are set on related locations only: SARIF numbers
	// them (ids from 1) so that a message can link to one.
	ID               int                   `json:"id,omitempty"`
	PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	Message          *sarifText            `json:"message,omitempty"`
}

type sarifPhysicalLocation struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           *sarifRegion     `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification"`
}

// SARIFOptions configures the SARIF report.
type SARIFOptions struct {
	// Version is wrklint's version, for tool.driver.version.
	Version string
	// Rules is the whole catalogue: SARIF lists every rule, not only those
	// that reported.
	Rules []*analyzer.Rule
	// SrcRoot is the absolute directory file paths are made relative to
	// (%SRCROOT%, usually the working directory).
	SrcRoot string
	// AutomationID is runAutomationDetails.id, "category/run"; GitHub
	// keeps results with different categories apart.
	AutomationID string
}

// InformationURI is where users learn about wrklint.
const InformationURI = "https://github.com/wrklint/wrklint"

// SecuritySeverity is GitHub's security-severity of a rule: the rule's
// own value, or one derived from its level (error 8.0, warning 5.5, note 2.0).
func SecuritySeverity(r *analyzer.Rule) string {
	if r.SecuritySeverity != "" {
		return r.SecuritySeverity
	}
	switch r.Level {
	case analyzer.LevelError:
		return "8.0"
	case analyzer.LevelWarning:
		return "5.5"
	default:
		return "2.0"
	}
}

func sarifLevel(l analyzer.Level) string {
	switch l {
	case analyzer.LevelError:
		return "error"
	case analyzer.LevelWarning:
		return "warning"
	case analyzer.LevelNote:
		return "note"
	}
	return "none"
}

// SARIF writes res as a SARIF 2.1.0 log with one run, as GitHub code
// scanning accepts it. Suppressed findings are kept, with their
// suppression, so that GitHub closes rather than loses them. Unreadable
// paths become tool execution notifications.
func SARIF(w io.Writer, res *analyzer.Result, opts SARIFOptions) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "wrklint",
			Version:        opts.Version,
			InformationURI: InformationURI,
			Rules:          []sarifRule{},
		}},
		AutomationDetails: sarifAutomationDetails{ID: opts.AutomationID},
		ColumnKind:        "utf16CodeUnits",
		Results:           []sarifResult{},
	}
	if run.AutomationDetails.ID == "" {
		run.AutomationDetails.ID = "wrklint/"
	}
	if opts.SrcRoot != "" {
		if abs, err := filepath.Abs(opts.SrcRoot); err == nil {
			opts.SrcRoot = abs
		}
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{"%SRCROOT%": {URI: fileURI(opts.SrcRoot, true)}}
	}
	index := map[string]int{}
	for i, r := range opts.Rules {
		index[r.ID] = i
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(r))
	}
	prints := Fingerprints(res.Findings)
	for i := range res.Findings {
		f := &res.Findings[i]
		ri, ok := index[f.RuleID]
		if !ok {
			return fmt.Errorf("writing SARIF: finding of rule %s, which is not in the catalogue", f.RuleID)
		}
		r := sarifResult{
			RuleID:              f.RuleID,
			RuleIndex:           ri,
			Level:               sarifLevel(f.Level),
			Message:             sarifText{Text: f.Message},
			Locations:           []sarifLocation{{PhysicalLocation: physicalLocation(f, opts.SrcRoot)}},
			PartialFingerprints: map[string]string{"primaryLocationLineHash": prints[i]},
			Suppressions:        []sarifSuppression{},
		}
		if f.Suppression != nil {
			r.Suppressions = append(r.Suppressions, sarifSuppression{Kind: f.Suppression.Kind, Justification: f.Suppression.Justification})
		}
		for j, rel := range f.Related {
			file := f.File
			if rel.File != "" {
				file = rel.File // a call in another file of the program
			}
			r.RelatedLocations = append(r.RelatedLocations, sarifLocation{
				ID:               j + 1,
				PhysicalLocation: regionLocation(file, rel.Start, rel.End, opts.SrcRoot),
				Message:          &sarifText{Text: rel.Message},
			})
		}
		if len(f.Related) > 0 {
			r.Message.Text = linkRelated(f)
		}
		run.Results = append(run.Results, r)
	}
	inv := sarifInvocation{ExecutionSuccessful: len(res.Errors) == 0, ToolExecutionNotifications: []sarifNotification{}}
	for _, e := range res.Errors {
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:   "error",
			Message: sarifText{Text: e.Path + ": " + errorText(e)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: artifactLocation(e.Path, opts.SrcRoot),
			}}},
		})
	}
	run.Invocations = []sarifInvocation{inv}
	log := sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("writing SARIF report: %w", err)
	}
	return nil
}

// linkRelated is the message of a finding with related locations, ending
// with SARIF embedded links to them ("[line 7](1)"): GitHub shows related
// locations through such links. Brackets of the message itself are
// escaped, as SARIF requires once a message has links.
func linkRelated(f *analyzer.Finding) string {
	var b strings.Builder
	b.WriteString(strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`).Replace(f.Message))
	b.WriteString(" (see ")
	for j, rel := range f.Related {
		if j > 0 {
			b.WriteString(", ")
		}
		if rel.File != "" {
			fmt.Fprintf(&b, "[%s line %d](%d)", path.Base(filepath.ToSlash(rel.File)), rel.Start.Line, j+1)
			continue
		}
		fmt.Fprintf(&b, "[line %d](%d)", rel.Start.Line, j+1)
	}
	b.WriteString(")")
	return b.String()
}

func sarifRuleOf(r *analyzer.Rule) sarifRule {
	props := sarifRuleProps{Precision: r.Precision, ProblemSeverity: sarifLevel(r.Level)}
	if r.CWE > 0 {
		props.Tags = []string{"security", fmt.Sprintf("external/cwe/cwe-%d", r.CWE)}
		props.SecuritySeverity = SecuritySeverity(r)
	} else {
		// The engine's own rules (directives) are about the code base, not
		// a vulnerability: no security tag, so GitHub files them apart.
		props.Tags = []string{"maintainability"}
		if strings.HasPrefix(r.ID, "WL8") {
			// The wrk-correctness family: bugs in what the benchmark
			// measures, not in the code's upkeep.
			props.Tags = []string{"correctness"}
		}
		if r.ID == "WL001" {
			props.Tags = []string{"security"}
			props.SecuritySeverity = SecuritySeverity(r)
		}
	}
	return sarifRule{
		ID:                   r.ID,
		Name:                 r.Name,
		ShortDescription:     sarifText{Text: r.Title},
		FullDescription:      sarifText{Text: r.Description},
		Help:                 sarifHelp{Text: r.Description + "\n\n" + plainHelp(r.Help), Markdown: "**" + r.Title + "**\n\n" + r.Description + "\n\n" + r.Help},
		HelpURI:              InformationURI + "/blob/main/docs/rules.md#" + strings.ToLower(r.ID),
		DefaultConfiguration: sarifConfiguration{Level: sarifLevel(r.Level)},
		Properties:           props,
	}
}

// plainHelp strips the Markdown that reads badly as plain text.
func plainHelp(md string) string {
	md = strings.ReplaceAll(md, "```yaml\n", "")
	md = strings.ReplaceAll(md, "```lua\n", "")
	md = strings.ReplaceAll(md, "```", "")
	return strings.ReplaceAll(md, "`", "")
}

func physicalLocation(f *analyzer.Finding, root string) sarifPhysicalLocation {
	return regionLocation(f.File, f.Start, f.End, root)
}

// regionLocation is the location of [start, end) in file.
func regionLocation(file string, start, end analyzer.Position, root string) sarifPhysicalLocation {
	endLine, endCol := end.Line, end.ColumnUTF16
	if endLine < start.Line || (endLine == start.Line && endCol <= start.ColumnUTF16) {
		// An empty range: cover one character so viewers can show it.
		endLine, endCol = start.Line, start.ColumnUTF16+1
	}
	return sarifPhysicalLocation{
		ArtifactLocation: artifactLocation(file, root),
		Region: &sarifRegion{
			StartLine:   max(start.Line, 1),
			StartColumn: max(start.ColumnUTF16, 1),
			EndLine:     max(endLine, 1),
			EndColumn:   max(endCol, 2),
		},
	}
}

// artifactLocation makes path relative to root (%SRCROOT%) when it lies
// below it, as GitHub requires; other paths get an absolute file URI.
func artifactLocation(path, root string) sarifArtifactLoc {
	if root != "" {
		abs, err := filepath.Abs(path)
		if err == nil {
			if rel, err := filepath.Rel(root, abs); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				return sarifArtifactLoc{URI: relURI(rel), URIBaseID: "%SRCROOT%"}
			}
			return sarifArtifactLoc{URI: fileURI(abs, false)}
		}
	}
	return sarifArtifactLoc{URI: relURI(path)}
}

func relURI(p string) string {
	parts := strings.Split(filepath.ToSlash(p), "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}

func fileURI(abs string, dir bool) string {
	u := "file://" + relURI(abs)
	if dir && !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}
