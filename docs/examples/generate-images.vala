/* generate-images.vala: make two images from a prompt and save them
 *
 * The Vala twin of generate-images.c: submits an image request with a few
 * parameters, shows its progress on stderr as the job polls the server,
 * and saves each image in DIRECTORY, printing the file names on stdout,
 * one a line.
 *
 * A Horde.ImageJob does the whole dance: POST /v2/generate/async, polls of
 * /v2/generate/check/{id} at a pace that follows the server's estimate,
 * one GET /v2/generate/status/{id} when done, then the downloads and
 * decoding.
 *
 * The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
 * (default: the public AI Horde and the anonymous key).
 *
 *   valac --pkg libhorde-1 generate-images.vala
 *   ./generate-images images/ "a lighthouse at dusk"
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

Horde.ImageGenerateAsyncRequest build_request (string prompt) throws Error {
    /* The generation parameters: only what is set is sent, and end() checks
     * the values against the API (sizes in steps of 64, and so on). */
    var params = new Horde.ModelGenerationInputStableBuilder ();
    params.set_width (512);
    params.set_height (512);
    params.set_steps (20);
    params.set_sampler_name ("k_euler_a");
    params.set_n (2);

    var builder = new Horde.ImageGenerateAsyncRequestBuilder ();
    builder.set_prompt (prompt);
    builder.set_models ({ "Deliberate" });
    builder.set_params (params.end ());
    /* say what you want: left out, the Horde takes nsfw as true, and
     * workers that make only safe-for-work images skip it */
    builder.set_nsfw (false);
    return builder.end ();
}

string? last_progress = null;

/* Called when any property of the job changes: its state, and after each
 * poll the queue position, the time left and the counts of images */
void show_progress (Horde.ImageJob job) {
    var state = job.get_state ();
    /* the nick of the state: "waiting", "processing", "done"… */
    var line = ((EnumClass) typeof (Horde.JobState).class_ref ()).get_value (state).value_nick;

    if ((state == Horde.JobState.WAITING || state == Horde.JobState.PROCESSING) &&
        job.get_last_check () != null)
        line += ": queue position %lld, about %lld s left, %lld finished, %lld processing, %lld waiting".printf (
            job.get_queue_position (), job.get_wait_time (),
            job.get_finished (), job.get_processing (), job.get_waiting ());
    /* several properties change at each poll: print a line once */
    if (line != last_progress) {
        printerr ("%s\n", line);
        last_progress = line;
    }
}

async int generate (string directory, string prompt) {
    Horde.ImageJob job;

    try {
        var request = build_request (prompt);
        if (DirUtils.create_with_parents (directory, 0755) != 0)
            throw new FileError.FAILED ("cannot make %s", directory);
        job = new Horde.ImageJob (new Horde.Client (), request);
    } catch (Error error) {
        printerr ("generate-images: %s\n", error.message);
        return 1;
    }
    job.notify.connect (() => show_progress (job));

    /* Cancelling a Cancellable given here would delete the request on the
     * server */
    Error? failure = null;
    try {
        yield job.run_async (null);
    } catch (Error error) {
        failure = error;
    }

    /* The images are in the job, in the order of the request's
     * generations; after a failure, those that arrived are there too */
    int status = 0;
    var images = job.get_images ();
    for (uint i = 0; i < images.get_n_items (); i++) {
        var image = (Horde.GeneratedImage) images.get_item (i);
        /* the id is the server's word: made a safe file name first */
        var name = Horde.sanitize_file_name (job.get_id (), -1);
        var path = Path.build_filename (directory, "%s-%u.%s".printf (name, i, image.get_extension ()));
        try {
            /* the bytes as the server sent them (WebP, as a rule) */
            image.save (path);
            print ("%s\n", path);
        } catch (Error error) {
            printerr ("generate-images: %s\n", error.message);
            status = 1;
        }
    }
    if (failure != null) {
        printerr ("generate-images: %s\n", failure.message);
        return 1;
    }
    return status;
}

int main (string[] args) {
    if (args.length < 2 || args.length > 3) {
        printerr ("Usage: generate-images DIRECTORY [PROMPT]\n");
        return 2;
    }
    Intl.setlocale (LocaleCategory.ALL, "");

    var loop = new MainLoop ();
    int status = 1;

    generate.begin (args[1], args.length > 2 ? args[2] : "a lighthouse at dusk, oil painting", (obj, result) => {
        status = generate.end (result);
        loop.quit ();
    });
    loop.run ();
    return status;
}
