// Package h2 is wrkrun's HTTP/2 client protocol state (RFC 9113): frame
// reading and writing, HPACK, the stream table, flow control and the
// connection's settings. It does no I/O and knows nothing of the event
// loop: the runner feeds it the bytes it reads and writes the bytes it
// queues, so the same code is driven by epoll in the runner and directly by
// the unit tests.
//
// The frame reader is written here rather than taken from
// golang.org/x/net/http2's Framer because the Framer allocates a frame
// value per frame and reads from an io.Reader; the runner needs to parse
// bytes it already has without allocating. The Framer is the oracle of the
// fuzz test (FuzzFrameReader). HPACK encoding is golang.org/x/net/http2/hpack's;
// decoding is this package's (hpackdec.go says why), fuzzed against x/net's.
package h2

import (
	"encoding/binary"
	"fmt"
)

// FrameType is a frame's type octet.
type FrameType uint8

// Frame types (RFC 9113 §6).
const (
	FrameData         FrameType = 0x0
	FrameHeaders      FrameType = 0x1
	FramePriority     FrameType = 0x2
	FrameRSTStream    FrameType = 0x3
	FrameSettings     FrameType = 0x4
	FramePushPromise  FrameType = 0x5
	FramePing         FrameType = 0x6
	FrameGoAway       FrameType = 0x7
	FrameWindowUpdate FrameType = 0x8
	FrameContinuation FrameType = 0x9
)

var frameNames = [...]string{"DATA", "HEADERS", "PRIORITY", "RST_STREAM", "SETTINGS", "PUSH_PROMISE", "PING", "GOAWAY", "WINDOW_UPDATE", "CONTINUATION"}

func (t FrameType) String() string {
	if int(t) < len(frameNames) {
		return frameNames[t]
	}
	return fmt.Sprintf("UNKNOWN_FRAME_TYPE_%d", uint8(t))
}

// Flags are a frame's flag octet.
type Flags uint8

// Frame flags.
const (
	FlagEndStream  Flags = 0x1 // DATA, HEADERS
	FlagAck        Flags = 0x1 // SETTINGS, PING
	FlagEndHeaders Flags = 0x4 // HEADERS, PUSH_PROMISE, CONTINUATION
	FlagPadded     Flags = 0x8 // DATA, HEADERS, PUSH_PROMISE
	FlagPriority   Flags = 0x20
)

// Has reports whether every flag of v is set.
func (f Flags) Has(v Flags) bool { return f&v == v }

// ErrCode is an RST_STREAM or GOAWAY error code (RFC 9113 §7).
type ErrCode uint32

// Error codes.
const (
	ErrCodeNo                 ErrCode = 0x0
	ErrCodeProtocol           ErrCode = 0x1
	ErrCodeInternal           ErrCode = 0x2
	ErrCodeFlowControl        ErrCode = 0x3
	ErrCodeSettingsTimeout    ErrCode = 0x4
	ErrCodeStreamClosed       ErrCode = 0x5
	ErrCodeFrameSize          ErrCode = 0x6
	ErrCodeRefusedStream      ErrCode = 0x7
	ErrCodeCancel             ErrCode = 0x8
	ErrCodeCompression        ErrCode = 0x9
	ErrCodeConnect            ErrCode = 0xa
	ErrCodeEnhanceYourCalm    ErrCode = 0xb
	ErrCodeInadequateSecurity ErrCode = 0xc
	ErrCodeHTTP11Required     ErrCode = 0xd
)

var errCodeNames = [...]string{"NO_ERROR", "PROTOCOL_ERROR", "INTERNAL_ERROR", "FLOW_CONTROL_ERROR",
	"SETTINGS_TIMEOUT", "STREAM_CLOSED", "FRAME_SIZE_ERROR", "REFUSED_STREAM", "CANCEL",
	"COMPRESSION_ERROR", "CONNECT_ERROR", "ENHANCE_YOUR_CALM", "INADEQUATE_SECURITY", "HTTP_1_1_REQUIRED"}

func (e ErrCode) String() string {
	if int(e) < len(errCodeNames) {
		return errCodeNames[e]
	}
	return fmt.Sprintf("ERR_0x%x", uint32(e))
}

// SettingID is a SETTINGS parameter (RFC 9113 §6.5.2).
type SettingID uint16

// Settings parameters.
const (
	SettingHeaderTableSize      SettingID = 0x1
	SettingEnablePush           SettingID = 0x2
	SettingMaxConcurrentStreams SettingID = 0x3
	SettingInitialWindowSize    SettingID = 0x4
	SettingMaxFrameSize         SettingID = 0x5
	SettingMaxHeaderListSize    SettingID = 0x6
)

const (
	frameHeaderLen = 9
	// DefaultMaxFrameSize is SETTINGS_MAX_FRAME_SIZE's initial value,
	// and what wrkrun advertises: larger frames save little on a
	// benchmark and would let one frame hold a 16 MiB buffer.
	DefaultMaxFrameSize = 16384
	maxWindow           = 1<<31 - 1
)

// ConnError is a connection error (RFC 9113 §5.4.1): the connection must
// be closed with GOAWAY(Code).
type ConnError struct {
	Code   ErrCode
	Reason string
}

func (e *ConnError) Error() string {
	return fmt.Sprintf("http2: connection error %v: %s", e.Code, e.Reason)
}

// StreamError is a stream error (RFC 9113 §5.4.2) the frame reader found:
// the stream must be reset, the connection goes on.
type StreamError struct {
	StreamID uint32
	Code     ErrCode
	Reason   string
}

func (e *StreamError) Error() string {
	return fmt.Sprintf("http2: stream %d error %v: %s", e.StreamID, e.Code, e.Reason)
}

func connErr(code ErrCode, format string, args ...any) error {
	return &ConnError{Code: code, Reason: fmt.Sprintf(format, args...)}
}

// FrameHeader is the 9-octet frame header.
type FrameHeader struct {
	Length   uint32
	Type     FrameType
	Flags    Flags
	StreamID uint32 // reserved bit cleared
}

// Frame is one parsed frame. Its slices point into the reader's input or
// its own buffer and are valid until the next call to Next.
type Frame struct {
	FrameHeader
	// Data is a DATA frame's data, a HEADERS, PUSH_PROMISE or
	// CONTINUATION frame's header block fragment (padding and priority
	// removed), a GOAWAY frame's debug data, a PING frame's 8 octets, a
	// SETTINGS frame's parameters or an unknown frame's payload.
	Data []byte
	// ErrCode of RST_STREAM and GOAWAY.
	ErrCode ErrCode
	// LastStreamID of GOAWAY, PromiseID of PUSH_PROMISE, Increment of
	// WINDOW_UPDATE.
	Value uint32
}

// NumSettings is how many parameters a SETTINGS frame holds.
func (f *Frame) NumSettings() int { return len(f.Data) / 6 }

// Setting returns a SETTINGS frame's i-th parameter.
func (f *Frame) Setting(i int) (SettingID, uint32) {
	p := f.Data[i*6:]
	return SettingID(binary.BigEndian.Uint16(p)), binary.BigEndian.Uint32(p[2:])
}

// Reader splits a byte stream into frames. It copies only what a frame
// needs to be whole: a frame entirely inside the fed bytes is returned in
// place; one split across reads is assembled in a buffer of at most the
// maximum frame size, reused for the connection's lifetime.
type Reader struct {
	// MaxFrameSize is the largest payload accepted (what this endpoint
	// advertised); 0 means DefaultMaxFrameSize.
	MaxFrameSize uint32

	in      []byte
	partial []byte // an incomplete frame's bytes, header included
	// headerStream is the stream whose header block is open (HEADERS
	// or PUSH_PROMISE without END_HEADERS): only its CONTINUATION may
	// come next.
	headerStream uint32
}

// Reset forgets all state, for a new connection; buffers are kept.
func (r *Reader) Reset() {
	r.in = nil
	r.partial = r.partial[:0]
	r.headerStream = 0
}

// Feed sets the bytes the next calls to Next take frames from. The
// previous input must have been consumed (Next returned ok == false).
func (r *Reader) Feed(b []byte) { r.in = b }

// Buffered is how many bytes of an incomplete frame the reader holds.
func (r *Reader) Buffered() int { return len(r.partial) }

// Next returns the next complete frame. ok is false when the input is
// exhausted (an incomplete frame's start is kept for the next Feed). An
// error is a *ConnError or a *StreamError; after a ConnError the reader
// is unusable until Reset, after a StreamError reading continues.
func (r *Reader) Next(f *Frame) (ok bool, err error) {
	limit := r.MaxFrameSize
	if limit == 0 {
		limit = DefaultMaxFrameSize
	}
	var frame []byte
	if len(r.partial) > 0 {
		need := frameHeaderLen
		if len(r.partial) < frameHeaderLen {
			n := copy(r.partial[len(r.partial):min(cap(r.partial), frameHeaderLen)], r.in)
			r.partial = r.partial[:len(r.partial)+n]
			r.in = r.in[n:]
			if len(r.partial) < frameHeaderLen {
				return false, nil
			}
		}
		length := payloadLen(r.partial)
		if length > limit {
			return false, connErr(ErrCodeFrameSize, "frame of %d octets exceeds the maximum %d", length, limit)
		}
		need += int(length)
		if cap(r.partial) < need {
			p := make([]byte, len(r.partial), frameHeaderLen+int(limit))
			copy(p, r.partial)
			r.partial = p
		}
		n := copy(r.partial[len(r.partial):need], r.in)
		r.partial = r.partial[:len(r.partial)+n]
		r.in = r.in[n:]
		if len(r.partial) < need {
			return false, nil
		}
		frame = r.partial
		r.partial = r.partial[:0] // the bytes stay valid until the next copy
	} else {
		if len(r.in) == 0 {
			return false, nil
		}
		if len(r.in) >= frameHeaderLen {
			length := payloadLen(r.in)
			if length > limit {
				return false, connErr(ErrCodeFrameSize, "frame of %d octets exceeds the maximum %d", length, limit)
			}
			if n := frameHeaderLen + int(length); len(r.in) >= n {
				frame = r.in[:n]
				r.in = r.in[n:]
			}
		}
		if frame == nil {
			if cap(r.partial) < frameHeaderLen {
				r.partial = make([]byte, 0, frameHeaderLen+int(limit))
			}
			r.partial = append(r.partial[:0], r.in...)
			r.in = nil
			return false, nil
		}
	}
	return true, r.parse(frame, f)
}

func payloadLen(b []byte) uint32 { return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }

// parse validates one whole frame as RFC 9113 §6 requires of a receiver.
func (r *Reader) parse(b []byte, f *Frame) error {
	*f = Frame{FrameHeader: FrameHeader{
		Length:   payloadLen(b),
		Type:     FrameType(b[3]),
		Flags:    Flags(b[4]),
		StreamID: binary.BigEndian.Uint32(b[5:9]) & maxWindow,
	}}
	p := b[frameHeaderLen:]
	sid := f.StreamID
	if err := r.checkOrder(f); err != nil {
		return err
	}
	switch f.Type {
	case FrameData:
		if sid == 0 {
			return connErr(ErrCodeProtocol, "DATA frame with stream ID 0")
		}
		data, err := unpad(f.Flags, p)
		if err != nil {
			return err
		}
		f.Data = data
	case FrameHeaders:
		if sid == 0 {
			return connErr(ErrCodeProtocol, "HEADERS frame with stream ID 0")
		}
		pad := 0
		if f.Flags.Has(FlagPadded) {
			if len(p) < 1 {
				return connErr(ErrCodeFrameSize, "HEADERS frame too short for its pad length")
			}
			pad, p = int(p[0]), p[1:]
		}
		if f.Flags.Has(FlagPriority) {
			if len(p) < 5 {
				return connErr(ErrCodeFrameSize, "HEADERS frame too short for its priority")
			}
			p = p[5:]
		}
		if pad > len(p) {
			return &StreamError{StreamID: sid, Code: ErrCodeProtocol, Reason: "HEADERS padding longer than the payload"}
		}
		f.Data = p[:len(p)-pad]
	case FramePriority:
		if sid == 0 {
			return connErr(ErrCodeProtocol, "PRIORITY frame with stream ID 0")
		}
		if len(p) != 5 {
			return connErr(ErrCodeFrameSize, "PRIORITY frame of %d octets", len(p))
		}
	case FrameRSTStream:
		if len(p) != 4 {
			return connErr(ErrCodeFrameSize, "RST_STREAM frame of %d octets", len(p))
		}
		if sid == 0 {
			return connErr(ErrCodeProtocol, "RST_STREAM frame with stream ID 0")
		}
		f.ErrCode = ErrCode(binary.BigEndian.Uint32(p))
	case FrameSettings:
		if f.Flags.Has(FlagAck) && len(p) > 0 {
			return connErr(ErrCodeFrameSize, "SETTINGS ACK with a payload")
		}
		if sid != 0 {
			return connErr(ErrCodeProtocol, "SETTINGS frame on stream %d", sid)
		}
		if len(p)%6 != 0 {
			return connErr(ErrCodeFrameSize, "SETTINGS frame of %d octets", len(p))
		}
		f.Data = p
		for i := 0; i < f.NumSettings(); i++ {
			if id, v := f.Setting(i); id == SettingInitialWindowSize && v > maxWindow {
				return connErr(ErrCodeFlowControl, "SETTINGS_INITIAL_WINDOW_SIZE %d", v)
			}
		}
	case FramePushPromise:
		if sid == 0 {
			return connErr(ErrCodeProtocol, "PUSH_PROMISE frame with stream ID 0")
		}
		pad := 0
		if f.Flags.Has(FlagPadded) {
			if len(p) < 1 {
				return connErr(ErrCodeFrameSize, "PUSH_PROMISE frame too short for its pad length")
			}
			pad, p = int(p[0]), p[1:]
		}
		if len(p) < 4 {
			return connErr(ErrCodeFrameSize, "PUSH_PROMISE frame too short for its promised stream")
		}
		f.Value = binary.BigEndian.Uint32(p) & maxWindow
		p = p[4:]
		if pad > len(p) {
			return connErr(ErrCodeProtocol, "PUSH_PROMISE padding longer than the payload")
		}
		f.Data = p[:len(p)-pad]
	case FramePing:
		if len(p) != 8 {
			return connErr(ErrCodeFrameSize, "PING frame of %d octets", len(p))
		}
		if sid != 0 {
			return connErr(ErrCodeProtocol, "PING frame on stream %d", sid)
		}
		f.Data = p
	case FrameGoAway:
		if sid != 0 {
			return connErr(ErrCodeProtocol, "GOAWAY frame on stream %d", sid)
		}
		if len(p) < 8 {
			return connErr(ErrCodeFrameSize, "GOAWAY frame of %d octets", len(p))
		}
		f.Value = binary.BigEndian.Uint32(p) & maxWindow
		f.ErrCode = ErrCode(binary.BigEndian.Uint32(p[4:]))
		f.Data = p[8:]
	case FrameWindowUpdate:
		if len(p) != 4 {
			return connErr(ErrCodeFrameSize, "WINDOW_UPDATE frame of %d octets", len(p))
		}
		f.Value = binary.BigEndian.Uint32(p) & maxWindow
		if f.Value == 0 {
			if sid == 0 {
				return connErr(ErrCodeProtocol, "WINDOW_UPDATE with increment 0")
			}
			return &StreamError{StreamID: sid, Code: ErrCodeProtocol, Reason: "WINDOW_UPDATE with increment 0"}
		}
	case FrameContinuation:
		if sid == 0 {
			return connErr(ErrCodeProtocol, "CONTINUATION frame with stream ID 0")
		}
		f.Data = p
	default:
		f.Data = p // unknown types are ignored (RFC 9113 §4.1)
	}
	return nil
}

// checkOrder enforces that a header block's frames are contiguous
// (RFC 9113 §6.10): a frame that fails it is a connection error whatever
// its own validity, so the check comes first.
func (r *Reader) checkOrder(f *Frame) error {
	if r.headerStream != 0 {
		if f.Type != FrameContinuation {
			return connErr(ErrCodeProtocol, "%v on stream %d inside the header block of stream %d", f.Type, f.StreamID, r.headerStream)
		}
		if f.StreamID != r.headerStream {
			return connErr(ErrCodeProtocol, "CONTINUATION on stream %d inside the header block of stream %d", f.StreamID, r.headerStream)
		}
	} else if f.Type == FrameContinuation {
		return connErr(ErrCodeProtocol, "CONTINUATION on stream %d without a header block", f.StreamID)
	}
	switch f.Type {
	case FrameHeaders, FrameContinuation, FramePushPromise:
		if f.Flags.Has(FlagEndHeaders) {
			r.headerStream = 0
		} else {
			r.headerStream = f.StreamID
		}
	}
	return nil
}

// unpad strips a DATA frame's padding.
func unpad(fl Flags, p []byte) ([]byte, error) {
	if !fl.Has(FlagPadded) {
		return p, nil
	}
	if len(p) < 1 {
		return nil, connErr(ErrCodeFrameSize, "padded frame too short for its pad length")
	}
	pad := int(p[0])
	p = p[1:]
	if pad > len(p) {
		return nil, connErr(ErrCodeProtocol, "padding longer than the payload")
	}
	return p[:len(p)-pad], nil
}
