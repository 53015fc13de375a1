/* horde-sim-user.c: a registered (or the anonymous) user
 *
 * Users come from --users FILE or POST /_sim/users.  Their kudos go down
 * by the horde tax when they queue work and by each generation's charge
 * when it is done, as on the server (see horde-sim-horde.c); the anonymous
 * user is never charged.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-user.h"
#include "horde-sim-json.h"

#include <gio/gio.h>
#include <math.h>

struct _HordeSimUser
{
  GObject   parent_instance;

  char     *key;
  char     *username;
  gint64    id;
  double    kudos;
  gboolean  trusted;
  gboolean  moderator;
  guint     concurrency;
  gint64    created_us;

  double    usage_megapixelsteps;
  gint64    usage_tokens;
  guint     requests[HORDE_SIM_N_KINDS];
};

G_DEFINE_FINAL_TYPE (HordeSimUser, horde_sim_user, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KEY,
  PROP_USERNAME,
  PROP_ID,
  PROP_KUDOS,
  PROP_TRUSTED,
  PROP_MODERATOR,
  PROP_CONCURRENCY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
horde_sim_user_finalize (GObject *object)
{
  HordeSimUser *self = HORDE_SIM_USER (object);

  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->username, g_free);

  G_OBJECT_CLASS (horde_sim_user_parent_class)->finalize (object);
}

static void
horde_sim_user_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HordeSimUser *self = HORDE_SIM_USER (object);

  switch (prop_id)
    {
    case PROP_KEY:
      self->key = g_value_dup_string (value);
      break;
    case PROP_USERNAME:
      self->username = g_value_dup_string (value);
      break;
    case PROP_ID:
      self->id = g_value_get_int64 (value);
      break;
    case PROP_KUDOS:
      self->kudos = g_value_get_double (value);
      break;
    case PROP_TRUSTED:
      self->trusted = g_value_get_boolean (value);
      break;
    case PROP_MODERATOR:
      self->moderator = g_value_get_boolean (value);
      break;
    case PROP_CONCURRENCY:
      self->concurrency = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
horde_sim_user_class_init (HordeSimUserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->set_property = horde_sim_user_set_property;
  object_class->finalize = horde_sim_user_finalize;

  properties[PROP_KEY] = g_param_spec_string ("key", NULL, NULL, NULL, flags);
  properties[PROP_USERNAME] = g_param_spec_string ("username", NULL, NULL, NULL, flags);
  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_KUDOS] = g_param_spec_double ("kudos", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, flags);
  properties[PROP_TRUSTED] = g_param_spec_boolean ("trusted", NULL, NULL, FALSE, flags);
  properties[PROP_MODERATOR] = g_param_spec_boolean ("moderator", NULL, NULL, FALSE, flags);
  properties[PROP_CONCURRENCY] = g_param_spec_uint ("concurrency", NULL, NULL, 1, G_MAXINT,
                                                    HORDE_SIM_USER_CONCURRENCY, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
horde_sim_user_init (HordeSimUser *self)
{
  self->created_us = g_get_real_time ();
}

HordeSimUser *
horde_sim_user_new_anonymous (void)
{
  return g_object_new (HORDE_SIM_TYPE_USER,
                       "key", HORDE_SIM_ANONYMOUS_KEY,
                       "username", "Anonymous",
                       "id", (gint64) 0,
                       "concurrency", HORDE_SIM_ANONYMOUS_CONCURRENCY,
                       NULL);
}

/* A user from {"key", "username", "kudos", "trusted", "id"?, "concurrency"?,
 * "moderator"?}; @default_id when there is no "id". */
HordeSimUser *
horde_sim_user_parse (JsonNode  *node,
                      gint64     default_id,
                      GError   **error)
{
  JsonObject *object;
  const char *key;
  const char *username;
  gint64 id;
  gint64 concurrency;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "a user must be a JSON object");
      return NULL;
    }
  object = json_node_get_object (node);
  key = json_object_get_string_member_with_default (object, "key", NULL);
  username = json_object_get_string_member_with_default (object, "username", NULL);
  if (key == NULL || strlen (key) < 1 || username == NULL || *username == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "a user needs a non-empty \"key\" and \"username\"");
      return NULL;
    }

  id = json_object_get_int_member_with_default (object, "id", default_id);
  concurrency = json_object_get_int_member_with_default (object, "concurrency", HORDE_SIM_USER_CONCURRENCY);
  if (id <= 0 || concurrency < 1 || concurrency > G_MAXINT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "user “%s”: \"id\" (0 is Anonymous) and \"concurrency\" must be positive", username);
      return NULL;
    }
  return g_object_new (HORDE_SIM_TYPE_USER,
                       "key", key,
                       "username", username,
                       "id", id,
                       "kudos", horde_sim_json_number (json_object_get_member (object, "kudos"), 0),
                       "trusted", json_object_get_boolean_member_with_default (object, "trusted", FALSE),
                       "moderator", json_object_get_boolean_member_with_default (object, "moderator", FALSE),
                       "concurrency", (guint) concurrency,
                       NULL);
}

const char *
horde_sim_user_get_key (HordeSimUser *self)
{
  return self->key;
}

gint64
horde_sim_user_get_id (HordeSimUser *self)
{
  return self->id;
}

gboolean
horde_sim_user_is_anonymous (HordeSimUser *self)
{
  return self->id == 0;
}

/* "name#id", the server's get_unique_alias() */
char *
horde_sim_user_dup_alias (HordeSimUser *self)
{
  return g_strdup_printf ("%s#%" G_GINT64_FORMAT, self->username, self->id);
}

gboolean
horde_sim_user_is_moderator (HordeSimUser *self)
{
  return self->moderator;
}

double
horde_sim_user_get_kudos (HordeSimUser *self)
{
  return self->kudos;
}

guint
horde_sim_user_get_concurrency (HordeSimUser *self)
{
  return self->concurrency;
}

/* The anonymous account never holds kudos. */
void
horde_sim_user_add_kudos (HordeSimUser *self,
                          double        delta)
{
  if (!horde_sim_user_is_anonymous (self))
    self->kudos = round ((self->kudos + delta) * 100.0) / 100.0;
}

void
horde_sim_user_record_request (HordeSimUser *self,
                               HordeSimKind  kind)
{
  self->requests[kind]++;
}

void
horde_sim_user_record_usage (HordeSimUser *self,
                             double        megapixelsteps,
                             gint64        tokens)
{
  self->usage_megapixelsteps += megapixelsteps;
  self->usage_tokens += tokens;
}

static void
add_amounts (JsonObject *parent,
             const char *member,
             const guint amounts[HORDE_SIM_N_KINDS])
{
  JsonObject *object = horde_sim_json_add_object (parent, member);

  json_object_set_int_member (object, "image", amounts ? amounts[HORDE_SIM_KIND_IMAGE] : 0);
  json_object_set_int_member (object, "text", amounts ? amounts[HORDE_SIM_KIND_TEXT] : 0);
  json_object_set_int_member (object, "interrogation", amounts ? amounts[HORDE_SIM_KIND_ALCHEMY] : 0);
}

/* UserDetails, shaped like the real server's answer to find_user. */
JsonNode *
horde_sim_user_to_json (HordeSimUser        *self,
                        const char * const  *active_ids[HORDE_SIM_N_KINDS])
{
  static const char * const kudos_details[] = {
    "accumulated", "gifted", "donated", "admin", "received", "recurring", "awarded", "styled",
  };
  static const char * const flags[] = {
    "flagged", "vpn", "service", "education", "customizer", "special", "deleted", "pseudonymous",
  };
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *alias = g_strdup_printf ("%s#%" G_GINT64_FORMAT, self->username, self->id);
  JsonObject *child, *records, *usage;

  json_object_set_string_member (object, "username", alias);
  json_object_set_int_member (object, "id", self->id);
  json_object_set_double_member (object, "kudos", self->kudos);
  json_object_set_int_member (object, "concurrency", self->concurrency);
  json_object_set_int_member (object, "worker_invited", 0);
  json_object_set_boolean_member (object, "moderator", self->moderator);
  child = horde_sim_json_add_object (object, "kudos_details");
  for (guint i = 0; i < G_N_ELEMENTS (kudos_details); i++)
    json_object_set_int_member (child, kudos_details[i], 0);
  json_object_set_int_member (object, "worker_count", 0);
  horde_sim_json_add_array (object, "worker_ids");
  horde_sim_json_add_array (object, "styles");
  horde_sim_json_add_array (object, "sharedkey_ids");
  child = horde_sim_json_add_object (object, "active_generations");
  json_object_set_member (child, "image", horde_sim_json_strv_node (active_ids[HORDE_SIM_KIND_IMAGE]));
  json_object_set_member (child, "text", horde_sim_json_strv_node (active_ids[HORDE_SIM_KIND_TEXT]));
  json_object_set_member (child, "alchemy", horde_sim_json_strv_node (active_ids[HORDE_SIM_KIND_ALCHEMY]));
  json_object_set_boolean_member (object, "trusted", self->trusted);
  for (guint i = 0; i < G_N_ELEMENTS (flags); i++)
    json_object_set_boolean_member (object, flags[i], FALSE);
  json_object_set_int_member (object, "account_age", (g_get_real_time () - self->created_us) / G_USEC_PER_SEC);

  child = horde_sim_json_add_object (object, "usage");
  json_object_set_null_member (child, "megapixelsteps");
  json_object_set_null_member (child, "requests");
  child = horde_sim_json_add_object (object, "contributions");
  json_object_set_null_member (child, "megapixelsteps");
  json_object_set_null_member (child, "fulfillments");

  records = horde_sim_json_add_object (object, "records");
  usage = horde_sim_json_add_object (records, "usage");
  json_object_set_double_member (usage, "megapixelsteps", round (self->usage_megapixelsteps * 100) / 100);
  json_object_set_int_member (usage, "tokens", self->usage_tokens);
  usage = horde_sim_json_add_object (records, "contribution");
  json_object_set_int_member (usage, "megapixelsteps", 0);
  json_object_set_int_member (usage, "tokens", 0);
  add_amounts (records, "fulfillment", NULL);
  add_amounts (records, "request", self->requests);
  add_amounts (records, "style", NULL);

  json_object_unref (object);
  return node;
}
