package h2

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/http2/hpack"
)

// decodeBoth decodes blocks in order with the package's decoder and with
// x/net's, and fails at the first difference in fields or in whether a
// block is an error; after an error the tables may differ, so it stops.
func decodeBoth(t *testing.T, blocks [][]byte) {
	t.Helper()
	ours := newDecoder(headerTableSize, maxHeaderList, nil)
	theirs := hpack.NewDecoder(headerTableSize, nil)
	theirs.SetMaxStringLength(maxHeaderList)
	for i, b := range blocks {
		var got []string
		err := ours.decode(b, func(n, v string) { got = append(got, n+": "+v) })
		fields, werr := theirs.DecodeFull(b)
		var want []string
		for _, f := range fields {
			want = append(want, f.Name+": "+f.Value)
		}
		if (err != nil) != (werr != nil) {
			t.Fatalf("block %d %x: error %v, x/net %v", i, b, err, werr)
		}
		if err != nil {
			return
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("block %d %x:\n%q\nx/net:\n%q", i, b, got, want)
		}
	}
}

// hpackSeeds are realistic block sequences: x/net's encoder with table
// size changes and sensitive fields, and nginx 1.22's response block
// (four literals with incremental indexing, one per response).
func hpackSeeds(t testing.TB) [][][]byte {
	var seqs [][][]byte
	var buf bytes.Buffer
	enc := hpack.NewEncoder(&buf)
	var seq [][]byte
	for i := 0; i < 6; i++ {
		buf.Reset()
		if i == 3 {
			enc.SetMaxDynamicTableSize(100)
		}
		if i == 4 {
			enc.SetMaxDynamicTableSize(4096)
		}
		for _, f := range []hpack.HeaderField{
			{Name: ":status", Value: "200"}, {Name: "date", Value: fmt.Sprintf("Sun, 06 Dec 2026 13:00:0%d GMT", i%2)},
			{Name: "x-custom-" + strings.Repeat("n", i*10), Value: strings.Repeat("v", i*20)},
			{Name: "set-cookie", Value: "secret", Sensitive: true}, {Name: "content-length", Value: "12"},
		} {
			if err := enc.WriteField(f); err != nil {
				t.Fatal(err)
			}
		}
		seq = append(seq, bytes.Clone(buf.Bytes()))
	}
	seqs = append(seqs, seq)
	nginx, err := hex.DecodeString("887689aa6355e580ae212e1f6196dd6d5f4a01c52f948a08027140b3702cdc034a62d1bf5f87497ca58ae819aa5c023132")
	if err != nil {
		t.Fatal(err)
	}
	var many [][]byte
	for i := 0; i < 200; i++ { // enough to evict and wrap the ring
		many = append(many, nginx)
	}
	seqs = append(seqs, many,
		[][]byte{{0x3f, 0xe1, 0x1f}},                 // size update to 4096
		[][]byte{{0x3f, 0xe2, 0x1f}},                 // above the allowed size
		[][]byte{{0x88, 0x20}},                       // size update after a field, empty table
		[][]byte{{0x40, 0x01, 'a', 0x01, 'b', 0x20}}, // size update after a field, table not empty
		[][]byte{{0xbf}},                             // index 62 of an empty dynamic table
		[][]byte{{0x80}},                             // index 0
		[][]byte{{0x7f, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}}, // varint overflow
		[][]byte{{0x41, 0x83, 0xff, 0xff, 0xff}},                                     // bad Huffman
		[][]byte{{0x00, 0x03, 'a', 'b'}},                                             // truncated
	)
	return seqs
}

func TestHPACKDecoderMatchesXNet(t *testing.T) {
	t.Parallel()
	for i, seq := range hpackSeeds(t) {
		t.Run(fmt.Sprint(i), func(t *testing.T) { decodeBoth(t, seq) })
	}
}

// FuzzHPACKDecoder splits the input into blocks at each 0xff 0x00 pair
// and decodes them in order with both decoders.
func FuzzHPACKDecoder(f *testing.F) {
	for _, seq := range hpackSeeds(f) {
		f.Add(bytes.Join(seq, []byte{0xff, 0x00}))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		decodeBoth(t, bytes.Split(in, []byte{0xff, 0x00}))
	})
}

// TestHPACKDecoderRepeatsWithoutAllocating: a response block that
// repeats (nginx indexes the same four fields every time) costs no
// allocation once its strings are remembered.
func TestHPACKDecoderRepeatsWithoutAllocating(t *testing.T) {
	block, _ := hex.DecodeString("887689aa6355e580ae212e1f6196dd6d5f4a01c52f948a08027140b3702cdc034a62d1bf5f87497ca58ae819aa5c023132")
	d := newDecoder(headerTableSize, maxHeaderList, nil)
	n := 0
	emit := func(string, string) { n++ }
	for i := 0; i < 100; i++ { // fill the ring
		if err := d.decode(block, emit); err != nil {
			t.Fatal(err)
		}
	}
	allocs := testing.AllocsPerRun(100, func() {
		if err := d.decode(block, emit); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations per block", allocs)
	}
}
