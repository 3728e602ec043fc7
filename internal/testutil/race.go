//go:build race

package testutil

// RaceEnabled reports a build with the race detector, which makes code
// several times slower (about 20 times for the analyzer's hostile inputs).
const RaceEnabled = true
