//go:build !race

package analyzer_test

const raceFactor = 1
