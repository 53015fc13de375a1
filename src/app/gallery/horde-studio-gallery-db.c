/* horde-studio-gallery-db.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "horde-studio-gallery-db-private.h"

/*
 * The gallery index: one SQLite file in WAL mode, its schema versioned by
 * `PRAGMA user_version`. migrations[n] brings a database from version n to
 * version n + 1; a database newer than this code is refused, not guessed at.
 *
 * images holds one row per saved image. `file` and `thumbnail` are file
 * names inside the gallery's images/ and thumbnails/ folders; `search` is
 * the case-folded prompt and model that the filter looks in; `deleted`
 * marks rows waiting for purge (undo is still possible). Rows are shown
 * newest first by id, which AUTOINCREMENT never reuses.
 */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE images ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  file TEXT NOT NULL,"
  "  thumbnail TEXT NOT NULL,"
  "  prompt TEXT NOT NULL,"
  "  negative_prompt TEXT,"
  "  model TEXT,"
  "  seed TEXT,"
  "  width INTEGER NOT NULL,"
  "  height INTEGER NOT NULL,"
  "  steps INTEGER NOT NULL,"
  "  sampler TEXT,"
  "  cfg_scale REAL NOT NULL,"
  "  worker_id TEXT,"
  "  worker_name TEXT,"
  "  kudos REAL NOT NULL,"
  "  job_id TEXT,"
  "  created INTEGER NOT NULL,"
  "  favourite INTEGER NOT NULL DEFAULT 0,"
  "  request_json TEXT NOT NULL,"
  "  generation_json TEXT,"
  "  search TEXT NOT NULL,"
  "  deleted INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX images_by_file ON images (file);"
  "CREATE INDEX images_deleted ON images (deleted) WHERE deleted != 0;"
  "CREATE TABLE pending_jobs ("
  "  job_id TEXT PRIMARY KEY,"
  "  request_json TEXT NOT NULL,"
  "  created INTEGER NOT NULL"
  ");",
  /* 1 → 2: the lineage of an image made from another by an alchemy form
   * (an upscaler, a face fixer, background removal). Columns rather than
   * members of request_json: request_json stays the generation request it
   * always was (a dropped file has none), and "made from" can be looked
   * up. parent_id is the gallery id of the source image, or NULL;
   * parent_name the file name of a source that was not in the gallery;
   * form the alchemy form that made the image. */
  "ALTER TABLE images ADD COLUMN parent_id INTEGER;"
  "ALTER TABLE images ADD COLUMN parent_name TEXT;"
  "ALTER TABLE images ADD COLUMN form TEXT;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == HORDE_STUDIO_GALLERY_DB_VERSION);

/*
 * Sets @error from the last failure on @db and returns %FALSE, so that a
 * caller can `return horde_studio_gallery_db_error (db, error);`.
 */
gboolean
horde_studio_gallery_db_error (sqlite3  *db,
                               GError  **error)
{
  int code = sqlite3_errcode (db);

  g_set_error (error, G_IO_ERROR,
               code == SQLITE_FULL ? G_IO_ERROR_NO_SPACE :
               code == SQLITE_BUSY ? G_IO_ERROR_BUSY :
               code == SQLITE_READONLY ? G_IO_ERROR_READ_ONLY : G_IO_ERROR_FAILED,
               _("Gallery index: %s"), sqlite3_errmsg (db));
  return FALSE;
}

static sqlite3_stmt *
prepare_valist (sqlite3     *db,
                GError     **error,
                const char  *sql,
                const char  *types,
                va_list      args)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc = SQLITE_OK;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      horde_studio_gallery_db_error (db, error);
      return NULL;
    }

  for (int i = 0; types[i] != '\0' && rc == SQLITE_OK; i++)
    {
      switch (types[i])
        {
        case 'i':
          rc = sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
          break;
        case 'b':
          rc = sqlite3_bind_int (stmt, i + 1, va_arg (args, int));
          break;
        case 'd':
          rc = sqlite3_bind_double (stmt, i + 1, va_arg (args, double));
          break;
        case 's':
          rc = sqlite3_bind_text (stmt, i + 1, va_arg (args, const char *), -1, SQLITE_TRANSIENT);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  if (rc != SQLITE_OK)
    {
      horde_studio_gallery_db_error (db, error);
      return NULL;
    }

  return g_steal_pointer (&stmt);
}

/*
 * Prepares @sql and binds its parameters ?1, ?2… from the arguments, one
 * per character of @types: `i` a #gint64, `b` an int (or #gboolean), `d`
 * a double, `s` a string (%NULL binds SQL NULL).
 */
sqlite3_stmt *
horde_studio_gallery_db_prepare (sqlite3     *db,
                                 GError     **error,
                                 const char  *sql,
                                 const char  *types,
                                 ...)
{
  sqlite3_stmt *stmt;
  va_list args;

  va_start (args, types);
  stmt = prepare_valist (db, error, sql, types, args);
  va_end (args);

  return stmt;
}

/*
 * Like horde_studio_gallery_db_prepare(), then runs the statement to its
 * end, ignoring any rows.
 */
gboolean
horde_studio_gallery_db_run (sqlite3     *db,
                             GError     **error,
                             const char  *sql,
                             const char  *types,
                             ...)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  va_list args;
  int rc;

  va_start (args, types);
  stmt = prepare_valist (db, error, sql, types, args);
  va_end (args);

  if (stmt == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    ;

  return rc == SQLITE_DONE || horde_studio_gallery_db_error (db, error);
}

/*
 * Runs @func inside `BEGIN IMMEDIATE … COMMIT`, rolling back if it fails.
 */
gboolean
horde_studio_gallery_db_transaction (sqlite3                   *db,
                                     HordeStudioGalleryDbFunc   func,
                                     gpointer                   data,
                                     GError                   **error)
{
  if (!horde_studio_gallery_db_run (db, error, "BEGIN IMMEDIATE", ""))
    return FALSE;

  if (func (db, data, error) && horde_studio_gallery_db_run (db, error, "COMMIT", ""))
    return TRUE;

  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

static gboolean
migrate (sqlite3   *db,
         gpointer   data,
         GError   **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int version;

  stmt = horde_studio_gallery_db_prepare (db, error, "PRAGMA user_version", "");
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return horde_studio_gallery_db_error (db, error);
  version = sqlite3_column_int (stmt, 0);

  if (version > HORDE_STUDIO_GALLERY_DB_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The gallery index was written by a newer Horde Studio "
                     "(schema version %d; this version knows up to %d)"),
                   version, HORDE_STUDIO_GALLERY_DB_VERSION);
      return FALSE;
    }

  for (; version < HORDE_STUDIO_GALLERY_DB_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      if (sqlite3_exec (db, migrations[version], NULL, NULL, NULL) != SQLITE_OK ||
          sqlite3_exec (db, bump, NULL, NULL, NULL) != SQLITE_OK)
        return horde_studio_gallery_db_error (db, error);
    }

  return TRUE;
}

static gboolean
enable_wal (sqlite3  *db,
            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *mode;

  stmt = horde_studio_gallery_db_prepare (db, error, "PRAGMA journal_mode = WAL", "");
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return horde_studio_gallery_db_error (db, error);

  mode = (const char *) sqlite3_column_text (stmt, 0);
  if (g_ascii_strcasecmp (mode, "wal") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The gallery index cannot use write-ahead logging here "
                     "(journal mode stays “%s”)"), mode);
      return FALSE;
    }

  return TRUE;
}

/*
 * Opens or creates the index at @filename for use by one thread at a time:
 * WAL journal, `synchronous=NORMAL`, a busy timeout for other processes,
 * and the schema migrated to %HORDE_STUDIO_GALLERY_DB_VERSION.
 */
sqlite3 *
horde_studio_gallery_db_open (const char  *filename,
                              GError     **error)
{
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;

  if (sqlite3_open_v2 (filename, &db, flags, NULL) != SQLITE_OK ||
      sqlite3_busy_timeout (db, 5000) != SQLITE_OK ||
      !enable_wal (db, error) ||
      !horde_studio_gallery_db_run (db, error, "PRAGMA synchronous = NORMAL", "") ||
      !horde_studio_gallery_db_transaction (db, migrate, NULL, error))
    {
      /* Only the first two leave @error unset. */
      if (error != NULL && *error == NULL)
        horde_studio_gallery_db_error (db, error);
      g_prefix_error (error, "Cannot open “%s”: ", filename);
      sqlite3_close (db);
      return NULL;
    }

  return db;
}
