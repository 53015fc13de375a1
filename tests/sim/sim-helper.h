/* sim-helper.h: run horde-sim and talk to it, for the sim tests
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define SIM_ANON "0000000000"

typedef struct {
  GSubprocess *process;
  char        *base_url;   /* http://127.0.0.1:PORT/api */
  char        *root;       /* http://127.0.0.1:PORT */
  SoupSession *session;
} Sim;

typedef struct {
  guint               status;     /* 0 when the request failed */
  GError             *error;
  GBytes             *body;
  JsonNode           *json;       /* NULL when the body is not JSON */
  SoupMessageHeaders *headers;
  double              seconds;
} SimReply;

Sim        *sim_start            (const char  *first_arg,
                                  ...) G_GNUC_NULL_TERMINATED;
Sim        *sim_startv           (const char * const *args);
void        sim_stop             (Sim         *sim);
int         sim_run_failing      (const char * const *args,
                                  char       **stderr_text);
char       *sim_write_users      (const char  *json);

SimReply   *sim_request          (Sim         *sim,
                                  const char  *method,
                                  const char  *path,
                                  const char  *apikey,
                                  const char  *body);
SimReply   *sim_request_session  (Sim         *sim,
                                  SoupSession *session,
                                  const char  *method,
                                  const char  *path,
                                  const char  *apikey,
                                  const char  *body);
void        sim_reply_free       (SimReply    *reply);
JsonObject *sim_reply_object     (SimReply    *reply);
const char *sim_reply_rc         (SimReply    *reply);
void        sim_assert_error     (SimReply    *reply,
                                  guint        status,
                                  const char  *rc);

char       *sim_submit           (Sim         *sim,
                                  const char  *path,
                                  const char  *apikey,
                                  const char  *body);
JsonObject *sim_wait_done        (Sim         *sim,
                                  const char  *status_path,
                                  const char  *id);
JsonObject *sim_get_object       (Sim         *sim,
                                  const char  *path);
JsonObject *sim_post_object      (Sim         *sim,
                                  const char  *path,
                                  const char  *apikey,
                                  const char  *body);
JsonObject *sim_check            (Sim         *sim,
                                  const char  *id);
guint       sim_put              (Sim         *sim,
                                  const char  *url,
                                  const char  *content_type,
                                  GBytes      *bytes);
GBytes     *sim_make_webp        (int          width,
                                  int          height,
                                  guint8       red);
double      sim_user_kudos       (Sim         *sim,
                                  const char  *apikey);
GBytes     *sim_image_bytes      (Sim         *sim,
                                  JsonObject  *generation);
gboolean    sim_webp_size        (GBytes      *bytes,
                                  int         *width,
                                  int         *height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimReply, sim_reply_free)

G_END_DECLS
