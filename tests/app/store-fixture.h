/* store-fixture.h: a temporary folder for the tests of the app's JSON
 * stores, and the store's file in a folder of it that is not there yet
 * (the store makes it)
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>
#include <glib/gstdio.h>

typedef struct {
  char *dir;
  char *path;
} Fixture;

/* @template: the temporary folder's name, as g_dir_make_tmp() takes it;
 * @file_name: the store's file */
static inline void
store_fixture_set_up (Fixture    *f,
                      const char *template,
                      const char *file_name)
{
  f->dir = g_dir_make_tmp (template, NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "data", file_name, NULL);
}

static inline void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *folder = g_path_get_dirname (f->path);

  g_remove (f->path);
  g_rmdir (folder);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}
