package h2

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"golang.org/x/net/http2"
)

// oracleFrame is what x/net's Framer says about one frame.
type oracleFrame struct {
	hdr  http2.FrameHeader
	data []byte
	val  uint32
	code uint32
}

func oracleData(f http2.Frame) oracleFrame {
	o := oracleFrame{hdr: f.Header()}
	switch f := f.(type) {
	case *http2.DataFrame:
		o.data = f.Data()
	case *http2.HeadersFrame:
		o.data = f.HeaderBlockFragment()
	case *http2.ContinuationFrame:
		o.data = f.HeaderBlockFragment()
	case *http2.PushPromiseFrame:
		o.data, o.val = f.HeaderBlockFragment(), f.PromiseID
	case *http2.RSTStreamFrame:
		o.code = uint32(f.ErrCode)
	case *http2.GoAwayFrame:
		o.data, o.val, o.code = f.DebugData(), f.LastStreamID, uint32(f.ErrCode)
	case *http2.WindowUpdateFrame:
		o.val = f.Increment
	case *http2.PingFrame:
		o.data = f.Data[:]
	case *http2.UnknownFrame:
		o.data = f.Payload()
	}
	o.data = bytes.Clone(o.data)
	return o
}

// settingsInvalid is the SETTINGS check x/net leaves to its callers
// (Framer validates only the first SETTINGS_INITIAL_WINDOW_SIZE).
func settingsInvalid(f http2.Frame) bool {
	sf, ok := f.(*http2.SettingsFrame)
	if !ok {
		return false
	}
	for i := 0; i < sf.NumSettings(); i++ {
		if s := sf.Setting(i); s.ID == http2.SettingInitialWindowSize && s.Val > maxWindow {
			return true
		}
	}
	return false
}

// checkAgainstOracle reads stream with the Reader, fed in pieces of
// chunk bytes, and with x/net's Framer, and requires the same frames up
// to the first error or PUSH_PROMISE (whose CONTINUATION rule x/net
// does not enforce), and an error at the same frame.
func checkAgainstOracle(t *testing.T, stream []byte, chunk int) {
	t.Helper()
	fr := http2.NewFramer(io.Discard, bytes.NewReader(stream))
	fr.SetMaxReadFrameSize(DefaultMaxFrameSize)
	var want []oracleFrame
	wantErr := false
	pos := 0
	for {
		f, err := fr.ReadFrame()
		if err != nil {
			// x/net's parsers also say ErrUnexpectedEOF for a short
			// field inside a whole frame: only a short stream is the end.
			rest := stream[pos:]
			truncated := len(rest) < frameHeaderLen || len(rest) < frameHeaderLen+int(payloadLen(rest))
			wantErr = !truncated || !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF)
			break
		}
		pos += frameHeaderLen + int(f.Header().Length)
		if settingsInvalid(f) {
			wantErr = true
			break
		}
		want = append(want, oracleData(f))
		if f.Header().Type == http2.FramePushPromise {
			break
		}
	}

	var r Reader
	var got []oracleFrame
	gotErr := false
	var f Frame
	rest := stream
feed:
	for len(rest) > 0 && len(got) < len(want)+1 {
		n := min(chunk, len(rest))
		r.Feed(rest[:n])
		rest = rest[n:]
		for {
			ok, err := r.Next(&f)
			if err != nil {
				gotErr = true
				break feed
			}
			if !ok {
				break
			}
			got = append(got, oracleFrame{
				hdr:  http2.FrameHeader{Type: http2.FrameType(f.Type), Flags: http2.Flags(f.Flags), Length: f.Length, StreamID: f.StreamID},
				data: bytes.Clone(f.Data), val: f.Value, code: uint32(f.ErrCode),
			})
			if f.Type == FramePushPromise {
				break feed
			}
		}
	}
	if len(got) > len(want) {
		got = got[:len(want)]
		gotErr = wantErr // the oracle stopped at a PUSH_PROMISE
	}
	if len(got) < len(want) {
		t.Fatalf("chunk %d: %d frames, oracle %d (error %v)", chunk, len(got), len(want), gotErr)
	}
	for i := range want {
		w, g := want[i], got[i]
		w.hdr = http2.FrameHeader{Type: w.hdr.Type, Flags: w.hdr.Flags, Length: w.hdr.Length, StreamID: w.hdr.StreamID}
		if g.hdr != w.hdr || g.val != w.val || g.code != w.code {
			t.Fatalf("chunk %d frame %d: got %+v, oracle %+v", chunk, i, g, w)
		}
		if w.data != nil && !bytes.Equal(g.data, w.data) {
			t.Fatalf("chunk %d frame %d (%v): data %x, oracle %x", chunk, i, w.hdr.Type, g.data, w.data)
		}
	}
	if gotErr != wantErr {
		t.Fatalf("chunk %d: error %v, oracle error %v", chunk, gotErr, wantErr)
	}
}

// seedStreams are well-formed and malformed frame sequences written with
// x/net's Framer and by hand.
func seedStreams(t testing.TB) [][]byte {
	var b bytes.Buffer
	fw := http2.NewFramer(&b, nil)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(fw.WriteSettings(http2.Setting{ID: http2.SettingMaxConcurrentStreams, Val: 100}))
	must(fw.WriteSettingsAck())
	must(fw.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: []byte{0x88}, EndHeaders: false, PadLength: 3,
		Priority: http2.PriorityParam{StreamDep: 3, Weight: 9}}))
	must(fw.WriteContinuation(1, true, []byte{0x0f, 0x10}))
	must(fw.WriteDataPadded(1, false, []byte("hello"), make([]byte, 7)))
	must(fw.WriteData(1, true, bytes.Repeat([]byte("x"), 16384)))
	must(fw.WritePing(false, [8]byte{1, 2, 3, 4, 5, 6, 7, 8}))
	must(fw.WriteWindowUpdate(0, 1000))
	must(fw.WriteWindowUpdate(3, 1))
	must(fw.WriteRSTStream(3, http2.ErrCodeRefusedStream))
	must(fw.WritePriority(5, http2.PriorityParam{Weight: 1}))
	must(fw.WriteRawFrame(0xfa, 0x3, 7, []byte("unknown")))
	must(fw.WriteGoAway(5, http2.ErrCodeEnhanceYourCalm, []byte("calm down")))
	good := bytes.Clone(b.Bytes())

	seeds := [][]byte{good}
	raw := func(length int, typ FrameType, fl Flags, sid uint32, payload ...byte) []byte {
		return append(AppendFrameHeader(nil, length, typ, fl, sid), payload...)
	}
	seeds = append(seeds,
		raw(0, FrameData, 0, 0),                                       // DATA on stream 0
		raw(3, FrameData, FlagPadded, 1, 5, 0, 0),                     // padding too long
		raw(4, FrameSettings, 0, 0, 0, 1, 0, 0),                       // not a multiple of 6
		raw(6, FrameSettings, FlagAck, 0, 0, 1, 0, 0, 0, 0),           // ACK with payload
		raw(6, FrameSettings, 0, 0, 0, 4, 0x80, 0, 0, 0),              // window too large
		raw(4, FrameWindowUpdate, 0, 1, 0, 0, 0, 0),                   // zero increment on a stream
		raw(7, FramePing, 0, 0, 1, 2, 3, 4, 5, 6, 7),                  // short PING
		raw(1, FrameHeaders, FlagEndHeaders, 1, 0x88),                 // fine
		raw(0x4000+1, FrameData, 0, 1),                                // too large
		raw(1, FrameHeaders, 0, 1, 0x88),                              // then no CONTINUATION:
		raw(1, FrameContinuation, FlagEndHeaders, 3, 0x88),            // CONTINUATION without a block
		raw(5, FramePushPromise, FlagEndHeaders, 1, 0, 0, 0, 2, 0x88), // push
	)
	seeds = append(seeds, append(raw(1, FrameHeaders, 0, 1, 0x88), raw(8, FramePing, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8)...))
	return seeds
}

func TestReaderMatchesXNetFramer(t *testing.T) {
	t.Parallel()
	for i, s := range seedStreams(t) {
		for _, chunk := range []int{1, 2, 9, 10, 100, 1 << 20} {
			t.Run("", func(t *testing.T) {
				_ = i
				checkAgainstOracle(t, s, chunk)
			})
		}
	}
}

func FuzzFrameReader(f *testing.F) {
	for _, s := range seedStreams(f) {
		f.Add(s, uint16(7))
		f.Add(s, uint16(4096))
	}
	f.Fuzz(func(t *testing.T, stream []byte, chunk uint16) {
		checkAgainstOracle(t, stream, max(int(chunk), 1))
	})
}

// TestReaderHoldsAtMostOneFrame: a hostile length cannot make the reader
// buffer more than the maximum frame size.
func TestReaderHoldsAtMostOneFrame(t *testing.T) {
	t.Parallel()
	var r Reader
	var f Frame
	r.Feed(AppendFrameHeader(nil, 1<<24-1, FrameData, 0, 1))
	if ok, err := r.Next(&f); ok || err == nil {
		t.Fatalf("oversized frame: ok %v err %v", ok, err)
	}
	r.Reset()
	// Byte by byte, a maximum-sized frame is assembled in one buffer.
	frame := append(AppendFrameHeader(nil, DefaultMaxFrameSize, FrameData, 0, 1), make([]byte, DefaultMaxFrameSize)...)
	for i := range frame {
		r.Feed(frame[i : i+1])
		ok, err := r.Next(&f)
		if err != nil {
			t.Fatal(err)
		}
		if ok != (i == len(frame)-1) {
			t.Fatalf("byte %d: ok %v", i, ok)
		}
		if r.Buffered() > frameHeaderLen+DefaultMaxFrameSize {
			t.Fatalf("buffered %d", r.Buffered())
		}
	}
	if len(f.Data) != DefaultMaxFrameSize {
		t.Fatalf("data %d", len(f.Data))
	}
}

func TestReaderAllocatesNothingInPlace(t *testing.T) {
	var b []byte
	b = AppendHeaders(b, 1, false, []byte{0x88}, DefaultMaxFrameSize)
	b = AppendData(b, 1, true, []byte("body"))
	var r Reader
	var f Frame
	allocs := testing.AllocsPerRun(100, func() {
		r.Feed(b)
		for {
			ok, err := r.Next(&f)
			if err != nil || !ok {
				break
			}
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations per run", allocs)
	}
}
