//go:build race

package lualib

const raceEnabled = true
