/* horde-studio-prompt-tools.c
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "horde-studio-compose.h"
#include "horde-studio-history-popover.h"
#include "horde-studio-prompt-history.h"
#include "horde-studio-prompt-tools.h"
#include "horde-studio-style-chooser.h"
#include "horde-studio-user-styles.h"
#include "horde-studio-util.h"

/* HordeStudioPromptTools: beside the prompt, the styles (the Horde's and
 * the user's own), "Save as Style…" and the prompts sent before.
 *
 * A Horde style is sent as `style`, its id, as ArtBot does: the server
 * (horde/apis/v2/stable.py apply_style) then puts the prompt into the
 * style's template ({p}, and the negative prompt into {np}), uses the
 * style's model and its parameters in place of the request's, keeping only
 * `n` and, when the style has none, width and height, and it credits the
 * style's author. Copying the style into the form instead would lose the
 * author's kudos and the style's shared key, and the form cannot say what
 * the template does with the prompt. So the pane shows the style applied,
 * what it sets, and a button that removes it.
 *
 * The user's own styles are the form's settings under a name: applying one
 * puts its settings in the form and keeps the prompt being written. */
struct _HordeStudioPromptTools
{
  GtkBox parent_instance;

  GtkButton *styles_button;
  GtkMenuButton *history_button;
  GtkWidget *history_popover;
  GtkButton *save_style_button;
  GtkListBox *style_list;
  AdwActionRow *style_row;
  GtkButton *remove_style_button;

  HordeClient *client;
  char *style_id;                 /* of the Horde style applied, or NULL */
  HordeStudioPromptHistory *history;
};

G_DEFINE_FINAL_TYPE (HordeStudioPromptTools, horde_studio_prompt_tools, GTK_TYPE_BOX)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/**
 * horde_studio_prompt_tools_set_client:
 * @self: a #HordeStudioPromptTools
 * @client: (nullable): the client the Horde's styles are asked with
 *
 * Sets the client the style chooser uses.
 */
void
horde_studio_prompt_tools_set_client (HordeStudioPromptTools *self,
                                      HordeClient            *client)
{
  g_return_if_fail (HORDE_STUDIO_IS_PROMPT_TOOLS (self));
  g_set_object (&self->client, client);
}

static HordeStudioCompose *
get_compose (HordeStudioPromptTools *self)
{
  GtkWidget *compose = gtk_widget_get_ancestor (GTK_WIDGET (self), HORDE_STUDIO_TYPE_COMPOSE);

  return compose ? HORDE_STUDIO_COMPOSE (compose) : NULL;
}

static void
show_style (HordeStudioPromptTools *self,
            const char             *id,
            const char             *title,
            const char             *subtitle)
{
  g_free (self->style_id);
  self->style_id = g_strdup (id);
  gtk_widget_set_visible (GTK_WIDGET (self->style_list), id != NULL);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->style_row), title ? title : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->style_row), subtitle ? subtitle : "");
  g_signal_emit (self, signals [CHANGED], 0);
}

/* @text valid and cut to @max characters: it comes from the server */
static char *
bounded (const char *text,
         glong       max)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);

  if (g_utf8_strlen (valid, -1) <= max)
    return g_steal_pointer (&valid);
  {
    g_autofree char *start = g_utf8_substring (valid, 0, max);
    return g_strconcat (start, "…", NULL);
  }
}

/**
 * horde_studio_prompt_tools_set_style:
 * @self: a #HordeStudioPromptTools
 * @style: (nullable): the Horde's style to apply, or %NULL for none
 *
 * Applies one of the Horde's styles to the request, or removes it.
 */
void
horde_studio_prompt_tools_set_style (HordeStudioPromptTools *self,
                                     HordeStyleStable       *style)
{
  HordeModelStyleInputParamsStable *params;
  const char * const *models;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *name = NULL;
  g_autofree char *what = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_PROMPT_TOOLS (self));

  if (style == NULL || horde_style_stable_get_id (style) == NULL)
    {
      show_style (self, NULL, NULL, NULL);
      return;
    }

  params = horde_style_stable_get_params (style);
  models = horde_style_stable_get_models (style);
  parts = g_ptr_array_new_with_free_func (g_free);
  if (models != NULL && models[0] != NULL)
    g_ptr_array_add (parts, bounded (models[0], 100));
  if (params != NULL && horde_model_style_input_params_stable_has_width (params) &&
      horde_model_style_input_params_stable_has_height (params))
    g_ptr_array_add (parts, g_strdup_printf ("%d × %d",
                                             (int) horde_model_style_input_params_stable_get_width (params),
                                             (int) horde_model_style_input_params_stable_get_height (params)));
  if (params != NULL && horde_model_style_input_params_stable_has_steps (params))
    g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d step", "%d steps",
                                                          (gulong) horde_model_style_input_params_stable_get_steps (params)),
                                             (int) horde_model_style_input_params_stable_get_steps (params)));
  if (params != NULL && horde_model_style_input_params_stable_get_sampler_name (params) != NULL)
    g_ptr_array_add (parts, bounded (horde_model_style_input_params_stable_get_sampler_name (params), 40));
  g_ptr_array_add (parts, NULL);
  what = g_strjoinv (" · ", (char **) parts->pdata);

  name = bounded (horde_style_stable_get_name (style), 100);
  /* TRANSLATORS: under the name of the style applied; %s is what the
   * style sets, "Deliberate · 768 × 512 · 25 steps" */
  subtitle = *what ? g_strdup_printf (_("The Horde puts your prompt into this style and uses its settings: %s"), what)
                   : g_strdup (_("The Horde puts your prompt into this style and uses its settings."));
  show_style (self, horde_style_stable_get_id (style), name, subtitle);
}

/**
 * horde_studio_prompt_tools_get_style_id:
 * @self: a #HordeStudioPromptTools
 *
 * Returns: (nullable): the id of the Horde style applied, or %NULL
 */
const char *
horde_studio_prompt_tools_get_style_id (HordeStudioPromptTools *self)
{
  g_return_val_if_fail (HORDE_STUDIO_IS_PROMPT_TOOLS (self), NULL);
  return self->style_id;
}

/**
 * horde_studio_prompt_tools_add_to_request:
 * @self: a #HordeStudioPromptTools
 * @request: the request being built
 *
 * Puts the Horde style applied, if any, in the request.
 */
void
horde_studio_prompt_tools_add_to_request (HordeStudioPromptTools                *self,
                                          HordeImageGenerateAsyncRequestBuilder *request)
{
  g_return_if_fail (HORDE_STUDIO_IS_PROMPT_TOOLS (self));

  if (self->style_id != NULL)
    horde_image_generate_async_request_builder_set_style (request, self->style_id);
}

/**
 * horde_studio_prompt_tools_load_request:
 * @self: a #HordeStudioPromptTools
 * @request: a request to show
 *
 * Shows the Horde style of @request, or none.
 */
void
horde_studio_prompt_tools_load_request (HordeStudioPromptTools         *self,
                                        HordeImageGenerateAsyncRequest *request)
{
  const char *style;

  g_return_if_fail (HORDE_STUDIO_IS_PROMPT_TOOLS (self));

  style = horde_image_generate_async_request_get_style (request);
  if (g_strcmp0 (style, self->style_id) == 0)
    return;
  if (style == NULL)
    show_style (self, NULL, NULL, NULL);
  else
    {
      /* only its id is known: the request has no more of it */
      g_autofree char *id = bounded (style, 100);

      show_style (self, style, id, _("The Horde puts your prompt into this style and uses its settings."));
    }
}

/**
 * horde_studio_prompt_tools_record:
 * @self: a #HordeStudioPromptTools
 * @request: a request sent
 *
 * Keeps the prompt of @request (and its negative prompt) in the history.
 */
void
horde_studio_prompt_tools_record (HordeStudioPromptTools         *self,
                                  HordeImageGenerateAsyncRequest *request)
{
  const char *prompt;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HORDE_STUDIO_IS_PROMPT_TOOLS (self));

  prompt = horde_image_generate_async_request_get_prompt (request);
  if (prompt == NULL)
    return;
  /* as the pane writes it: what follows " ### " is the negative prompt */
  parts = g_strsplit (prompt, " ### ", 2);
  if (!horde_studio_prompt_history_add (self->history, parts[0], parts[1], g_get_real_time () / G_USEC_PER_SEC, &error))
    g_warning ("Could not save the prompt history: %s", error->message);
}

static void
history_chosen (HordeStudioPromptTools *self,
                const char             *prompt,
                const char             *negative)
{
  HordeStudioCompose *compose = get_compose (self);

  if (compose != NULL)
    horde_studio_compose_set_prompt (compose, prompt, negative);
}

static void
user_style_chosen (HordeStudioPromptTools         *self,
                   const char                     *name,
                   HordeImageGenerateAsyncRequest *request)
{
  HordeStudioCompose *compose = get_compose (self);
  g_autofree char *prompt = NULL;
  g_autofree char *negative = NULL;

  if (compose == NULL)
    return;

  /* the settings are the style's; the prompt being written stays */
  horde_studio_compose_get_prompt (compose, &prompt, &negative);
  horde_studio_compose_load_request (compose, request);
  if (*prompt != '\0')
    horde_studio_compose_set_prompt (compose, prompt, negative);
}

static void
horde_style_chosen (HordeStudioPromptTools *self,
                    HordeStyleStable       *style)
{
  horde_studio_prompt_tools_set_style (self, style);
}

static void
choose_style (HordeStudioPromptTools *self)
{
  HordeStudioStyleChooser *chooser = horde_studio_style_chooser_new (self->client);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (chooser), GTK_WINDOW (root));
  g_signal_connect_object (chooser, "style-chosen", G_CALLBACK (horde_style_chosen), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (chooser, "user-style-chosen", G_CALLBACK (user_style_chosen), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (chooser));
}

static void
save_style_response (AdwMessageDialog       *dialog,
                     const char             *response,
                     HordeStudioPromptTools *self)
{
  HordeImageGenerateAsyncRequest *request = g_object_get_data (G_OBJECT (dialog), "request");
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  g_autoptr(HordeStudioUserStyles) styles = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save") || request == NULL)
    return;

  styles = horde_studio_user_styles_get_default ();
  if (!horde_studio_user_styles_save_style (styles, gtk_editable_get_text (entry), request, &error))
    g_warning ("Could not save the style: %s", error->message);
}

static void
name_changed (GtkEditable      *entry,
              AdwMessageDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "save", *name != '\0');
}

static void
name_activated (GtkEntry         *entry,
                AdwMessageDialog *dialog)
{
  /* Enter saves, as the default response's button would */
  if (adw_message_dialog_get_response_enabled (dialog, "save"))
    {
      adw_message_dialog_response (dialog, "save");
      gtk_window_close (GTK_WINDOW (dialog));
    }
}

static void
save_style (HordeStudioPromptTools *self)
{
  HordeStudioCompose *compose = get_compose (self);
  HordeImageGenerateAsyncRequest *request = compose ? horde_studio_compose_get_request (compose) : NULL;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  if (request == NULL)
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                           _("Nothing to Save Yet"),
                                                           _("A style keeps settings that make a request: write a prompt and fix what is marked first.")));
      adw_message_dialog_add_response (dialog, "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Save as Style"),
                                                       _("The model and the settings, kept under a name to apply again from Styles. The source image is not kept.")));
  entry = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Name"));
  gtk_entry_set_max_length (GTK_ENTRY (entry), 100);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Name"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  adw_message_dialog_set_response_enabled (dialog, "save", FALSE);
  g_object_set_data_full (G_OBJECT (dialog), "request", horde_image_generate_async_request_ref (request),
                          (GDestroyNotify) horde_image_generate_async_request_unref);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_signal_connect (entry, "changed", G_CALLBACK (name_changed), dialog);
  g_signal_connect (entry, "activate", G_CALLBACK (name_activated), dialog);
  g_signal_connect_object (dialog, "response", G_CALLBACK (save_style_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static void
tools_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  HordeStudioPromptTools *self = HORDE_STUDIO_PROMPT_TOOLS (widget);

  if (g_str_equal (action_name, "prompt-tools.choose-style"))
    choose_style (self);
  else if (g_str_equal (action_name, "prompt-tools.save-style"))
    save_style (self);
  else if (g_str_equal (action_name, "prompt-tools.remove-style"))
    horde_studio_prompt_tools_set_style (self, NULL);
}

static void
horde_studio_prompt_tools_finalize (GObject *object)
{
  HordeStudioPromptTools *self = (HordeStudioPromptTools *)object;

  g_clear_object (&self->client);
  g_clear_object (&self->history);
  g_clear_pointer (&self->style_id, g_free);

  G_OBJECT_CLASS (horde_studio_prompt_tools_parent_class)->finalize (object);
}

static void
horde_studio_prompt_tools_class_init (HordeStudioPromptToolsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = horde_studio_template_widget_dispose;
  object_class->finalize = horde_studio_prompt_tools_finalize;

  /**
   * HordeStudioPromptTools::changed:
   * @self: the tools
   *
   * Emitted when a Horde style is applied or removed.
   */
  signals [CHANGED] = horde_studio_changed_signal_new (klass);

  g_type_ensure (HORDE_STUDIO_TYPE_HISTORY_POPOVER);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/hordestudio/HordeStudio/horde-studio-prompt-tools.ui");
  gtk_widget_class_bind_template_child (widget_class, HordeStudioPromptTools, styles_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioPromptTools, history_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioPromptTools, history_popover);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioPromptTools, save_style_button);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioPromptTools, style_list);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioPromptTools, style_row);
  gtk_widget_class_bind_template_child (widget_class, HordeStudioPromptTools, remove_style_button);

  gtk_widget_class_install_action (widget_class, "prompt-tools.choose-style", NULL, tools_action);
  gtk_widget_class_install_action (widget_class, "prompt-tools.save-style", NULL, tools_action);
  gtk_widget_class_install_action (widget_class, "prompt-tools.remove-style", NULL, tools_action);
}

static void
horde_studio_prompt_tools_init (HordeStudioPromptTools *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->history = horde_studio_prompt_history_get_default ();
  g_signal_connect_swapped (self->history_popover, "chosen", G_CALLBACK (history_chosen), self);
}
