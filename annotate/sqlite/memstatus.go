package sqlite

// SQLite keeps memory statistics (SQLITE_CONFIG_MEMSTATUS, on unless compiled otherwise,
// and go-sqlite3 does not): every sqlite3_malloc and sqlite3_free then takes one mutex
// global to the process to update them. Connections working at once on two threads (an
// import's writer beside its checkpointer, the window's reads beside a save) queue on it
// and pay a futex for each allocation. Nothing here reads those statistics
// (sqlite3_memory_used, sqlite3_status, the soft and hard heap limits), so they are
// turned off, as SQLite's documentation recommends for speed. It must happen before
// the library initialises, that is before the first connection opens: hence init; a
// call after that returns SQLITE_MISUSE and changes nothing, which is harmless.
//
// Measured on BenchmarkSearch100k (go test -c of this package with and without this
// file's init, run alternately, other processes under 0.05 core): the import with the
// search index took 6.6-7.0 s and 7.8-8.2 CPU-s against 7.1-7.6 s and 8.3-8.9 CPU-s
// (internal/benchreport/notes.md, issue 19, fifth session).

/*
extern int sqlite3_config(int, ...);
extern long long sqlite3_memory_used(void);

// SQLITE_CONFIG_MEMSTATUS is 9 in sqlite3.h; the variadic call needs C.
static int evident_memstatus_off(void) { return sqlite3_config(9, 0); }
*/
import "C"

func init() {
	C.evident_memstatus_off()
}

// sqliteMemoryUsed is SQLite's count of the memory it holds (sqlite3_memory_used): 0
// while the statistics are off. Tests check that they are.
func sqliteMemoryUsed() int64 { return int64(C.sqlite3_memory_used()) }
