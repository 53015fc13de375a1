/* horde-studio-gallery-db-private.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* The schema version this code writes; see horde-studio-gallery-db.c. */
#define HORDE_STUDIO_GALLERY_DB_VERSION 2

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef gboolean (*HordeStudioGalleryDbFunc) (sqlite3   *db,
                                              gpointer   data,
                                              GError   **error);

sqlite3      *horde_studio_gallery_db_open    (const char    *filename,
                                               GError       **error);
gboolean      horde_studio_gallery_db_error   (sqlite3       *db,
                                               GError       **error);
sqlite3_stmt *horde_studio_gallery_db_prepare (sqlite3       *db,
                                               GError       **error,
                                               const char    *sql,
                                               const char    *types,
                                               ...);
gboolean      horde_studio_gallery_db_run     (sqlite3       *db,
                                               GError       **error,
                                               const char    *sql,
                                               const char    *types,
                                               ...);
gboolean      horde_studio_gallery_db_transaction (sqlite3                   *db,
                                                   HordeStudioGalleryDbFunc   func,
                                                   gpointer                   data,
                                                   GError                   **error);

G_END_DECLS
