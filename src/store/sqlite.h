/* sqlite.h - what the SQLite backend (sqlite.c, behind backend.h) lends
 * to tests: the engine handle of a connection, to read its pragmas. */
#ifndef GCA_STORE_SQLITE_H
#define GCA_STORE_SQLITE_H

#include <sqlite3.h>

#include "store/backend.h"

/* Borrowed: valid until the connection is closed. */
sqlite3 *gca__sqlite_handle(gca__conn *c);

#endif
