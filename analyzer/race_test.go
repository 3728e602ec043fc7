//go:build race

package analyzer_test

// raceFactor scales CPU-time bounds: the race detector made the analysis
// of the hostile inputs about 20 times as costly.
const raceFactor = 10
