/* horde-studio-text-history.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "horde-studio-json-store.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_TEXT_HISTORY (horde_studio_text_history_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioTextHistory, horde_studio_text_history, HORDE_STUDIO, TEXT_HISTORY, HordeStudioJsonStore)

/**
 * HordeStudioTextHistoryEntry:
 * @story: the end of the prompt sent (the story so far), at most
 *   %HORDE_STUDIO_TEXT_HISTORY_MAX_STORY characters
 * @model: the model asked for, "" for any
 * @softprompt: the soft prompt, "" for none
 * @max_length: the length asked for, in tokens
 * @max_context_length: the context allowed, in tokens
 * @temperature: the temperature, or a negative number when the worker's
 *   own was used (as for @top_p, @top_k and @rep_pen)
 * @top_p: top-p sampling
 * @top_k: top-k sampling
 * @rep_pen: the repetition penalty
 * @texts: (array zero-terminated=1): the generations
 * @kudos: what the request cost
 * @time: when it finished, in seconds since the epoch
 *
 * One finished text generation, owned by its history.
 */
typedef struct {
  char *story;
  char *model;
  char *softprompt;
  gint64 max_length;
  gint64 max_context_length;
  double temperature;
  double top_p;
  gint64 top_k;
  double rep_pen;
  char **texts;
  double kudos;
  gint64 time;
} HordeStudioTextHistoryEntry;

/**
 * HORDE_STUDIO_TEXT_HISTORY_MAX_STORY:
 *
 * How much of a story (in characters, from its end) an entry keeps.
 */
#define HORDE_STUDIO_TEXT_HISTORY_MAX_STORY 32768

HordeStudioTextHistoryEntry       *horde_studio_text_history_entry_new   (void);
void                               horde_studio_text_history_entry_free  (HordeStudioTextHistoryEntry *entry);

HordeStudioTextHistory            *horde_studio_text_history_new         (const char                  *path,
                                                                          guint                        limit);
HordeStudioTextHistory            *horde_studio_text_history_get_default (void);
gboolean                           horde_studio_text_history_load        (HordeStudioTextHistory      *self,
                                                                          GError                     **error);
gboolean                           horde_studio_text_history_add         (HordeStudioTextHistory      *self,
                                                                          HordeStudioTextHistoryEntry *entry,
                                                                          GError                     **error);
guint                              horde_studio_text_history_get_n_entries (HordeStudioTextHistory    *self);
const HordeStudioTextHistoryEntry *horde_studio_text_history_get_entry   (HordeStudioTextHistory      *self,
                                                                          guint                        position);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeStudioTextHistoryEntry, horde_studio_text_history_entry_free)

G_END_DECLS
