/* horde-sim-faults.c: fault injection rules
 *
 * A SPEC is rules separated by ';'.  A rule is
 *
 *   ACTION[:ARG][@[METHOD ]GLOB][,key=value...]
 *
 * GLOB matches the request path (with /api) using '*' wildcards; without
 * '@' a rule matches every /api request.  Keys: count=N (fire N times, then
 * the rule is used up), after=N (let the first N matching requests through),
 * rc=RC, message=TEXT, retry_after=SECONDS.  A message may hold commas: only
 * ",key=" with a known key starts the next option.
 *
 * Answer-level rules are evaluated in order; latency rules add up, and the
 * first other rule that fires decides the answer.  Job-level rules
 * (worker-restart, worker-fault, corrupt-image, expire-r2) are consulted
 * by the scheduler and the r2 store.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include "horde-sim-faults.h"
#include "horde-sim-json.h"

#include <gio/gio.h>
#include <libsoup/soup.h>
#include <string.h>

typedef enum {
  ARG_NONE,
  ARG_STATUS,
  ARG_MILLISECONDS,
} ArgKind;

typedef enum {
  KEY_COUNT = 1 << 0,
  KEY_AFTER = 1 << 1,
  KEY_RC = 1 << 2,
  KEY_MESSAGE = 1 << 3,
  KEY_RETRY_AFTER = 1 << 4,
} KeyMask;

/* indexed by HordeSimFaultAction */
static const struct {
  const char          *name;
  HordeSimFaultAction  action;
  ArgKind              arg;
  KeyMask              keys;
} actions[] = {
  { "status", HORDE_SIM_FAULT_STATUS, ARG_STATUS, KEY_RC | KEY_MESSAGE | KEY_RETRY_AFTER },
  { "html", HORDE_SIM_FAULT_HTML, ARG_STATUS, KEY_MESSAGE | KEY_RETRY_AFTER },
  { "latency", HORDE_SIM_FAULT_LATENCY, ARG_MILLISECONDS, 0 },
  { "drop", HORDE_SIM_FAULT_DROP, ARG_NONE, 0 },
  { "stall", HORDE_SIM_FAULT_STALL, ARG_NONE, 0 },
  { "malformed", HORDE_SIM_FAULT_MALFORMED, ARG_NONE, 0 },
  { "truncate", HORDE_SIM_FAULT_TRUNCATE, ARG_NONE, 0 },
  { "worker-restart", HORDE_SIM_FAULT_WORKER_RESTART, ARG_NONE, 0 },
  { "worker-fault", HORDE_SIM_FAULT_WORKER_FAULT, ARG_NONE, 0 },
  { "corrupt-image", HORDE_SIM_FAULT_CORRUPT_IMAGE, ARG_NONE, 0 },
  { "expire-r2", HORDE_SIM_FAULT_EXPIRE_R2, ARG_NONE, 0 },
};

static const struct {
  const char *name;
  KeyMask     key;
} keys[] = {
  { "count", KEY_COUNT },
  { "after", KEY_AFTER },
  { "rc", KEY_RC },
  { "message", KEY_MESSAGE },
  { "retry_after", KEY_RETRY_AFTER },
};

/* rc strings the real server uses for these statuses */
static const struct {
  guint       code;
  const char *rc;
} default_rcs[] = {
  { 400, "BadRequest" },
  { 401, "InvalidAPIKey" },
  { 403, "Forbidden" },
  { 404, "RequestNotFound" },
  { 410, "RequestExpired" },
  { 423, "Locked" },
};

struct _HordeSimFaults
{
  GObject    parent_instance;

  GPtrArray *rules;
};

G_DEFINE_FINAL_TYPE (HordeSimFaults, horde_sim_faults, G_TYPE_OBJECT)

static void
fault_rule_free (HordeSimFaultRule *rule)
{
  g_free (rule->method);
  g_free (rule->glob);
  g_free (rule->rc);
  g_free (rule->message);
  g_free (rule->text);
  g_clear_pointer (&rule->pattern, g_pattern_spec_free);
  g_free (rule);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HordeSimFaultRule, fault_rule_free)

static void
horde_sim_faults_finalize (GObject *object)
{
  HordeSimFaults *self = HORDE_SIM_FAULTS (object);

  g_clear_pointer (&self->rules, g_ptr_array_unref);

  G_OBJECT_CLASS (horde_sim_faults_parent_class)->finalize (object);
}

static void
horde_sim_faults_class_init (HordeSimFaultsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = horde_sim_faults_finalize;
}

static void
horde_sim_faults_init (HordeSimFaults *self)
{
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_rule_free);
}

HordeSimFaults *
horde_sim_faults_new (void)
{
  return g_object_new (HORDE_SIM_TYPE_FAULTS, NULL);
}

static gboolean
parse_int (const char *text,
           gint64      min,
           gint64      max,
           int        *out)
{
  gint64 value;

  if (!g_ascii_string_to_signed (text, 10, min, max, &value, NULL))
    return FALSE;
  *out = (int) value;
  return TRUE;
}

/* Where the next option starts: a ',' followed by a known "key=". */
static const char *
find_option (const char *text)
{
  for (const char *p = strchr (text, ','); p != NULL; p = strchr (p + 1, ','))
    {
      const char *q = p + 1;

      while (*q == ' ')
        q++;
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          gsize len = strlen (keys[i].name);

          if (strncmp (q, keys[i].name, len) == 0 && q[len] == '=')
            return p;
        }
    }
  return NULL;
}

static gboolean
parse_target (HordeSimFaultRule  *rule,
              const char         *target,
              GError            **error)
{
  const char *space = strchr (target, ' ');
  const char *glob = target;

  if (space != NULL)
    {
      g_autofree char *method = g_strndup (target, (gsize) (space - target));

      for (const char *p = method; *p; p++)
        if (!g_ascii_isupper (*p))
          {
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                         "“%s” is not an HTTP method", method);
            return FALSE;
          }
      rule->method = g_steal_pointer (&method);
      glob = space + 1;
      while (*glob == ' ')
        glob++;
    }
  if (*glob != '/')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the path pattern “%s” must start with '/'", glob);
      return FALSE;
    }
  rule->glob = g_strdup (glob);
  rule->pattern = g_pattern_spec_new (glob);
  return TRUE;
}

static gboolean
parse_option (HordeSimFaultRule  *rule,
              KeyMask             allowed,
              const char         *option,
              GError            **error)
{
  const char *eq = strchr (option, '=');
  g_autofree char *key = g_strstrip (g_strndup (option, (gsize) (eq - option)));
  const char *value = eq + 1;
  KeyMask mask = 0;

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (g_str_equal (keys[i].name, key))
      mask = keys[i].key;
  if ((mask & allowed) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "the key “%s” does not apply to this action", key);
      return FALSE;
    }
  switch (mask)
    {
    case KEY_COUNT:
      if (parse_int (value, 0, G_MAXINT, &rule->count))
        return TRUE;
      break;
    case KEY_AFTER:
      if (parse_int (value, 0, G_MAXINT, &rule->after))
        return TRUE;
      break;
    case KEY_RETRY_AFTER:
      if (parse_int (value, 0, 86400, &rule->retry_after))
        return TRUE;
      break;
    case KEY_RC:
      if (*value != '\0')
        {
          g_free (rule->rc);
          rule->rc = g_strdup (value);
          return TRUE;
        }
      break;
    case KEY_MESSAGE:
      g_free (rule->message);
      rule->message = g_strdup (value);
      return TRUE;
    default:
      break;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "bad value “%s” for %s", value, key);
  return FALSE;
}

static HordeSimFaultRule *
parse_rule (const char  *text,
            GError     **error)
{
  g_autoptr(HordeSimFaultRule) rule = g_new0 (HordeSimFaultRule, 1);
  const char *options = find_option (text);
  g_autofree char *head = options ? g_strndup (text, (gsize) (options - text)) : g_strdup (text);
  char *at = strchr (head, '@');
  char *colon;
  KeyMask allowed = KEY_COUNT | KEY_AFTER;
  ArgKind arg_kind = ARG_NONE;
  gboolean found = FALSE;

  rule->text = g_strdup (text);
  rule->count = -1;
  rule->retry_after = -1;

  if (at != NULL)
    {
      *at = '\0';
      if (!parse_target (rule, at + 1, error))
        return NULL;
    }
  colon = strchr (head, ':');
  if (colon != NULL)
    *colon = '\0';
  g_strstrip (head);
  for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
    if (g_str_equal (actions[i].name, head))
      {
        rule->action = actions[i].action;
        arg_kind = actions[i].arg;
        allowed |= actions[i].keys;
        found = TRUE;
      }
  if (!found)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unknown action “%s”", head);
      return NULL;
    }
  if ((arg_kind != ARG_NONE) != (colon != NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   arg_kind != ARG_NONE ? "“%s” needs an argument (ACTION:ARG)"
                                        : "“%s” takes no argument", head);
      return NULL;
    }
  if (arg_kind == ARG_STATUS && !parse_int (g_strstrip (colon + 1), 100, 599, &rule->arg))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an HTTP status (100..599)", colon + 1);
      return NULL;
    }
  if (arg_kind == ARG_MILLISECONDS && !parse_int (g_strstrip (colon + 1), 0, 3600 * 1000, &rule->arg))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a number of milliseconds", colon + 1);
      return NULL;
    }

  while (options != NULL)
    {
      const char *next = find_option (options + 1);
      g_autofree char *option = next ? g_strndup (options + 1, (gsize) (next - options - 1))
                                     : g_strdup (options + 1);

      if (!parse_option (rule, allowed, option, error))
        return NULL;
      options = next;
    }
  return g_steal_pointer (&rule);
}

/* Parses every rule of @spec and appends them; nothing is added on error,
 * and the error names the rule that could not be parsed. */
gboolean
horde_sim_faults_add (HordeSimFaults  *self,
                      const char      *spec,
                      GError         **error)
{
  g_auto(GStrv) texts = g_strsplit (spec, ";", -1);
  g_autoptr(GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify) fault_rule_free);

  for (guint i = 0; texts[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      const char *text = g_strstrip (texts[i]);
      HordeSimFaultRule *rule;

      if (*text == '\0')
        continue;
      rule = parse_rule (text, &local_error);
      if (rule == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "bad fault rule “%s”: %s", text, local_error->message);
          return FALSE;
        }
      g_ptr_array_add (parsed, rule);
    }
  if (parsed->len == 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "the fault spec holds no rule");
      return FALSE;
    }
  g_ptr_array_extend_and_steal (self->rules, g_steal_pointer (&parsed));
  return TRUE;
}

void
horde_sim_faults_clear (HordeSimFaults *self)
{
  g_ptr_array_set_size (self->rules, 0);
}

static gboolean
rule_targets (const HordeSimFaultRule *rule,
              const char              *method,
              const char              *path,
              gboolean                 is_api)
{
  if (rule->method != NULL && g_strcmp0 (rule->method, method) != 0)
    return FALSE;
  if (rule->pattern == NULL)
    return is_api;
  return g_pattern_spec_match_string (rule->pattern, path);
}

/* Counts a matching request and says whether the rule acts on it. */
static gboolean
rule_fires (HordeSimFaultRule *rule)
{
  rule->seen++;
  if (rule->seen <= (guint) rule->after)
    return FALSE;
  if (rule->count >= 0 && rule->fired >= (guint) rule->count)
    return FALSE;
  rule->fired++;
  return TRUE;
}

static gboolean
is_answer_action (HordeSimFaultAction action)
{
  return action <= HORDE_SIM_FAULT_TRUNCATE;
}

/* The answer-level rule that decides this request's answer (NULL: none),
 * and the sum of the latency rules that fired.  The rule is borrowed: use it
 * before returning to the main loop. */
const HordeSimFaultRule *
horde_sim_faults_match_request (HordeSimFaults *self,
                                const char     *method,
                                const char     *path,
                                gboolean        is_api,
                                guint          *latency_ms)
{
  *latency_ms = 0;
  for (guint i = 0; i < self->rules->len; i++)
    {
      HordeSimFaultRule *rule = g_ptr_array_index (self->rules, i);

      if (!is_answer_action (rule->action) || !rule_targets (rule, method, path, is_api))
        continue;
      if (!rule_fires (rule))
        continue;
      if (rule->action == HORDE_SIM_FAULT_LATENCY)
        *latency_ms += (guint) rule->arg;
      else
        return rule;
    }
  return NULL;
}

/* Whether a job-level rule of @action fires for a job queued by
 * "@method @path" (or, for expire-r2, for this download). */
gboolean
horde_sim_faults_match_job (HordeSimFaults      *self,
                            HordeSimFaultAction  action,
                            const char          *method,
                            const char          *path)
{
  for (guint i = 0; i < self->rules->len; i++)
    {
      HordeSimFaultRule *rule = g_ptr_array_index (self->rules, i);

      if (rule->action == action && rule_targets (rule, method, path, TRUE) && rule_fires (rule))
        return TRUE;
    }
  return FALSE;
}

/* The reason phrase; libsoup 3.2 does not know 429. */
const char *
horde_sim_status_phrase (guint status)
{
  if (status == HORDE_SIM_STATUS_TOO_MANY_REQUESTS)
    return "Too Many Requests";
  return soup_status_get_phrase (status);
}

/* rc= if given, else the real server's rc for this status, else the
 * reason phrase in CamelCase ("ServiceUnavailable"). A 429 has none: the
 * server's rate limiter (flask-limiter) answers without one; TooManyPrompts
 * must be asked for with rc=. */
char *
horde_sim_fault_rule_dup_rc (const HordeSimFaultRule *rule)
{
  const char *phrase = horde_sim_status_phrase (rule->arg);
  GString *rc;

  if (rule->rc != NULL)
    return g_strdup (rule->rc);
  if (rule->arg == HORDE_SIM_STATUS_TOO_MANY_REQUESTS)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (default_rcs); i++)
    if (default_rcs[i].code == (guint) rule->arg)
      return g_strdup (default_rcs[i].rc);
  if (phrase == NULL)
    return g_strdup_printf ("Status%d", rule->arg);
  rc = g_string_new (NULL);
  for (const char *p = phrase; *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (rc, *p);
  return g_string_free (rc, FALSE);
}

char *
horde_sim_fault_rule_dup_message (const HordeSimFaultRule *rule)
{
  if (rule->message != NULL)
    return g_strdup (rule->message);
  return g_strdup_printf ("%s (injected by horde-sim)", horde_sim_status_phrase (rule->arg));
}

JsonNode *
horde_sim_faults_to_json (HordeSimFaults *self)
{
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; i < self->rules->len; i++)
    {
      HordeSimFaultRule *rule = g_ptr_array_index (self->rules, i);
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "rule", rule->text);
      json_object_set_string_member (object, "action", actions[rule->action].name);
      if (actions[rule->action].arg != ARG_NONE)
        json_object_set_int_member (object, "arg", rule->arg);
      horde_sim_json_set_string (object, "method", rule->method);
      horde_sim_json_set_string (object, "path", rule->glob);
      if (rule->count >= 0)
        json_object_set_int_member (object, "count", rule->count);
      else
        json_object_set_null_member (object, "count");
      json_object_set_int_member (object, "after", rule->after);
      json_object_set_int_member (object, "seen", rule->seen);
      json_object_set_int_member (object, "fired", rule->fired);
      json_object_set_boolean_member (object, "used_up", rule->count >= 0 && rule->fired >= (guint) rule->count);
      json_array_add_object_element (array, object);
    }
  json_node_take_array (node, array);
  return node;
}
