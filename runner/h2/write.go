package h2

import "encoding/binary"

// ClientPreface is the connection preface a client sends first
// (RFC 9113 §3.4), followed by its SETTINGS frame.
const ClientPreface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// The Append functions write one frame each to the end of dst and return
// the extended buffer, like strconv's: the connection reuses one output
// buffer, so writing a frame allocates nothing once it has grown.

// AppendFrameHeader appends a frame header.
func AppendFrameHeader(dst []byte, length int, t FrameType, fl Flags, streamID uint32) []byte {
	return append(dst, byte(length>>16), byte(length>>8), byte(length), byte(t), byte(fl),
		byte(streamID>>24)&0x7f, byte(streamID>>16), byte(streamID>>8), byte(streamID))
}

// Setting is one SETTINGS parameter.
type Setting struct {
	ID  SettingID
	Val uint32
}

// AppendSettings appends a SETTINGS frame.
func AppendSettings(dst []byte, settings ...Setting) []byte {
	dst = AppendFrameHeader(dst, 6*len(settings), FrameSettings, 0, 0)
	for _, s := range settings {
		dst = binary.BigEndian.AppendUint16(dst, uint16(s.ID))
		dst = binary.BigEndian.AppendUint32(dst, s.Val)
	}
	return dst
}

// AppendSettingsAck appends a SETTINGS acknowledgement.
func AppendSettingsAck(dst []byte) []byte {
	return AppendFrameHeader(dst, 0, FrameSettings, FlagAck, 0)
}

// AppendPing appends a PING frame (ack: the answer to one).
func AppendPing(dst []byte, ack bool, data [8]byte) []byte {
	var fl Flags
	if ack {
		fl = FlagAck
	}
	return append(AppendFrameHeader(dst, 8, FramePing, fl, 0), data[:]...)
}

// AppendWindowUpdate appends a WINDOW_UPDATE frame; incr must be in
// 1..2^31-1.
func AppendWindowUpdate(dst []byte, streamID, incr uint32) []byte {
	return binary.BigEndian.AppendUint32(AppendFrameHeader(dst, 4, FrameWindowUpdate, 0, streamID), incr&maxWindow)
}

// AppendRSTStream appends a RST_STREAM frame.
func AppendRSTStream(dst []byte, streamID uint32, code ErrCode) []byte {
	return binary.BigEndian.AppendUint32(AppendFrameHeader(dst, 4, FrameRSTStream, 0, streamID), uint32(code))
}

// AppendGoAway appends a GOAWAY frame.
func AppendGoAway(dst []byte, lastStreamID uint32, code ErrCode, debug []byte) []byte {
	dst = AppendFrameHeader(dst, 8+len(debug), FrameGoAway, 0, 0)
	dst = binary.BigEndian.AppendUint32(dst, lastStreamID&maxWindow)
	dst = binary.BigEndian.AppendUint32(dst, uint32(code))
	return append(dst, debug...)
}

// AppendHeaders appends a header block as one HEADERS frame and as many
// CONTINUATION frames as maxFrame requires.
func AppendHeaders(dst []byte, streamID uint32, endStream bool, block []byte, maxFrame int) []byte {
	var fl Flags
	if endStream {
		fl = FlagEndStream
	}
	t := FrameHeaders
	for {
		n := min(len(block), maxFrame)
		f := fl
		if n == len(block) {
			f |= FlagEndHeaders
		}
		dst = append(AppendFrameHeader(dst, n, t, f, streamID), block[:n]...)
		block = block[n:]
		if len(block) == 0 {
			return dst
		}
		t, fl = FrameContinuation, 0
	}
}

// AppendData appends one DATA frame; len(data) must not exceed the peer's
// maximum frame size.
func AppendData(dst []byte, streamID uint32, endStream bool, data []byte) []byte {
	var fl Flags
	if endStream {
		fl = FlagEndStream
	}
	return append(AppendFrameHeader(dst, len(data), FrameData, fl, streamID), data...)
}
