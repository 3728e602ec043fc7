package analyzer

import "fmt"

// Location is a second place a finding concerns (the write a read depends
// on, the line where data came from, the call that passed the data, the
// require that loaded the module), with a message saying why. Reports show
// it next to the finding: SARIF as relatedLocations, so that GitHub links
// the lines, and JSON as "related". File is empty when the place is in the
// finding's own file.
type Location struct {
	File       string
	Start, End Position
	Message    string
}

// RelatedNode is a node a finding points to, with its message; the rule
// gives nodes and the Pass turns them into positions.
type RelatedNode struct {
	Node    any // an ast.Expr or ast.Stmt
	Message string
}

// ReportRelatedf reports a finding covering node, with related locations.
func (p *Pass) ReportRelatedf(node any, related []RelatedNode, format string, args ...any) {
	start, end := p.File.nodeOffsets(node)
	fd := p.File.finding(p.Rule, start, end, fmt.Sprintf(format, args...))
	for _, r := range related {
		rs, re := p.File.nodeOffsets(r.Node)
		if re < rs {
			re = rs
		}
		fd.Related = append(fd.Related, Location{Start: p.File.position(rs), End: p.File.position(re), Message: r.Message})
	}
	p.report(fd)
}
