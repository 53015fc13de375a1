#!/usr/bin/gjs -m
// cancel-job.js: submit an image request, then cancel it
//
// Runs an image job and cancels it as soon as the server has accepted the
// request (the job has an id). Cancelling a job deletes the request on the
// server (DELETE /v2/generate/status/{id}), which stops the spending of
// kudos, and keeps the images finished before; this program prints what was
// kept. A timeout (job.set_timeout()) and a faulted request end the same way.
//
// The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
// (default: the public AI Horde and the anonymous key).
//
//   gjs -m cancel-job.js "a lighthouse at dusk"
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Horde from 'gi://Horde?version=1.0';
import System from 'system';

Gio._promisify(Horde.ImageJob.prototype, 'run_async', 'run_finish');

function buildRequest(prompt) {
    const params = Horde.ModelGenerationInputStableBuilder.new();
    params.set_width(512);
    params.set_height(512);
    params.set_n(4);

    const builder = Horde.ImageGenerateAsyncRequestBuilder.new();
    builder.set_prompt(prompt);
    builder.set_params(params.end());
    // say what you want: left out, the Horde takes nsfw (and censor_nsfw)
    // as true, and workers that make only safe-for-work images skip it
    builder.set_nsfw(false);
    return builder.end();
}

async function main(args) {
    if (args.length > 1) {
        printerr('Usage: cancel-job.js [PROMPT]');
        return 2;
    }

    const client = Horde.Client.new();
    const job = Horde.ImageJob.new(client, buildRequest(args[0] ?? 'a lighthouse at dusk, oil painting'));
    const cancellable = new Gio.Cancellable();

    // The id arrives with the server's answer to the submission: from now on
    // the request is on the server, and cancelling must delete it there.
    job.connect('notify::id', () => {
        print(`Submitted request ${job.get_id()}`);
        print('Cancelling it');
        cancellable.cancel(); // the same as job.cancel()
    });

    // the run ends once the server has answered the DELETE
    try {
        await job.run_async(cancellable);
        // too late: the request was done before the cancel reached it
        print('The request finished before it could be cancelled');
        return 0;
    } catch (e) {
        if (!e.matches?.(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED))
            throw e;
    }

    // on-server stays true when the DELETE did not get through: the request
    // may then run on the server until it expires
    if (job.get_on_server())
        throw new Error(`request ${job.get_id()} could not be deleted on the server`);

    const images = job.get_images();
    print(`Cancelled: the server deleted request ${job.get_id()}; ${images.get_n_items()} images kept`);
    for (let i = 0; i < images.get_n_items(); i++) {
        const image = images.get_item(i);
        print(`  kept an image of seed ${image.get_seed()} (${image.get_mime_type()})`);
    }
    return 0;
}

// gjs 1.74 keeps a processor busy while a top-level `await` waits: run a
// main loop around an async main() instead.
const loop = new GLib.MainLoop(null, false);
let exitStatus = 1;
main(System.programArgs)
    .then(status => (exitStatus = status))
    .catch(e => printerr(`cancel-job: ${e.message}`))
    .finally(() => loop.quit());
loop.run();
System.exit(exitStatus);
