package redact

import (
	"io"
	"strings"
)

// maxHold bounds what a Writer holds back: a line longer than this is
// written in pieces, cut at a space or tab in the last holdTail bytes when
// there is one, keeping the rest back; a secret longer than holdTail, or a
// credential without spaces around it, split exactly there can escape.
// Script output is lines far shorter than that (stdio's line buffer on a
// terminal is smaller still).
const (
	maxHold  = 16 << 10
	holdTail = 4 << 10
)

// Writer masks secrets in text streaming to an underlying writer. It holds
// back an unterminated line (a line ends at "\n" or "\r", so progress
// lines drawn with "\r" still appear) and the start of a known value
// containing a line break, so that a secret split across writes is masked
// whole; Flush writes what is held.
//
// A Writer is not safe for concurrent use: the caller serialises writes,
// as the Lua runtime's output streams do.
type Writer struct {
	w          io.Writer
	set        *Set
	pending    []byte
	spans      []span
	redactions uint64
	err        error
}

// NewWriter returns a Writer masking set's values (nil: only
// credential-shaped strings) in what it passes to w.
func NewWriter(w io.Writer, set *Set) *Writer {
	return &Writer{w: w, set: set}
}

// Write masks and writes p, holding back as described on Writer. It always
// reports len(p) written unless the underlying writer failed before.
func (w *Writer) Write(p []byte) (int, error) {
	return w.WriteString(string(p))
}

// WriteString is Write for a string (what the Lua runtime has).
func (w *Writer) WriteString(s string) (int, error) {
	if w.err != nil {
		return 0, w.err
	}
	brk := strings.LastIndexAny(s, "\n\r")
	if brk < 0 && len(w.pending)+len(s) <= maxHold {
		// Still inside a line (io.write(".") per response): only append,
		// so that many small writes cost no more than one.
		w.pending = append(w.pending, s...)
		return len(s), nil
	}
	text := s
	if len(w.pending) > 0 {
		if brk >= 0 {
			brk += len(w.pending)
		}
		w.pending = append(w.pending, s...)
		text = string(w.pending)
	}
	cut := brk + 1
	if len(text)-cut > maxHold {
		cut = softCut(text, len(text)-holdTail)
	}
	if w.set != nil && cut > 0 {
		if p := w.set.partial(text[:cut]); p > 0 {
			cut -= p
		}
	}
	if cut > 0 {
		w.emit(text[:cut])
	}
	w.pending = append(w.pending[:0], text[cut:]...)
	return len(s), w.err
}

// softCut returns where to cut an over-long line near at: after the last
// space or tab in the holdTail bytes before it, else at.
func softCut(text string, at int) int {
	lo := max(0, at-holdTail)
	if i := strings.LastIndexAny(text[lo:at], " \t"); i >= 0 {
		return lo + i + 1
	}
	return at
}

// Flush masks and writes what the Writer holds back.
func (w *Writer) Flush() error {
	if len(w.pending) > 0 && w.err == nil {
		w.emit(string(w.pending))
	}
	w.pending = w.pending[:0]
	return w.err
}

// Redactions is the number of secrets masked so far.
func (w *Writer) Redactions() uint64 { return w.redactions }

func (w *Writer) emit(text string) {
	w.spans = findSpans(w.set, text, w.spans)
	if len(w.spans) == 0 {
		_, w.err = io.WriteString(w.w, text)
		return
	}
	var b strings.Builder
	b.Grow(len(text))
	last := 0
	for _, sp := range w.spans {
		b.WriteString(text[last:sp.start])
		b.WriteString(Mask)
		last = sp.end
	}
	b.WriteString(text[last:])
	w.redactions += uint64(len(w.spans))
	_, w.err = io.WriteString(w.w, b.String())
}
