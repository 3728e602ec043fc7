package lualib

import (
	"context"
	"testing"
)

// BenchmarkNewPureState: what wrklint pays per partial evaluation run.
func BenchmarkNewPureState(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ls := NewPureState(context.Background(), Limits{})
		ls.Close()
	}
}
