package postgres

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"strings"

	"github.com/jackc/pgx/v5"
)

// copyBuf holds rows of one table in PostgreSQL's binary COPY format, appended as an
// import buffers them. pgx's CopyFrom takes rows as []any and encodes every value
// through its type map: for an import of 1,000,000 spans that was 12,000,000 boxed
// values to allocate, collect and look up an encoder for, about 2 s of the client's
// CPU; here a value is a few bytes appended to one buffer per table.
//
// The format (PostgreSQL's COPY documentation, "Binary Format"): a header, then per row
// the number of fields (int16) and per field its length in bytes (int32; -1 is NULL)
// followed by the value in the type's binary form (int8: 8 bytes big-endian; text: its
// UTF-8 bytes; int4[]: see int4s), and a trailer (int16 -1).
type copyBuf struct {
	b    []byte
	rows int
}

// copyHeader is the binary COPY signature, flags (none) and header extension length (0).
const copyHeader = "PGCOPY\n\xff\r\n\x00" + "\x00\x00\x00\x00" + "\x00\x00\x00\x00"

// copyTrailer ends the rows.
const copyTrailer = "\xff\xff"

// row starts a row of n fields.
func (c *copyBuf) row(n int) {
	c.b = binary.BigEndian.AppendUint16(c.b, uint16(n))
	c.rows++
}

func (c *copyBuf) int8(v int64) {
	c.b = binary.BigEndian.AppendUint32(c.b, 8)
	c.b = binary.BigEndian.AppendUint64(c.b, uint64(v))
}

func (c *copyBuf) text(s string) {
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(len(s)))
	c.b = append(c.b, s...)
}

// textOrNull writes v, a string or nil (the JSON columns as validation leaves them).
func (c *copyBuf) textOrNull(v any) {
	s, ok := v.(string)
	if !ok {
		c.b = binary.BigEndian.AppendUint32(c.b, 0xFFFFFFFF) // -1: NULL
		return
	}
	c.text(s)
}

// int4Oid is the type oid of int4, which an array's binary form names.
const int4Oid = 23

// int4s writes an int4[] with no NULL elements: its number of dimensions, a has-nulls
// flag, the element type and, for one dimension, its length and lower bound (1); then
// each element as a field. An empty array has no dimensions.
func (c *copyBuf) int4s(vs []int32) {
	ndim := uint32(1)
	size := 20 + 8*len(vs)
	if len(vs) == 0 {
		ndim, size = 0, 12
	}
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(size))
	c.b = binary.BigEndian.AppendUint32(c.b, ndim)
	c.b = binary.BigEndian.AppendUint32(c.b, 0)
	c.b = binary.BigEndian.AppendUint32(c.b, int4Oid)
	if len(vs) == 0 {
		return
	}
	c.b = binary.BigEndian.AppendUint32(c.b, uint32(len(vs)))
	c.b = binary.BigEndian.AppendUint32(c.b, 1)
	for _, v := range vs {
		c.b = binary.BigEndian.AppendUint32(c.b, 4)
		c.b = binary.BigEndian.AppendUint32(c.b, uint32(v))
	}
}

// reset empties the buffer, keeping its memory.
func (c *copyBuf) reset() { c.b, c.rows = c.b[:0], 0 }

// copyTo copies the rows into table's cols on tx's connection and empties the buffer.
func (c *copyBuf) copyTo(ctx context.Context, tx pgx.Tx, table string, cols []string) error {
	if c.rows == 0 {
		return nil
	}
	quoted := make([]string, len(cols))
	for i, col := range cols {
		quoted[i] = pgx.Identifier{col}.Sanitize()
	}
	sql := "COPY " + pgx.Identifier{table}.Sanitize() + " (" + strings.Join(quoted, ", ") + ") FROM STDIN (FORMAT binary)"
	r := io.MultiReader(strings.NewReader(copyHeader), bytes.NewReader(c.b), strings.NewReader(copyTrailer))
	_, err := tx.Conn().PgConn().CopyFrom(ctx, r, sql)
	c.reset()
	return err
}
