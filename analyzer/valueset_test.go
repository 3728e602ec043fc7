package analyzer

import (
	"fmt"
	"testing"
)

// TestValueSetIndex: a set behaves the same below and above the size
// from which it keeps a hash index — no duplicates, membership, order of
// insertion, and constants widening to unknown after maxConstants.
func TestValueSetIndex(t *testing.T) {
	t.Parallel()
	tables := make([]*Table, 3*indexFrom)
	for i := range tables {
		tables[i] = &Table{}
	}
	tests := []struct {
		name      string
		n         int // distinct tables added, each twice
		constants int // distinct strings added after them
	}{
		{"small", 3, 0},
		{"just below the index", indexFrom - 1, 0},
		{"at the index", indexFrom, 0},
		{"far above", 3 * indexFrom, 0},
		{"constants below the index", 2, maxConstants + 3},
		{"constants above the index", 2 * indexFrom, maxConstants + 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var s ValueSet
			for round := range 2 {
				for i := range tt.n {
					if changed := s.add(Value{Kind: KTable, Table: tables[i]}); changed != (round == 0) {
						t.Fatalf("round %d: add(table %d) reported %v", round, i, changed)
					}
				}
			}
			for i := range tt.constants {
				s.add(Value{Kind: KString, Str: fmt.Sprint("c", i)})
			}
			wantLen := tt.n + min(tt.constants, maxConstants)
			if tt.constants > maxConstants {
				wantLen++ // the unknown the widening added
			}
			if got := len(s.Values()); got != wantLen {
				t.Fatalf("%d members, want %d", got, wantLen)
			}
			for i, v := range s.Values()[:tt.n] {
				if v.Table != tables[i] || !s.Has(v) {
					t.Fatalf("member %d out of order or not found", i)
				}
			}
			if s.Has(Value{Kind: KTable, Table: tables[len(tables)-1]}) && tt.n < len(tables) {
				t.Fatal("Has found a table never added")
			}
			if got := s.HasKind(KUnknown); got != (tt.constants > maxConstants) {
				t.Fatalf("HasKind(unknown) = %v after %d constants", got, tt.constants)
			}
			if tt.constants > 0 && s.add(Value{Kind: KString, Str: "c0"}) {
				t.Fatal("re-adding a constant changed the set")
			}
		})
	}
}
