/* test-cli-hostile.c: the horde command line against a server that lies:
 * file names and terminal text taken from its answers must not let it
 * write outside the output folder or drive the user's terminal
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The server is a SoupServer on 127.0.0.1 in a thread of the test, with
 * raw paths: a plain SoupServer answers 400 itself to a path whose
 * decoded form holds "/../", and a hostile server does not. The command
 * line runs as a user runs it, with pipes for stdout and stderr.
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <libhorde.h>
#include <string.h>
#include <unistd.h>
#include <webp/encode.h>

#include <libsoup/soup.h>

#include "horde-test-cli.h"

/* ---- the sanitiser of file names ------------------------------------ */

static void
test_sanitize_file_name (void)
{
  static const struct {
    const char *text;
    gssize length;
    const char *name;
  } cases[] = {
    /* separators and parent folders */
    { "../../escape/pwned", -1, "_._.._escape_pwned" },
    { "/etc/passwd", -1, "_etc_passwd" },
    { "..\\..\\windows", -1, "_._.._windows" },
    { "a/b\\c", -1, "a_b_c" },
    /* names that are no file, hidden, or an option */
    { "", -1, "_" },
    { NULL, -1, "_" },
    { ".", -1, "_" },
    { "..", -1, "_" },
    { "...", -1, "_" },
    { ".hidden", -1, "_hidden" },
    { "-rf", -1, "_rf" },
    { "--help", -1, "_-help" },
    { " -x", -1, " -x" },
    /* what Windows, FAT and the portals refuse */
    { "a<b>c:d\"e|f?g*h", -1, "a_b_c_d_e_f_g_h" },
    { "name. . ", -1, "name" },
    { "name . .", -1, "name" },
    { ". .", -1, "_" },
    { "CON", -1, "_CON" },
    { "nul.txt", -1, "_nul.txt" },
    { "com1", -1, "_com1" },
    { "Lpt9.webp", -1, "_Lpt9.webp" },
    { "con .txt", -1, "_con .txt" },
    { "CONSOLE", -1, "CONSOLE" },
    { "COM10", -1, "COM10" },
    /* controls: C0, DEL, C1 */
    { "a\tb\nc\rd\033[2J", -1, "a_b_c_d_[2J" },
    { "\033]0;title\007", -1, "_]0;title_" },
    { "x\177y", -1, "x_y" },
    { "x\302\233" "6n", -1, "x_6n" },
    { "x\302\200y\302\237z", -1, "x_y_z" },
    { "x\302\240y", -1, "x\302\240y" },
    /* text that reorders itself: U+202E, U+2066, U+200F */
    { "image\342\200\256gpj.exe", -1, "image_gpj.exe" },
    { "a\342\201\246b\342\200\217c", -1, "a_b_c" },
    /* invalid UTF-8: one _ a byte */
    { "x\377\376y", -1, "x__y" },
    { "x\342\202", -1, "x__" },
    { "\300\257", -1, "__" },
    { "\355\240\200", -1, "___" },
    { "\364\220\200\200", -1, "____" },
    /* embedded NUL and a length */
    { "ab\0cd", 5, "ab_cd" },
    { "abcdef", 3, "abc" },
    { "ab\0", 3, "ab_" },
    /* what is kept */
    { "8f2c9e1a-3b4d-4c5e-9f60-718293a4b5c6", -1, "8f2c9e1a-3b4d-4c5e-9f60-718293a4b5c6" },
    { "RealESRGAN_x2plus", -1, "RealESRGAN_x2plus" },
    { "été ☃ 猫", -1, "été ☃ 猫" },
    { "a.b..c", -1, "a.b..c" },
    { "x-", -1, "x-" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = horde_sanitize_file_name (cases[i].text, cases[i].length);

      g_test_message ("case %u", i);
      g_assert_cmpstr (name, ==, cases[i].name);
      g_assert_true (g_utf8_validate (name, -1, NULL));
    }
}

static void
test_sanitize_file_name_length (void)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *name = NULL;
  g_autofree char *expected = NULL;

  g_assert_cmpint (HORDE_FILE_NAME_MAX_BYTES, ==, 128);

  /* cut at 128 bytes */
  g_string_append (text, "a");
  for (guint i = 0; i < 300; i++)
    g_string_append_c (text, 'b');
  name = horde_sanitize_file_name (text->str, -1);
  g_assert_cmpuint (strlen (name), ==, 128);
  g_assert_true (g_str_has_prefix (name, "abbb"));
  g_clear_pointer (&name, g_free);

  /* between two characters: 63 two-byte characters after one byte */
  g_string_assign (text, "a");
  for (guint i = 0; i < 100; i++)
    g_string_append (text, "é");
  name = horde_sanitize_file_name (text->str, -1);
  g_assert_cmpuint (strlen (name), ==, 127);
  g_assert_cmpuint (g_utf8_strlen (name, -1), ==, 64);
  g_assert_true (g_utf8_validate (name, -1, NULL));
  g_clear_pointer (&name, g_free);

  /* a cut that ends on a dot loses it */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 127; i++)
    g_string_append_c (text, 'c');
  g_string_append (text, ".webp");
  name = horde_sanitize_file_name (text->str, -1);
  g_assert_cmpuint (strlen (name), ==, 127);
  g_assert_null (strchr (name, '.'));
  g_clear_pointer (&name, g_free);

  /* a reserved name keeps its prefix and the bound */
  g_string_assign (text, "CON.");
  for (guint i = 0; i < 200; i++)
    g_string_append_c (text, 'x');
  name = horde_sanitize_file_name (text->str, -1);
  g_assert_cmpuint (strlen (name), ==, 128);
  g_assert_true (g_str_has_prefix (name, "_CON.xxx"));
  g_clear_pointer (&name, g_free);

  /* controls are cut like the rest: 200 ESC are 128 _ */
  g_string_truncate (text, 0);
  for (guint i = 0; i < 200; i++)
    g_string_append_c (text, '\033');
  name = horde_sanitize_file_name (text->str, -1);
  expected = g_strnfill (128, '_');
  g_assert_cmpstr (name, ==, expected);
}

/* ---- a hostile server ----------------------------------------------- */

typedef struct {
  GMainContext *context;
  GMainLoop *loop;
  GThread *thread;
  SoupServer *server;
  char *url;           /* the base URL: …/api */
  char *job_id;        /* what POST /v2/generate/async answers */
  GBytes *webp;        /* the one generation of every image request */
  gboolean faulted;    /* /check says the request faulted */
  char *text;          /* worker names, news, error messages */
  gsize text_length;
} Hostile;

/* What a worker operator or a hostile server may put in any string: a
 * screen clear, a window title (OSC … BEL), the cursor-report query
 * (which makes the terminal type an answer into its input), a carriage
 * return that hides what came before, a C1 CSI (U+009B, CSI on some
 * terminals) and DEL. Between them, visible words that must survive. */
#define HOSTILE_TEXT "Alpha\033[2JBravo\033]0;pwned-title\007Charlie\033[6nDelta\rEcho\302\233" "2JFoxtrot\177Golf"

/* A JSON reader refuses invalid UTF-8 in a string: the HTTP reason phrase
 * of an error carries it instead (0xFF, and 0x9B alone, CSI on terminals
 * that read 8-bit controls) */
#define HOSTILE_REASON "Alpha\033[2JBravo\033]0;pwned-title\007Charlie\033[6nDelta\302\233" "2JFoxtrot\377\233Golf\177Hotel"

static const char * const hostile_words[] = {
  "Alpha", "[2JBravo", "]0;pwned-title", "Charlie", "[6nDelta", "Echo", "2JFoxtrot", "Golf", NULL
};

static const char * const reason_words[] = {
  "Alpha", "[2JBravo", "]0;pwned-title", "Charlie", "[6nDelta", "2JFoxtrot", "Golf", "Hotel", NULL
};

/* A small valid WebP: 8×8 pixels, lossless */
static GBytes *
tiny_webp (void)
{
  guint8 rgba[8 * 8 * 4];
  guint8 *webp = NULL;
  size_t length;
  GBytes *bytes;

  for (guint i = 0; i < sizeof rgba; i += 4)
    {
      rgba[i] = 200;
      rgba[i + 1] = (guint8) i;
      rgba[i + 2] = 40;
      rgba[i + 3] = 255;
    }
  length = WebPEncodeLosslessRGBA (rgba, 8, 8, 8 * 4, &webp);
  g_assert_cmpuint (length, >, 0);
  bytes = g_bytes_new (webp, length);
  WebPFree (webp);
  return bytes;
}

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
answer_node (SoupServerMessage *msg,
             guint              status,
             JsonNode          *node)
{
  g_autofree char *json = json_to_string (node, FALSE);

  answer (msg, status, json);
}

/* RequestStatusCheck, or RequestStatusStable with @generations */
static JsonNode *
request_status (Hostile  *h,
                gboolean  with_generations)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "finished");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "processing");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "restarted");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "waiting");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "done");
  json_builder_add_boolean_value (b, TRUE);
  json_builder_set_member_name (b, "faulted");
  json_builder_add_boolean_value (b, FALSE);
  json_builder_set_member_name (b, "wait_time");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "queue_position");
  json_builder_add_int_value (b, 0);
  json_builder_set_member_name (b, "kudos");
  json_builder_add_double_value (b, 10);
  json_builder_set_member_name (b, "is_possible");
  json_builder_add_boolean_value (b, TRUE);
  if (with_generations)
    {
      gsize length = 0;
      const guint8 *data = g_bytes_get_data (h->webp, &length);
      g_autofree char *base64 = g_base64_encode (data, length);

      json_builder_set_member_name (b, "generations");
      json_builder_begin_array (b);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "img");
      json_builder_add_string_value (b, base64);
      json_builder_set_member_name (b, "seed");
      json_builder_add_string_value (b, "1");
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, "generation-1");
      json_builder_set_member_name (b, "censored");
      json_builder_add_boolean_value (b, FALSE);
      json_builder_set_member_name (b, "gen_metadata");
      json_builder_begin_array (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "worker_id");
      json_builder_add_string_value (b, "worker-1");
      json_builder_set_member_name (b, "worker_name");
      json_builder_add_string_value (b, "worker");
      json_builder_set_member_name (b, "model");
      json_builder_add_string_value (b, "Deliberate");
      json_builder_set_member_name (b, "state");
      json_builder_add_string_value (b, "ok");
      json_builder_end_object (b);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "shared");
      json_builder_add_boolean_value (b, FALSE);
    }
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

/* the hostile text as a JSON string: escaped controls, and the invalid
 * bytes raw (no JSON escape can carry them) */
static char *
json_string (const char *text,
             gsize       length)
{
  GString *json = g_string_new ("\"");

  for (gsize i = 0; i < length; i++)
    {
      guchar c = text[i];

      if (c < 0x20)
        g_string_append_printf (json, "\\u%04x", c);
      else if (c == '"' || c == '\\')
        g_string_append_printf (json, "\\%c", c);
      else
        g_string_append_c (json, c);
    }
  g_string_append_c (json, '"');
  return g_string_free (json, FALSE);
}

static void
answer_workers (Hostile           *h,
                SoupServerMessage *msg)
{
  g_autofree char *text = json_string (h->text, h->text_length);
  g_autofree char *json = g_strdup_printf ("[{\"name\": %s, \"id\": \"w-1\", \"type\": \"image\", "
                                           "\"online\": true, \"threads\": 1, \"requests_fulfilled\": 3, "
                                           "\"performance\": %s, \"models\": [%s], \"info\": %s}]",
                                           text, text, text, text);

  answer (msg, 200, json);
}

static void
answer_styles (Hostile           *h,
               SoupServerMessage *msg)
{
  g_autofree char *text = json_string (h->text, h->text_length);
  g_autofree char *json = g_strdup_printf ("[{\"name\": %s, \"id\": \"s-1\", \"info\": %s, \"models\": [%s], "
                                           "\"use_count\": 2},"
                                           " {\"name\": \"plain\", \"id\": \"s-2\", \"info\": \"short\", "
                                           "\"models\": [\"Deliberate\"], \"use_count\": 1}]",
                                           text, text, text);

  answer (msg, 200, json);
}

static void
answer_news (Hostile           *h,
             SoupServerMessage *msg)
{
  g_autofree char *text = json_string (h->text, h->text_length);
  g_autofree char *json = g_strdup_printf ("[{\"date_published\": %s, \"importance\": %s, "
                                           "\"title\": %s, \"newspiece\": %s}]",
                                           text, text, text, text);

  answer (msg, 200, json);
}

static void
answer_error (Hostile           *h,
              SoupServerMessage *msg)
{
  g_autofree char *text = json_string (h->text, h->text_length);
  g_autofree char *json = g_strdup_printf ("{\"message\": %s, \"rc\": %s}", text, text);

  answer (msg, 400, json);
}

static void
hostile_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Hostile *h = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (g_str_equal (method, "POST") && g_str_equal (path, "/api/v2/generate/async"))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, h->job_id);
      json_builder_set_member_name (b, "kudos");
      json_builder_add_double_value (b, 10);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      answer_node (msg, 202, root);
    }
  else if (g_str_has_prefix (path, "/api/v2/generate/check/"))
    {
      g_autoptr(JsonNode) root = request_status (h, FALSE);

      if (h->faulted)
        json_object_set_boolean_member (json_node_get_object (root), "faulted", TRUE);
      answer_node (msg, 200, root);
    }
  else if (g_str_has_prefix (path, "/api/v2/generate/status/"))
    {
      g_autoptr(JsonNode) root = request_status (h, TRUE);

      answer_node (msg, 200, root);
    }
  else if (g_str_equal (path, "/api/v2/workers"))
    answer_workers (h, msg);
  else if (g_str_equal (path, "/api/v2/status/news"))
    answer_news (h, msg);
  else if (g_str_equal (path, "/api/v2/styles/image"))
    answer_styles (h, msg);
  else if (g_str_equal (path, "/api/v2/find_user"))
    answer_error (h, msg);
  else if (g_str_equal (path, "/api/v2/status/heartbeat"))
    {
      /* not JSON: the reason phrase is all the client has */
      soup_server_message_set_status (msg, 400, HOSTILE_REASON);
      soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<h1>no</h1>", 11);
    }
  else
    answer (msg, 404, "{\"message\": \"Not found\", \"rc\": \"NotFound\"}");
}

static gpointer
serve (gpointer data)
{
  Hostile *h = data;

  g_main_context_push_thread_default (h->context);
  g_main_loop_run (h->loop);
  g_main_context_pop_thread_default (h->context);
  return NULL;
}

static Hostile *
hostile_start (const char *job_id)
{
  Hostile *h = g_new0 (Hostile, 1);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;

  h->job_id = g_strdup (job_id);
  h->webp = tiny_webp ();
  h->text = g_strdup (HOSTILE_TEXT);
  h->text_length = strlen (HOSTILE_TEXT);

  h->context = g_main_context_new ();
  h->loop = g_main_loop_new (h->context, FALSE);
  g_main_context_push_thread_default (h->context);
  h->server = soup_server_new ("raw-paths", TRUE, NULL);
  soup_server_add_handler (h->server, NULL, hostile_handler, h, NULL);
  soup_server_listen_local (h->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_main_context_pop_thread_default (h->context);
  g_assert_no_error (error);

  uris = soup_server_get_uris (h->server);
  url = g_uri_to_string (uris->data);
  h->url = g_strdup_printf ("%sapi", url);
  h->thread = g_thread_new ("hostile-server", serve, h);

  return h;
}

static gboolean
quit_loop (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static void
hostile_stop (Hostile *h)
{
  g_main_context_invoke (h->context, quit_loop, h->loop);
  g_thread_join (h->thread);
  g_main_context_push_thread_default (h->context);
  soup_server_disconnect (h->server);
  g_clear_object (&h->server);
  g_main_context_pop_thread_default (h->context);
  g_main_loop_unref (h->loop);
  g_main_context_unref (h->context);
  g_free (h->url);
  g_free (h->job_id);
  g_free (h->text);
  g_bytes_unref (h->webp);
  g_free (h);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hostile, hostile_stop)

/* ---- running horde -------------------------------------------------- */

/* Runs horde --server URL ARGS… in @locale, with pipes: the output as
 * bytes, whatever they are */
static void
run_horde_in (HordeTestCliResult *result,
              const char         *locale,
              Hostile            *h,
              const char         *first,
              va_list             ap)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char * const env[] = { "LC_ALL", locale, NULL };

  g_ptr_array_add (args, (gpointer) "--server");
  g_ptr_array_add (args, h->url);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (gpointer) arg);
  g_ptr_array_add (args, NULL);
  horde_test_cli_run (result, env, (const char * const *) args->pdata);
}

/* in a UTF-8 locale: what the output looks like does not depend on the
 * test's environment */
static void
run_horde (HordeTestCliResult *result,
           Hostile            *h,
           const char         *first,
           ...)
{
  va_list ap;

  va_start (ap, first);
  run_horde_in (result, "C.UTF-8", h, first, ap);
  va_end (ap);
}

static void
run_horde_ascii (HordeTestCliResult *result,
                 Hostile            *h,
                 const char         *first,
                 ...)
{
  va_list ap;

  va_start (ap, first);
  run_horde_in (result, "C", h, first, ap);
  va_end (ap);
}

/* The output as a string (GSubprocess ends what it reads with a NUL) */
static const char *
text_of (GBytes *bytes)
{
  const char *data = g_bytes_get_data (bytes, NULL);

  return data != NULL ? data : "";
}

/* ---- files named after the server's words ------------------------- */

static char *
read_file (const char *path)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_steal_pointer (&contents);
}

/* Every file under @dir, as paths relative to it, sorted */
static void
list_tree (const char *root,
           const char *relative,
           GPtrArray  *found)
{
  g_autofree char *dir = relative ? g_build_filename (root, relative, NULL) : g_strdup (root);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = relative ? g_build_filename (relative, name, NULL) : g_strdup (name);
      g_autofree char *path = g_build_filename (root, child, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        list_tree (root, child, found);
      else
        g_ptr_array_add (found, g_steal_pointer (&child));
    }
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
tree_of (const char *root)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);

  list_tree (root, NULL, found);
  g_ptr_array_sort (found, compare_paths);
  g_ptr_array_add (found, NULL);
  return g_strjoinv (" ", (char **) found->pdata);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  if (!g_file_test (path, G_FILE_TEST_IS_SYMLINK) && g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                            NULL, NULL);
      while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

          remove_tree (child);
          g_object_unref (info);
        }
    }
  g_remove (path);
}

static void
assert_same_bytes (const char *path,
                   GBytes     *expected)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GBytes) bytes = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  g_assert_true (g_bytes_equal (bytes, expected));
}

/* An id "../../escape/pwned" must not write out/../../escape/pwned-0.webp,
 * and must not replace the file that is there */
static void
test_generate_traversal (void)
{
  g_autoptr(Hostile) h = hostile_start ("../../escape/pwned");
  g_autofree char *root = g_dir_make_tmp ("horde-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (root, "a", "b", "out", NULL);
  g_autofree char *escape = g_build_filename (root, "a", "escape", NULL);
  g_autofree char *victim = g_build_filename (escape, "pwned-0.webp", NULL);
  g_autofree char *saved = g_build_filename (out, "_._.._escape_pwned-0.webp", NULL);
  g_autofree char *victim_contents = NULL;
  g_autofree char *tree = NULL;
  g_autofree char *expected_out = NULL;
  g_auto(HordeTestCliResult) r = { 0 };

  g_assert_cmpint (g_mkdir_with_parents (escape, 0755), ==, 0);
  g_assert_true (g_file_set_contents (victim, "the user's own file", -1, NULL));

  run_horde (&r, h, "generate", "a fox", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* the file outside is untouched, and nothing else appeared anywhere */
  victim_contents = read_file (victim);
  g_assert_cmpstr (victim_contents, ==, "the user's own file");
  tree = tree_of (root);
  g_assert_cmpstr (tree, ==, "a/b/out/_._.._escape_pwned-0.webp a/escape/pwned-0.webp");

  /* the image is in the output folder, under the sanitised name */
  assert_same_bytes (saved, h->webp);
  expected_out = g_strdup_printf ("%s\n", saved);
  g_assert_cmpstr (text_of (r.out_bytes), ==, expected_out);

  remove_tree (root);
}

/* A symlink planted where the image would go is neither followed nor
 * replaced: the image takes the next free name */
static void
test_generate_planted_symlink (void)
{
  g_autoptr(Hostile) h = hostile_start ("8f2c9e1a-3b4d-4c5e-9f60-718293a4b5c6");
  g_autofree char *root = g_dir_make_tmp ("horde-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (root, "out", NULL);
  g_autofree char *victim = g_build_filename (root, "victim", NULL);
  g_autofree char *planted = g_build_filename (out, "8f2c9e1a-3b4d-4c5e-9f60-718293a4b5c6-0.webp", NULL);
  g_autofree char *saved = g_build_filename (out, "8f2c9e1a-3b4d-4c5e-9f60-718293a4b5c6-0-1.webp", NULL);
  g_autofree char *target = NULL;
  g_autofree char *victim_contents = NULL;
  g_autofree char *tree = NULL;
  g_autofree char *expected_out = NULL;
  g_auto(HordeTestCliResult) r = { 0 };

  g_assert_cmpint (g_mkdir (out, 0755), ==, 0);
  g_assert_true (g_file_set_contents (victim, "the user's own file", -1, NULL));
  g_assert_cmpint (symlink (victim, planted), ==, 0);

  run_horde (&r, h, "generate", "a fox", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 0);

  /* the link still points where it did, at a file nobody wrote */
  target = g_file_read_link (planted, NULL);
  g_assert_cmpstr (target, ==, victim);
  victim_contents = read_file (victim);
  g_assert_cmpstr (victim_contents, ==, "the user's own file");

  tree = tree_of (root);
  g_assert_cmpstr (tree, ==, "out/8f2c9e1a-3b4d-4c5e-9f60-718293a4b5c6-0-1.webp "
                             "out/8f2c9e1a-3b4d-4c5e-9f60-718293a4b5c6-0.webp victim");
  assert_same_bytes (saved, h->webp);
  expected_out = g_strdup_printf ("%s\n", saved);
  g_assert_cmpstr (text_of (r.out_bytes), ==, expected_out);

  remove_tree (root);
}

/* ---- text for a terminal -------------------------------------------- */

/* No byte a terminal acts on: valid UTF-8 with no control character but
 * \n and \t (C0, DEL, the C1 range U+0080–U+009F) */
static void
assert_terminal_safe (GBytes *bytes)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);
  const char *end = NULL;

  if (data == NULL)
    return;
  if (!g_utf8_validate_len (data, length, &end))
    g_error ("invalid UTF-8 at byte %" G_GSIZE_FORMAT, (gsize) (end - data));
  for (const char *p = data; p < data + length; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        continue;
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        g_error ("control character U+%04X at byte %" G_GSIZE_FORMAT, c, (gsize) (p - data));
    }
}

/* ... and the visible words of the hostile text are all there */
static void
assert_these_words_survive (GBytes             *bytes,
                            const char * const *words)
{
  const char *text = text_of (bytes);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_test_message ("looking for %s", words[i]);
      g_assert_nonnull (strstr (text, words[i]));
    }
}

static void
assert_words_survive (GBytes *bytes)
{
  assert_these_words_survive (bytes, hostile_words);
}

static guint
count_lines (GBytes *bytes)
{
  guint n = 0;

  for (const char *p = text_of (bytes); *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

static void
test_terminal_workers (void)
{
  g_autoptr(Hostile) h = hostile_start ("job");
  g_auto(HordeTestCliResult) r = { 0 };

  run_horde (&r, h, "workers", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_terminal_safe (r.out_bytes);
  assert_terminal_safe (r.err_bytes);
  assert_words_survive (r.out_bytes);
  /* the header and one worker: no line broken by the server */
  g_assert_cmpuint (count_lines (r.out_bytes), ==, 2);
}

/* --json stays one valid JSON document, with nothing a terminal acts on */
static void
test_terminal_workers_json (void)
{
  g_autoptr(Hostile) h = hostile_start ("job");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(HordeTestCliResult) r = { 0 };
  JsonObject *worker;

  run_horde (&r, h, "workers", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_terminal_safe (r.out_bytes);
  g_assert_cmpuint (count_lines (r.out_bytes), ==, 1);
  node = json_from_string (text_of (r.out_bytes), &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  worker = json_array_get_object_element (json_node_get_array (node), 0);
  /* the controls are still there, escaped, for a program to see */
  g_assert_true (g_str_has_prefix (json_object_get_string_member (worker, "name"), "Alpha\033[2JBravo\033]0;pwned-title\007"));
}

static void
test_terminal_news (void)
{
  g_autoptr(Hostile) h = hostile_start ("job");
  g_auto(HordeTestCliResult) r = { 0 };

  run_horde (&r, h, "news", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_terminal_safe (r.out_bytes);
  assert_terminal_safe (r.err_bytes);
  assert_words_survive (r.out_bytes);
  g_assert_cmpuint (count_lines (r.out_bytes), ==, 2);
}

/* the server's error message, on the one error line */
static void
test_terminal_error (void)
{
  g_autoptr(Hostile) h = hostile_start ("job");
  g_auto(HordeTestCliResult) r = { 0 };

  run_horde (&r, h, "user", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (r.out_bytes), ==, 0);
  assert_terminal_safe (r.err_bytes);
  assert_words_survive (r.err_bytes);
  g_assert_true (g_str_has_prefix (text_of (r.err_bytes), "horde: error:"));
  g_assert_cmpuint (count_lines (r.err_bytes), ==, 1);
}

/* an error the client knows only by its HTTP reason phrase, which may be
 * any bytes */
static void
test_terminal_error_reason (void)
{
  g_autoptr(Hostile) h = hostile_start ("job");
  g_auto(HordeTestCliResult) r = { 0 };

  run_horde (&r, h, "status", NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpuint (g_bytes_get_size (r.out_bytes), ==, 0);
  assert_terminal_safe (r.err_bytes);
  assert_these_words_survive (r.err_bytes, reason_words);
  g_assert_true (g_str_has_prefix (text_of (r.err_bytes), "horde: error:"));
  g_assert_cmpuint (count_lines (r.err_bytes), ==, 1);
}

/* a job id that is all of it: in the saved file's path, and in the line
 * about the request of a job that failed */
static void
test_terminal_generate (void)
{
  g_autoptr(Hostile) h = hostile_start (HOSTILE_TEXT);
  g_autofree char *root = g_dir_make_tmp ("horde-hostile-XXXXXX", NULL);
  g_autofree char *tree = NULL;

  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_horde (&r, h, "generate", "a fox", "-o", root, NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_terminal_safe (r.out_bytes);
    assert_terminal_safe (r.err_bytes);
    g_assert_cmpuint (count_lines (r.out_bytes), ==, 1);
    g_assert_true (g_str_has_prefix (text_of (r.out_bytes), root));
    g_assert_nonnull (strstr (text_of (r.out_bytes), "Alpha_[2JBravo_]0;pwned-title_Charlie_[6nDelta_Echo_2JFoxtrot_Golf-0.webp\n"));
  }
  tree = tree_of (root);
  g_assert_null (strchr (tree, ' '));
  g_assert_cmpstr (tree, ==, "Alpha_[2JBravo_]0;pwned-title_Charlie_[6nDelta_Echo_2JFoxtrot_Golf-0.webp");

  h->faulted = TRUE;
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_horde (&r, h, "generate", "a fox", "-o", root, NULL);
    g_assert_cmpint (r.status, ==, 1);
    assert_terminal_safe (r.out_bytes);
    assert_terminal_safe (r.err_bytes);
    assert_words_survive (r.err_bytes);
  }

  remove_tree (root);
}

/* In a locale that is not UTF-8, what is not ASCII becomes ? */
static void
test_terminal_ascii_locale (void)
{
  g_autoptr(Hostile) h = hostile_start ("job");
  g_auto(HordeTestCliResult) r = { 0 };
  gsize length = 0;
  const guint8 *data;

  run_horde_ascii (&r, h, "news", NULL);
  g_assert_cmpint (r.status, ==, 0);
  assert_terminal_safe (r.out_bytes);
  assert_words_survive (r.out_bytes);
  data = g_bytes_get_data (r.out_bytes, &length);
  for (gsize i = 0; i < length; i++)
    g_assert_cmpuint (data[i], <, 0x80);
}

/* A long message is not one line as long. (libhorde reads an error body
 * up to 64 KiB: a longer one is cut and no longer JSON, so its message
 * never reaches the CLI; test-hostile checks that. This body, with the
 * text as message and as rc, is 60 KB.) */
static void
test_terminal_long_message (void)
{
  g_autoptr(Hostile) h = hostile_start ("job");
  g_auto(HordeTestCliResult) r = { 0 };
  const char *err;

  g_free (h->text);
  h->text_length = 30 * 1000;
  h->text = g_malloc (h->text_length + 1);
  memset (h->text, 'x', h->text_length);
  memcpy (h->text, "Start of a long story ", strlen ("Start of a long story "));
  h->text[h->text_length] = '\0';

  run_horde (&r, h, "user", NULL);
  g_assert_cmpint (r.status, ==, 1);
  err = text_of (r.err_bytes);
  g_assert_cmpuint (count_lines (r.err_bytes), ==, 1);
  g_assert_true (g_str_has_prefix (err, "horde: error:"));
  g_assert_cmpuint (g_bytes_get_size (r.err_bytes), <=, 1200);
  /* what a person reads first is there, and a mark that there was more */
  g_assert_nonnull (strstr (err, "Start of a long story xxx"));
  g_assert_true (g_str_has_suffix (err, "xxx…\n"));
}

/* Names of a megabyte, with a line break: each row of a table stays one
 * line of a sensible length, and so does its padding */
static void
test_terminal_long_names (void)
{
  g_autoptr(Hostile) h = hostile_start ("job");
  const char *start = "Name\nwith a line break ";

  g_free (h->text);
  h->text_length = 1024 * 1024;
  h->text = g_malloc (h->text_length + 1);
  memset (h->text, 'y', h->text_length);
  memcpy (h->text, start, strlen (start));
  h->text[h->text_length] = '\0';

  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_horde (&r, h, "workers", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_terminal_safe (r.out_bytes);
    g_assert_cmpuint (count_lines (r.out_bytes), ==, 2);
    g_assert_cmpuint (g_bytes_get_size (r.out_bytes), <, 4096);
    g_assert_nonnull (strstr (text_of (r.out_bytes), "Name with a line break yyy"));
    g_assert_nonnull (strstr (text_of (r.out_bytes), "yyy…"));
  }
  {
    g_auto(HordeTestCliResult) r = { 0 };

    run_horde (&r, h, "styles", NULL);
    g_assert_cmpint (r.status, ==, 0);
    assert_terminal_safe (r.out_bytes);
    g_assert_cmpuint (count_lines (r.out_bytes), ==, 3);
    g_assert_cmpuint (g_bytes_get_size (r.out_bytes), <, 8192);
    g_assert_nonnull (strstr (text_of (r.out_bytes), "Name with a line break yyy"));
    g_assert_nonnull (strstr (text_of (r.out_bytes), "plain"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/file-name/sanitize", test_sanitize_file_name);
  g_test_add_func ("/file-name/length", test_sanitize_file_name_length);
  g_test_add_func ("/cli-hostile/generate/traversal", test_generate_traversal);
  g_test_add_func ("/cli-hostile/generate/planted-symlink", test_generate_planted_symlink);
  g_test_add_func ("/cli-hostile/terminal/workers", test_terminal_workers);
  g_test_add_func ("/cli-hostile/terminal/workers-json", test_terminal_workers_json);
  g_test_add_func ("/cli-hostile/terminal/news", test_terminal_news);
  g_test_add_func ("/cli-hostile/terminal/error", test_terminal_error);
  g_test_add_func ("/cli-hostile/terminal/error-reason", test_terminal_error_reason);
  g_test_add_func ("/cli-hostile/terminal/generate", test_terminal_generate);
  g_test_add_func ("/cli-hostile/terminal/ascii-locale", test_terminal_ascii_locale);
  g_test_add_func ("/cli-hostile/terminal/long-message", test_terminal_long_message);
  g_test_add_func ("/cli-hostile/terminal/long-names", test_terminal_long_names);

  return g_test_run ();
}
