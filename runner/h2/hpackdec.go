package h2

import (
	"errors"
	"fmt"

	"golang.org/x/net/http2/hpack"
)

// decoder is an HPACK decoder (RFC 7541) for response header blocks.
//
// It is written here instead of using golang.org/x/net/http2/hpack's
// Decoder, which this package used first, because of what a profile
// against nginx showed: nginx sends server, date, content-type and
// content-length as literals with incremental indexing on every response,
// so x/net's decoder Huffman-decodes four strings and inserts four entries
// into a table that also maintains two hash maps per entry, about a fifth
// of the client's busy CPU. This decoder keeps the dynamic table as a ring
// without maps and remembers the Huffman strings it decoded (a response's
// values repeat), so a repeated response costs no Huffman work and no
// allocation. Huffman decoding itself is x/net's; the decoder is fuzzed
// against x/net's (FuzzHPACKDecoder).
type decoder struct {
	// dynamic table: ents is a ring, newest at head-1.
	ents    []hpack.HeaderField
	head, n int
	size    uint32 // RFC 7541 §4.1 size of the entries
	maxSize uint32 // current maximum (size updates)
	allowed uint32 // the maximum the client announced
	maxStr  int    // longest string accepted

	cache *Cache
}

// Cache holds the strings connections remember: decoded Huffman strings,
// interned literals, interned request fields. One Cache is shared by the
// connections of a worker (they run on one goroutine, and their servers
// send the same values), so its bound is per worker, not per connection:
// a hostile server cannot grow it with the connection count.
type Cache struct {
	huff   map[string]string // Huffman-encoded string → decoded
	plain  map[string]string // response literals
	intern map[string]string // request names and values (the encoder keeps them)
}

// NewCache returns an empty cache; it is not safe for concurrent use.
func NewCache() *Cache {
	return &Cache{huff: map[string]string{}, plain: map[string]string{}, intern: map[string]string{}}
}

// cacheLimit bounds each of a Cache's maps (of strings up to 256 bytes
// as keys); a map is emptied when full (ever-changing values gain
// nothing from it).
const cacheLimit = 512

func newDecoder(allowed uint32, maxStr int, cache *Cache) *decoder {
	if cache == nil {
		cache = NewCache()
	}
	return &decoder{allowed: allowed, maxSize: allowed, maxStr: maxStr, cache: cache}
}

// reset empties the table for a new connection; buffers are kept.
func (d *decoder) reset() {
	clear(d.ents)
	d.head, d.n, d.size, d.maxSize = 0, 0, 0, d.allowed
}

var (
	errHPACKIndex    = errors.New("hpack: invalid index")
	errHPACKEncoding = errors.New("hpack: invalid encoding")
	errHPACKVarint   = errors.New("hpack: varint integer overflow")
	errHPACKTrunc    = errors.New("hpack: truncated header block")
	errHPACKUpdate   = errors.New("hpack: dynamic table size update not at the beginning of a header block")
	errHPACKTooLarge = errors.New("hpack: dynamic table size update too large")
	errHPACKString   = errors.New("hpack: string too long")
)

// decode decodes one whole header block, calling emit for each field.
func (d *decoder) decode(p []byte, emit func(name, value string)) error {
	first := true
	for len(p) > 0 {
		b := p[0]
		var err error
		switch {
		case b&0x80 != 0: // indexed field (§6.1)
			var idx uint64
			if idx, p, err = varint(7, p); err != nil {
				return err
			}
			hf, ok := d.at(idx)
			if !ok {
				return fmt.Errorf("%w %d", errHPACKIndex, idx)
			}
			emit(hf.Name, hf.Value)
		case b&0xc0 == 0x40: // literal with incremental indexing (§6.2.1)
			if p, err = d.literal(6, true, p, emit); err != nil {
				return err
			}
		case b&0xf0 == 0x00, b&0xf0 == 0x10: // without indexing, never indexed (§6.2.2, 6.2.3)
			if p, err = d.literal(4, false, p, emit); err != nil {
				return err
			}
		case b&0xe0 == 0x20: // dynamic table size update (§6.3)
			// As x/net's decoder: only first in a block, unless the
			// table is empty.
			if !first && d.size > 0 {
				return errHPACKUpdate
			}
			var v uint64
			if v, p, err = varint(5, p); err != nil {
				return err
			}
			if v > uint64(d.allowed) {
				return errHPACKTooLarge
			}
			d.maxSize = uint32(v)
			d.evict()
		default:
			return errHPACKEncoding
		}
		first = false
	}
	return nil
}

func (d *decoder) literal(prefix byte, index bool, p []byte, emit func(name, value string)) ([]byte, error) {
	nameIdx, p, err := varint(prefix, p)
	if err != nil {
		return nil, err
	}
	var name string
	if nameIdx > 0 {
		hf, ok := d.at(nameIdx)
		if !ok {
			return nil, fmt.Errorf("%w %d", errHPACKIndex, nameIdx)
		}
		name = hf.Name
	} else if name, p, err = d.str(p); err != nil {
		return nil, err
	}
	value, p, err := d.str(p)
	if err != nil {
		return nil, err
	}
	if index {
		d.add(name, value)
	}
	emit(name, value)
	return p, nil
}

// str reads a string literal (§5.2).
func (d *decoder) str(p []byte) (string, []byte, error) {
	if len(p) == 0 {
		return "", nil, errHPACKTrunc
	}
	huff := p[0]&0x80 != 0
	n, p, err := varint(7, p)
	if err != nil {
		return "", nil, err
	}
	if n > uint64(d.maxStr) {
		return "", nil, errHPACKString
	}
	if uint64(len(p)) < n {
		return "", nil, errHPACKTrunc
	}
	raw, p := p[:n], p[n:]
	cache := d.cache.plain
	if huff {
		cache = d.cache.huff
	}
	if s, ok := cache[string(raw)]; ok {
		return s, p, nil
	}
	if !huff {
		s := string(raw)
		remember(cache, s, s)
		return s, p, nil
	}
	s, err := hpack.HuffmanDecodeToString(raw)
	if err != nil {
		return "", nil, fmt.Errorf("hpack: %w", err)
	}
	if len(s) > d.maxStr {
		return "", nil, errHPACKString
	}
	remember(cache, string(raw), s)
	return s, p, nil
}

func remember(cache map[string]string, raw, s string) {
	if len(raw) > 256 {
		return
	}
	if len(cache) >= cacheLimit {
		clear(cache)
	}
	cache[raw] = s
}

// varint reads an integer with an n-bit prefix (§5.1).
func varint(n byte, p []byte) (uint64, []byte, error) {
	if len(p) == 0 {
		return 0, nil, errHPACKTrunc
	}
	mask := uint64(1)<<n - 1
	i := uint64(p[0]) & mask
	p = p[1:]
	if i < mask {
		return i, p, nil
	}
	for m := uint(0); ; m += 7 {
		if len(p) == 0 {
			return 0, nil, errHPACKTrunc
		}
		if m >= 63 {
			return 0, nil, errHPACKVarint
		}
		b := p[0]
		p = p[1:]
		i += uint64(b&0x7f) << m
		if b&0x80 == 0 {
			return i, p, nil
		}
	}
}

// at returns the field at index i (§2.3.3): the static table, then the
// dynamic table newest first.
func (d *decoder) at(i uint64) (hpack.HeaderField, bool) {
	switch {
	case i == 0:
		return hpack.HeaderField{}, false
	case i <= uint64(len(staticTable)):
		return staticTable[i-1], true
	case i-uint64(len(staticTable)) > uint64(d.n):
		return hpack.HeaderField{}, false
	}
	k := int(i) - len(staticTable) // 1 is the newest
	return d.ents[(d.head-k+len(d.ents))%len(d.ents)], true
}

func entrySize(name, value string) uint32 { return uint32(len(name) + len(value) + 32) }

// add inserts a field, evicting the oldest ones as the size requires
// (a field larger than the table empties it and is not kept, §4.4).
func (d *decoder) add(name, value string) {
	sz := entrySize(name, value)
	if sz > d.maxSize {
		d.n, d.size = 0, 0
		clear(d.ents)
		return
	}
	for d.size+sz > d.maxSize {
		d.evictOldest()
	}
	if d.n == len(d.ents) {
		d.grow()
	}
	d.ents[d.head] = hpack.HeaderField{Name: name, Value: value}
	d.head = (d.head + 1) % len(d.ents)
	d.n++
	d.size += sz
}

func (d *decoder) evict() {
	for d.size > d.maxSize {
		d.evictOldest()
	}
}

func (d *decoder) evictOldest() {
	oldest := (d.head - d.n + len(d.ents)) % len(d.ents)
	e := d.ents[oldest]
	d.size -= entrySize(e.Name, e.Value)
	d.ents[oldest] = hpack.HeaderField{}
	d.n--
}

// grow doubles the ring (at most maxSize/32 entries ever fit).
func (d *decoder) grow() {
	ents := make([]hpack.HeaderField, max(2*len(d.ents), 16))
	for k := 0; k < d.n; k++ { // oldest first
		ents[k] = d.ents[(d.head-d.n+k+len(d.ents))%len(d.ents)]
	}
	d.ents, d.head = ents, d.n
}

// staticTable is RFC 7541 Appendix A.
var staticTable = [...]hpack.HeaderField{
	{Name: ":authority"}, {Name: ":method", Value: "GET"}, {Name: ":method", Value: "POST"},
	{Name: ":path", Value: "/"}, {Name: ":path", Value: "/index.html"}, {Name: ":scheme", Value: "http"},
	{Name: ":scheme", Value: "https"}, {Name: ":status", Value: "200"}, {Name: ":status", Value: "204"},
	{Name: ":status", Value: "206"}, {Name: ":status", Value: "304"}, {Name: ":status", Value: "400"},
	{Name: ":status", Value: "404"}, {Name: ":status", Value: "500"}, {Name: "accept-charset"},
	{Name: "accept-encoding", Value: "gzip, deflate"}, {Name: "accept-language"}, {Name: "accept-ranges"},
	{Name: "accept"}, {Name: "access-control-allow-origin"}, {Name: "age"}, {Name: "allow"},
	{Name: "authorization"}, {Name: "cache-control"}, {Name: "content-disposition"},
	{Name: "content-encoding"}, {Name: "content-language"}, {Name: "content-length"},
	{Name: "content-location"}, {Name: "content-range"}, {Name: "content-type"}, {Name: "cookie"},
	{Name: "date"}, {Name: "etag"}, {Name: "expect"}, {Name: "expires"}, {Name: "from"}, {Name: "host"},
	{Name: "if-match"}, {Name: "if-modified-since"}, {Name: "if-none-match"}, {Name: "if-range"},
	{Name: "if-unmodified-since"}, {Name: "last-modified"}, {Name: "link"}, {Name: "location"},
	{Name: "max-forwards"}, {Name: "proxy-authenticate"}, {Name: "proxy-authorization"}, {Name: "range"},
	{Name: "referer"}, {Name: "refresh"}, {Name: "retry-after"}, {Name: "server"}, {Name: "set-cookie"},
	{Name: "strict-transport-security"}, {Name: "transfer-encoding"}, {Name: "user-agent"}, {Name: "vary"},
	{Name: "via"}, {Name: "www-authenticate"},
}
