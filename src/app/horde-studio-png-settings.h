/* horde-studio-png-settings.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libhorde.h>

G_BEGIN_DECLS

/**
 * HORDE_STUDIO_PNG_SETTINGS_ERROR:
 *
 * The error domain of reading settings back from a PNG.
 */
#define HORDE_STUDIO_PNG_SETTINGS_ERROR (horde_studio_png_settings_error_quark ())

/**
 * HordeStudioPngSettingsError:
 * @HORDE_STUDIO_PNG_SETTINGS_ERROR_NOT_PNG: the file is not a PNG
 * @HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT: the PNG is damaged: cut short,
 *   a chunk whose checksum does not match, text that cannot be read
 * @HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE: the file, a text chunk or
 *   its inflated text is larger than the limits
 * @HORDE_STUDIO_PNG_SETTINGS_ERROR_NO_SETTINGS: the PNG carries no settings
 *   this reader knows
 * @HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID: the settings it carries do not
 *   make a valid request; the message says why
 *
 * How reading settings from a PNG failed.
 */
typedef enum {
  HORDE_STUDIO_PNG_SETTINGS_ERROR_NOT_PNG,
  HORDE_STUDIO_PNG_SETTINGS_ERROR_CORRUPT,
  HORDE_STUDIO_PNG_SETTINGS_ERROR_TOO_LARGE,
  HORDE_STUDIO_PNG_SETTINGS_ERROR_NO_SETTINGS,
  HORDE_STUDIO_PNG_SETTINGS_ERROR_INVALID,
} HordeStudioPngSettingsError;

/**
 * HORDE_STUDIO_PNG_MAX_FILE_SIZE:
 *
 * The largest file read for its settings, in bytes.
 */
#define HORDE_STUDIO_PNG_MAX_FILE_SIZE (64 * 1024 * 1024)

/**
 * HORDE_STUDIO_PNG_MAX_TEXT_SIZE:
 *
 * The largest text chunk, stored or inflated, and the largest total of the
 * texts of one file, in bytes.
 */
#define HORDE_STUDIO_PNG_MAX_TEXT_SIZE (1024 * 1024)

GQuark                          horde_studio_png_settings_error_quark       (void);

GHashTable                     *horde_studio_png_read_text_chunks           (const guint8  *data,
                                                                             gsize          length,
                                                                             GError       **error);

HordeImageGenerateAsyncRequest *horde_studio_png_settings_parse_parameters  (const char    *text,
                                                                             GError       **error);

HordeImageGenerateAsyncRequest *horde_studio_png_settings_parse_horde       (const char    *json,
                                                                             GError       **error);

HordeImageGenerateAsyncRequest *horde_studio_png_settings_read              (GBytes        *png,
                                                                             GError       **error);

void                            horde_studio_png_settings_read_file_async   (GFile               *file,
                                                                             GCancellable        *cancellable,
                                                                             GAsyncReadyCallback  callback,
                                                                             gpointer             user_data);

HordeImageGenerateAsyncRequest *horde_studio_png_settings_read_file_finish  (GAsyncResult  *result,
                                                                             GError       **error);

G_END_DECLS
