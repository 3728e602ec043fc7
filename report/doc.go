// Package report renders an analyzer.Result for people and for machines.
//
// Every writer takes an io.Writer and never touches process-wide state: the
// caller decides where the report goes and whether it is colored.
//
// # Positions
//
// Text and JSON reports give 1-based line and column numbers. Columns count
// bytes (UTF-8), as compilers and editors that jump to "file:line:col"
// expect; end_column is exclusive, the column just after the flagged text.
// SARIF, which GitHub reads in UTF-16 code units, converts separately.
package report
