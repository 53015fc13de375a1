#!/usr/bin/gjs -m
// getting-started.js: horde_sdk's "Getting Started" page, in gjs
//
// Asks for two 512×768 images of a cat in a hat and saves the first one in
// the current folder (cat-in-a-hat.webp), as horde_sdk's
// AIHordeAPISimpleClient does; on a failure, Ctrl+C or SIGTERM the request
// is deleted on the server. The server and the key come from
// $AI_HORDE_URL and $AI_HORDE_API_KEY (default: the public AI Horde and the
// anonymous key). The README's gjs getting-started is this file.
//
//   gjs -m getting-started.js
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Horde from 'gi://Horde?version=1.0';
import System from 'system';

// the _async methods return promises (the subclass's first)
for (const klass of [Horde.ImageJob, Horde.Job])
    Gio._promisify(klass.prototype, 'run_async', 'run_finish');
Gio._promisify(Horde.Client.prototype, 'clean_up_async', 'clean_up_finish');

async function main() {
    const client = Horde.Client.new();   // AIHordeAPISimpleClient()

    // ImageGenerationInputPayload(width=512, height=768, ...)
    const params = Horde.ModelGenerationInputStableBuilder.new();
    params.set_width(512);
    params.set_height(768);
    params.set_sampler_name_enum(Horde.Sampler.K_EULER_A);
    params.set_clip_skip(1);
    params.set_n(2);
    // ImageGenerateAsyncRequest(prompt=..., models=..., params=...); the key is the client's
    const builder = Horde.ImageGenerateAsyncRequestBuilder.new();
    builder.set_prompt('A cat in a hat');
    builder.set_models(['Deliberate']);
    builder.set_params(params.end());
    builder.set_nsfw(false);   // left out, the Horde takes nsfw as true
    const request = builder.end();

    // ImageGenerateAsyncRequest.get_success_response_type()
    if (request.get_success_response_type() !== Horde.RequestAsync.$gtype)
        throw new Error('not the answer horde_sdk expects');

    // simple_client.image_generate_request(): submit, wait, fetch the images;
    // Ctrl+C and SIGTERM cancel, and the job then deletes its request
    const cancellable = new Gio.Cancellable();
    for (const signal of [2, 15]) {   // SIGINT, SIGTERM
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal, () => {
            cancellable.cancel();
            return GLib.SOURCE_CONTINUE;
        });
    }
    const job = Horde.ImageJob.new(client, request);
    try {
        await job.run_async(cancellable);
    } catch (e) {
        await client.clean_up_async(null);   // nothing left behind
        throw e;
    }

    // the first image, as the server sent it (WebP)
    const image = job.get_images().get_item(0);
    const path = `cat-in-a-hat.${image.get_extension()}`;
    image.save(path);
    print(path);
}

// gjs 1.74 keeps a processor busy while a top-level `await` waits: run a
// main loop around an async main() instead
const loop = new GLib.MainLoop(null, false);
let status = 1;
main().then(() => (status = 0))
    .catch(e => printerr(`getting-started: ${e.message}`))
    .finally(() => loop.quit());
loop.run();
System.exit(status);
