/* list-models.vala: which image models do workers serve right now?
 *
 * The Vala twin of list-models.c: asks the Horde for its image models
 * (GET /v2/status/models?type=image) and prints each with the number of
 * workers that serve it, the work queued for it (in megapixelsteps) and
 * the estimated wait, busiest models first.
 *
 * The server comes from $AI_HORDE_URL (default: the public AI Horde).
 *
 *   valac --pkg libhorde-1 list-models.vala
 *   ./list-models
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Most workers first; models with as many workers by name */
int compare_models (Horde.ActiveModel x, Horde.ActiveModel y) {
    if (x.get_count () != y.get_count ())
        return x.get_count () > y.get_count () ? -1 : 1;
    return strcmp (x.get_name (), y.get_name ());
}

async int list_models () {
    var client = new Horde.Client ();

    try {
        /* Requests with parameters are made with a builder, which checks
         * them against the API when it ends. The query parameter "type" is
         * called "kind" in libhorde. */
        var builder = new Horde.StatusModelsAllRequestBuilder ();
        builder.set_kind ("image");
        var request = builder.end ();

        /* libhorde's _async/_finish pairs are Vala async methods */
        var list = yield client.send_status_models_all_request_async (request, null);

        /* The items belong to the list, which is immutable; sort a copy */
        var models = new GenericArray<Horde.ActiveModel> ();
        foreach (unowned Horde.ActiveModel model in list.get_items ())
            models.add (model);
        models.sort (compare_models);

        print ("%-32s %7s %10s %6s\n", "MODEL", "WORKERS", "QUEUED", "ETA");
        for (uint i = 0; i < models.length; i++) {
            var model = models[i];
            print ("%-32s %7" + int64.FORMAT + " %10.0f %5" + int64.FORMAT + "s\n",
                   model.get_name (), model.get_count (), model.get_queued (), model.get_eta ());
        }
        print ("%u models\n", models.length);
        return 0;
    } catch (Error error) {
        printerr ("list-models: %s\n", error.message);
        return 1;
    }
}

int main () {
    /* print() and printerr() write in the charset of the user's locale */
    Intl.setlocale (LocaleCategory.ALL, "");

    var loop = new MainLoop ();
    int status = 1;

    list_models.begin ((obj, result) => {
        status = list_models.end (result);
        loop.quit ();
    });
    loop.run ();
    return status;
}
