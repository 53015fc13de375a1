/* horde-studio-prompt-history.h
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "horde-studio-json-store.h"

G_BEGIN_DECLS

#define HORDE_STUDIO_TYPE_PROMPT_HISTORY (horde_studio_prompt_history_get_type ())

G_DECLARE_FINAL_TYPE (HordeStudioPromptHistory, horde_studio_prompt_history, HORDE_STUDIO, PROMPT_HISTORY, HordeStudioJsonStore)

/**
 * HordeStudioPromptHistoryEntry:
 * @prompt: the prompt
 * @negative: the negative prompt, "" for none
 * @time: when it was last sent, in seconds since the epoch
 *
 * One prompt sent, owned by its history.
 */
typedef struct {
  char *prompt;
  char *negative;
  gint64 time;
} HordeStudioPromptHistoryEntry;

HordeStudioPromptHistory            *horde_studio_prompt_history_new         (const char               *path,
                                                                              guint                     limit);
HordeStudioPromptHistory            *horde_studio_prompt_history_get_default (void);
gboolean                             horde_studio_prompt_history_load        (HordeStudioPromptHistory *self,
                                                                              GError                  **error);
gboolean                             horde_studio_prompt_history_add         (HordeStudioPromptHistory *self,
                                                                              const char               *prompt,
                                                                              const char               *negative,
                                                                              gint64                    time,
                                                                              GError                  **error);
guint                                horde_studio_prompt_history_get_n_entries (HordeStudioPromptHistory *self);
const HordeStudioPromptHistoryEntry *horde_studio_prompt_history_get_entry   (HordeStudioPromptHistory *self,
                                                                              guint                     position);
GPtrArray                           *horde_studio_prompt_history_search      (HordeStudioPromptHistory *self,
                                                                              const char               *query);

G_END_DECLS
