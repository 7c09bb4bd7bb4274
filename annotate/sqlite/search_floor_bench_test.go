package sqlite

import (
	"context"
	"database/sql"
	"encoding/binary"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"evident/annotate/query"
)

// BenchmarkSearchIndexFloor splits the index's cost to an import (BenchmarkSearch100k)
// into its parts, on the same 100,000 documents, each alone: making the tokens
// (query.Indexer, on the import's reading goroutine); FTS5 alone taking them (the table
// and settings ensureSearch makes, a transaction per indexFlushBytes of tokens, as
// flushIndex does, and the WAL checkpointed at the end); and, for comparison, the same
// tokens inverted in Go into one row per term (a varint list of document ids) in a
// WITHOUT ROWID table, the simplest index a program could keep itself, once through a
// map and once by sorting. Each is run three times, alternating, and the fastest (least
// CPU) is reported: on a shared machine other work only ever adds. Run it with
//
//	go test -tags sqlite_fts5 -run '^$' -bench SearchIndexFloor -benchtime 1x ./annotate/sqlite/
func BenchmarkSearchIndexFloor(b *testing.B) {
	ctx := context.Background()
	docs, _ := searchBenchDocs(100_000)
	toks := make([]string, len(docs))
	open := func(b *testing.B) *sql.DB {
		db, err := sql.Open("sqlite3", "file:"+filepath.Join(b.TempDir(), "f.db")+"?_journal_mode=WAL&_synchronous=NORMAL")
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		return db
	}
	parts := []struct {
		name string
		run  func(b *testing.B)
	}{
		{"tokens", func(b *testing.B) {
			var ix query.Indexer
			for i := range docs {
				toks[i] = ix.Tokens(docs[i].Text)
			}
		}},
		{"fts5", func(b *testing.B) {
			db := open(b)
			defer db.Close()
			for _, q := range []string{ftsTable, `INSERT INTO ` + ftsName + ` (` + ftsName + `, rank) VALUES ('hashsize', 16777216)`,
				`INSERT INTO ` + ftsName + ` (` + ftsName + `, rank) VALUES ('automerge', 16)`} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
			for i := 0; i < len(toks); {
				tx, err := db.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				st, err := tx.PrepareContext(ctx, `INSERT INTO `+ftsName+` (rowid, body) VALUES (?, ?)`)
				if err != nil {
					b.Fatal(err)
				}
				for n := 0; i < len(toks) && n < indexFlushBytes; i++ {
					if _, err := st.ExecContext(ctx, int64(i+1), toks[i]); err != nil {
						b.Fatal(err)
					}
					n += len(toks[i])
				}
				st.Close()
				if err := tx.Commit(); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				b.Fatal(err)
			}
		}},
		{"go-postings", func(b *testing.B) {
			type list struct {
				last int64
				docs []byte
			}
			at := make(map[string]int32, 1<<18)
			var lists []list
			for i, t := range toks {
				id := int64(i + 1)
				for start := 0; start < len(t); {
					end := start
					for end < len(t) && t[end] != ' ' {
						end++
					}
					k, ok := at[t[start:end]]
					if !ok {
						k = int32(len(lists))
						at[t[start:end]] = k
						lists = append(lists, list{})
					}
					l := &lists[k]
					l.docs = binary.AppendUvarint(l.docs, uint64(id-l.last))
					l.last = id
					start = end + 1
				}
			}
			rows := make([]postingRow, 0, len(at))
			for w, k := range at {
				rows = append(rows, postingRow{w, lists[k].docs})
			}
			writePostings(b, open(b), rows)
		}},
		{"go-sorted", func(b *testing.B) {
			// The same rows, inverted by sorting (hash of the token, document) pairs
			// instead of looking every token up in a map: memory read in order. (An index
			// kept this way would compare the terms of equal hashes; here equal hashes
			// are taken for one term.)
			type rec struct {
				h        uint64
				doc, off uint32
			}
			recs := make([]rec, 0, 1<<23)
			for i, t := range toks {
				for start := 0; start < len(t); {
					h := uint64(14695981039346656037)
					end := start
					for ; end < len(t) && t[end] != ' '; end++ {
						h = (h ^ uint64(t[end])) * 1099511628211
					}
					recs = append(recs, rec{h, uint32(i), uint32(start)})
					start = end + 1
				}
			}
			// LSD radix sort on the hash, a byte at a time; documents stay in order.
			tmp := make([]rec, len(recs))
			for shift := 0; shift < 64; shift += 8 {
				var count [257]int
				for _, r := range recs {
					count[(r.h>>shift)&0xFF+1]++
				}
				for k := 1; k < 257; k++ {
					count[k] += count[k-1]
				}
				for _, r := range recs {
					k := (r.h >> shift) & 0xFF
					tmp[count[k]] = r
					count[k]++
				}
				recs, tmp = tmp, recs
			}
			var rows []postingRow
			for i := 0; i < len(recs); {
				j := i
				var docs []byte
				last := int64(0)
				for ; j < len(recs) && recs[j].h == recs[i].h; j++ {
					id := int64(recs[j].doc) + 1
					docs = binary.AppendUvarint(docs, uint64(id-last))
					last = id
				}
				t := toks[recs[i].doc][recs[i].off:]
				end := 0
				for end < len(t) && t[end] != ' ' {
					end++
				}
				rows = append(rows, postingRow{t[:end], docs})
				i = j
			}
			writePostings(b, open(b), rows)
		}},
	}
	best := map[string]time.Duration{}
	for round := 0; round < 3; round++ {
		for _, p := range parts {
			syncDisk()
			c0 := cpuTime()
			p.run(b)
			c := cpuTime() - c0
			if old, ok := best[p.name]; !ok || c < old {
				best[p.name] = c
			}
		}
	}
	for _, p := range parts {
		b.Run(p.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
			}
			b.ReportMetric(best[p.name].Seconds(), "cpu-s")
		})
	}
}

// postingRow is a term and the varint-coded gaps between the documents holding it.
type postingRow struct {
	term string
	docs []byte
}

// writePostings writes rows, in term order, into a WITHOUT ROWID table of db in one
// transaction, checkpoints the WAL and closes db.
func writePostings(b *testing.B, db *sql.DB, rows []postingRow) {
	ctx := context.Background()
	defer db.Close()
	slices.SortFunc(rows, func(x, y postingRow) int { return strings.Compare(x.term, y.term) })
	if _, err := db.ExecContext(ctx, `CREATE TABLE postings (term TEXT PRIMARY KEY, docs BLOB NOT NULL) WITHOUT ROWID`); err != nil {
		b.Fatal(err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO postings (term, docs) VALUES (?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, r.term, r.docs); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		b.Fatal(err)
	}
}
