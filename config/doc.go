// Package config is the project configuration both tools read:
// .wrklint.yml, found by Find and loaded by Load (or both at once by
// Resolve). It holds the lint switches (fail-on, rules), the policy of
// what scripts may do (allow), the paths not analysed (exclude), wrkrun's
// target policy and load limits, the names of secret environment variables
// and run thresholds.
//
// It is the bottom layer: the analyzer, the runner's sandbox and both
// commands import it, and it imports none of them. docs/configuration.md
// is the user's reference for the file; docs/architecture.md places the
// package among the others.
package config
