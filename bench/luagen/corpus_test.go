package luagen

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/yuin/gopher-lua/parse"
)

func TestScriptsParseAndLookReal(t *testing.T) {
	const n = 400
	r := rand.New(rand.NewPCG(1, 2))
	lines := 0
	suspicious := 0
	for i := range n {
		src := Script(r, i, false)
		if _, err := parse.Parse(bytes.NewReader(src), "script.lua"); err != nil {
			t.Fatalf("script %d does not parse: %v\n%s", i, err, src)
		}
		lines += bytes.Count(src, []byte("\n"))
		for _, s := range []string{"os.execute", "emit(body)", "eyJhbGci", `_G["o"`, "io.popen"} {
			if strings.Contains(string(src), s) {
				suspicious++
				break
			}
		}
	}
	if avg := float64(lines) / n; avg < 35 || avg > 55 {
		t.Errorf("average script length %.1f lines, want about 45", avg)
	}
	if suspicious < n/20 || suspicious > n/5 {
		t.Errorf("%d of %d scripts are suspicious, want about one in ten", suspicious, n)
	}
}

func TestCleanScripts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 400 {
		src := string(Script(r, i, true))
		if _, err := parse.Parse(strings.NewReader(src), "script.lua"); err != nil {
			t.Fatalf("script %d does not parse: %v\n%s", i, err, src)
		}
		for _, s := range []string{"os.", "io.open", "io.lines", "io.popen", "_G", "emit(body)", "eyJhbGci"} {
			if strings.Contains(src, s) {
				t.Fatalf("clean script %d contains %q:\n%s", i, s, src)
			}
		}
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	tests := []struct {
		name      string
		seedA     uint64
		seedB     uint64
		wantEqual bool
	}{
		{"same seed", 7, 7, true},
		{"different seed", 7, 8, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := t.TempDir(), t.TempDir()
			if err := Generate(a, Options{N: 150, Seed: tt.seedA}); err != nil {
				t.Fatal(err)
			}
			if err := Generate(b, Options{N: 150, Seed: tt.seedB}); err != nil {
				t.Fatal(err)
			}
			last := filepath.Join("001", "script_00149.lua")
			x, err := os.ReadFile(filepath.Join(a, last))
			if err != nil {
				t.Fatal(err)
			}
			y, err := os.ReadFile(filepath.Join(b, last))
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Equal(x, y) != tt.wantEqual {
				t.Errorf("files equal = %v, want %v", bytes.Equal(x, y), tt.wantEqual)
			}
		})
	}
}
