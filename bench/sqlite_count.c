// LD_PRELOAD shim for bench/statements_per_write.sh: counts the SQL statements a process runs
// through SQLite (each prepared statement run ends in sqlite3_reset; BEGIN, COMMIT and scripts go
// through sqlite3_exec) and new preparations, and writes the totals to $SQLITE_COUNT_OUT at exit.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct sqlite3 sqlite3;
typedef struct sqlite3_stmt sqlite3_stmt;

static atomic_long resets, execs, prepares;

int sqlite3_reset(sqlite3_stmt* stmt) {
  static int (*real)(sqlite3_stmt*);
  if (!real) real = (int (*)(sqlite3_stmt*))dlsym(RTLD_NEXT, "sqlite3_reset");
  atomic_fetch_add(&resets, 1);
  return real(stmt);
}

int sqlite3_exec(sqlite3* db, const char* sql, int (*cb)(void*, int, char**, char**), void* arg,
                 char** err) {
  static int (*real)(sqlite3*, const char*, int (*)(void*, int, char**, char**), void*, char**);
  if (!real) real = dlsym(RTLD_NEXT, "sqlite3_exec");
  atomic_fetch_add(&execs, 1);
  return real(db, sql, cb, arg, err);
}

int sqlite3_prepare_v3(sqlite3* db, const char* sql, int bytes, unsigned flags, sqlite3_stmt** stmt,
                       const char** tail) {
  static int (*real)(sqlite3*, const char*, int, unsigned, sqlite3_stmt**, const char**);
  if (!real) real = dlsym(RTLD_NEXT, "sqlite3_prepare_v3");
  atomic_fetch_add(&prepares, 1);
  return real(db, sql, bytes, flags, stmt, tail);
}

__attribute__((destructor)) static void report(void) {
  const char* path = getenv("SQLITE_COUNT_OUT");
  FILE* out = path ? fopen(path, "w") : NULL;
  if (!out) return;
  fprintf(out, "%ld %ld %ld\n", (long)resets, (long)execs, (long)prepares);
  fclose(out);
}
