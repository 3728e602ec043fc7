// Package packaging holds no code: its tests check the repository's
// packaging files (the root Dockerfile, action.yml, .goreleaser.yaml)
// with what can be checked without Docker, GitHub or a release: their
// structure, and their shell commands run locally.
package packaging
