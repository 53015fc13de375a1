/* getting-started.vala: horde_sdk's "Getting Started" page, in Vala
 *
 * Asks for two 512×768 images of a cat in a hat and saves the first one
 * in the current folder (cat-in-a-hat.webp), as horde_sdk's
 * AIHordeAPISimpleClient does; on a failure, Ctrl+C or SIGTERM the request
 * is deleted on the server. The server and the key come from
 * $AI_HORDE_URL and $AI_HORDE_API_KEY (default: the public AI Horde and
 * the anonymous key). The README's Vala getting-started is this file.
 *
 *   valac --pkg libhorde-1 getting-started.vala
 *
 * Copyright 2026 The Horde Studio authors
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

async int main () {
    var client = new Horde.Client ();   /* AIHordeAPISimpleClient() */

    try {
        /* ImageGenerationInputPayload(width=512, height=768, ...) */
        var params = new Horde.ModelGenerationInputStableBuilder ();
        params.set_width (512);
        params.set_height (768);
        params.set_sampler_name_enum (Horde.Sampler.K_EULER_A);
        params.set_clip_skip (1);
        params.set_n (2);
        /* ImageGenerateAsyncRequest(prompt=..., models=..., params=...); the key is the client's */
        var builder = new Horde.ImageGenerateAsyncRequestBuilder ();
        builder.set_prompt ("A cat in a hat");
        builder.set_models ({ "Deliberate" });
        builder.set_params (params.end ());
        builder.set_nsfw (false);   /* left out, the Horde takes nsfw as true */
        var request = builder.end ();

        /* ImageGenerateAsyncRequest.get_success_response_type() */
        assert (request.get_success_response_type () == typeof (Horde.RequestAsync));

        /* simple_client.image_generate_request(): submit, wait, fetch the
         * images; Ctrl+C and SIGTERM cancel, and the job then deletes its
         * request */
        var cancellable = new Cancellable ();
        foreach (var signum in new ProcessSignal[] { ProcessSignal.INT, ProcessSignal.TERM })
            Unix.signal_add (signum, () => { cancellable.cancel (); return Source.CONTINUE; });
        var job = new Horde.ImageJob (client, request);
        yield job.run_async (cancellable);

        /* the first image, as the server sent it (WebP) */
        var image = (Horde.GeneratedImage) job.get_images ().get_item (0);
        var path = "cat-in-a-hat." + image.get_extension ();
        image.save (path);
        print ("%s\n", path);
        return 0;
    } catch (Error error) {
        try {
            yield client.clean_up_async (null);   /* nothing left behind */
        } catch (Error ignored) {
        }
        printerr ("getting-started: %s\n", error.message);
        return 1;
    }
}
