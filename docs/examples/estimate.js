#!/usr/bin/gjs -m
// estimate.js: what would an image request cost?
//
// Sends an image request as a dry run: the server prices it in kudos and
// queues nothing. The request is the one generate-images.js sends.
//
// A request knows the type of each successful answer: POST /v2/generate/async
// answers 202 with {id, kudos} for a real request and 200 with {kudos} for a
// dry run; both are a Horde.RequestAsync, without an id for the dry run.
// (Horde.ImageJob has a shortcut for the same: job.estimate_async().)
//
// The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
// (default: the public AI Horde and the anonymous key).
//
//   gjs -m estimate.js "a lighthouse at dusk"
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Horde from 'gi://Horde?version=1.0';
import System from 'system';

Gio._promisify(Horde.Client.prototype,
    'send_image_generate_async_request_async', 'send_image_generate_async_request_finish');

function buildDryRun(prompt) {
    const params = Horde.ModelGenerationInputStableBuilder.new();
    params.set_width(512);
    params.set_height(512);
    params.set_steps(20);
    params.set_sampler_name('k_euler_a');
    params.set_n(2);

    const builder = Horde.ImageGenerateAsyncRequestBuilder.new();
    builder.set_prompt(prompt);
    builder.set_models(['Deliberate']);
    builder.set_params(params.end());
    // say what you want: left out, the Horde takes nsfw (and censor_nsfw)
    // as true, and workers that make only safe-for-work images skip it
    builder.set_nsfw(false);
    // price it, do not make it
    builder.set_dry_run(true);
    return builder.end();
}

async function main(args) {
    if (args.length > 1) {
        printerr('Usage: estimate.js [PROMPT]');
        return 2;
    }

    const client = Horde.Client.new();
    const request = buildDryRun(args[0] ?? 'a lighthouse at dusk, oil painting');
    // a request the server refuses (too large for the anonymous key, say)
    // throws here as it would for real: Horde.Error.FORBIDDEN…
    const answer = await client.send_image_generate_async_request_async(request, null);
    print(`This request would cost ${answer.get_kudos().toFixed(2)} kudos.`);
    return 0;
}

// gjs 1.74 keeps a processor busy while a top-level `await` waits: run a
// main loop around an async main() instead.
const loop = new GLib.MainLoop(null, false);
let exitStatus = 1;
main(System.programArgs)
    .then(status => (exitStatus = status))
    .catch(e => printerr(`estimate: ${e.message}`))
    .finally(() => loop.quit());
loop.run();
System.exit(exitStatus);
