package lsp

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxMessage bounds one JSON-RPC message: a document of the largest size
// wrklint analyses (16 MiB), JSON-escaped, fits. jsonrpc2's
// VSCodeObjectCodec accepts any 32-bit Content-Length and would buffer
// up to 4 GiB for one message, hence this codec.
const maxMessage = 64 << 20

// maxHeaderLine bounds one header line.
const maxHeaderLine = 1024

// codec reads and writes LSP's base protocol: "Content-Length: N" headers,
// an empty line, then N bytes of JSON.
type codec struct{}

func (codec) WriteObject(w io.Writer, obj any) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return fmt.Errorf("encoding a message: %w", err)
	}
	if _, err := fmt.Fprintf(w, "Content-Length: %d\r\n\r\n", len(data)); err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

func (codec) ReadObject(r *bufio.Reader, v any) error {
	length := -1
	for {
		line, err := readLine(r)
		if err != nil {
			return err
		}
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return fmt.Errorf("malformed header line %q", line)
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return fmt.Errorf("bad Content-Length %q", value)
			}
			if n > maxMessage {
				return fmt.Errorf("message of %d bytes is above the %d MiB limit", n, maxMessage>>20)
			}
			length = n
		}
	}
	if length < 0 {
		return errors.New("message without Content-Length")
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(r, body); err != nil {
		return fmt.Errorf("reading a message: %w", err)
	}
	return json.Unmarshal(body, v)
}

// readLine reads one header line ending in CRLF (or LF), without it.
func readLine(r *bufio.Reader) (string, error) {
	var b strings.Builder
	for {
		c, err := r.ReadByte()
		if err != nil {
			return "", err
		}
		if c == '\n' {
			return strings.TrimSuffix(b.String(), "\r"), nil
		}
		if b.Len() >= maxHeaderLine {
			return "", errors.New("header line too long")
		}
		b.WriteByte(c)
	}
}
