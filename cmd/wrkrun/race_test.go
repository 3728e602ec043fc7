//go:build race

package main

// raceEnabled: the race detector multiplies memory use, so peak-RSS bounds
// are not checked under it.
const raceEnabled = true
