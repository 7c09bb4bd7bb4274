package export

import (
	"strconv"
	"unicode/utf8"

	"evident/annotate"
)

// Encoder writes records in one format. Close writes whatever the format needs at the
// end and flushes; it does not close the underlying writer.
type Encoder interface {
	Encode(r *Record) error
	Close() error
}

// Config is what every encoder needs besides its writer.
type Config struct {
	Schema  *annotate.Schema
	Offsets Unit // "" = code points
	Tokens  bool // jsonl: add the token list
	// Raw writes csv and casualties cells as they are; by default a cell a spreadsheet
	// would run as a formula gets a leading apostrophe (see Neutralise).
	Raw bool

	incidents *incidentIndex // casualties: incident and adjudication per figure; nil = none
}

const hex = "0123456789abcdef"

// appendJSONString appends s as a JSON string, escaping as encoding/json does without
// HTML escaping: quotes, backslashes, control characters, U+2028/U+2029; invalid UTF-8
// becomes U+FFFD. Hand-written because it runs for every span of every document.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func appendKey(b []byte, comma bool, key string) []byte {
	if comma {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, key...)
	return append(b, '"', ':')
}

func appendInt(b []byte, n int) []byte { return strconv.AppendInt(b, int64(n), 10) }
