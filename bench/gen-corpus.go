//go:build ignore

// gen-corpus writes a deterministic corpus of wrk-like Lua scripts for
// bench/lint-vs-luacheck.sh and for reading:
//
//	go run bench/gen-corpus.go -n 2000 -seed 1 -out bench/corpus
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/wrklint/wrklint/bench/luagen"
)

func main() {
	n := flag.Int("n", 2000, "number of scripts")
	seed := flag.Uint64("seed", 1, "random seed: the same seed gives the same corpus")
	out := flag.String("out", "bench/corpus", "output directory (its previous content is removed)")
	clean := flag.Bool("clean", false, "leave out everything wrklint reports")
	flag.Parse()
	if err := os.RemoveAll(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gen-corpus:", err)
		os.Exit(1)
	}
	if err := luagen.Generate(*out, luagen.Options{N: *n, Seed: *seed, Clean: *clean}); err != nil {
		fmt.Fprintln(os.Stderr, "gen-corpus:", err)
		os.Exit(1)
	}
	fmt.Printf("wrote %d scripts to %s\n", *n, *out)
}
