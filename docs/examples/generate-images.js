#!/usr/bin/gjs -m
// generate-images.js: make two images from a prompt and save them
//
// Submits an image request with a few parameters, shows its progress on
// stderr as the job polls the server, and saves each image in DIRECTORY,
// printing the file names on stdout, one a line.
//
// A Horde.ImageJob does the whole dance: POST /v2/generate/async, polls of
// /v2/generate/check/{id} at a pace that follows the server's estimate, one
// GET /v2/generate/status/{id} when done, then the downloads and decoding.
//
// The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
// (default: the public AI Horde and the anonymous key).
//
//   gjs -m generate-images.js images/ "a lighthouse at dusk"
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Horde from 'gi://Horde?version=1.0';
import System from 'system';

Gio._promisify(Horde.ImageJob.prototype, 'run_async', 'run_finish');

const STATES = {
    [Horde.JobState.NEW]: 'new',
    [Horde.JobState.SUBMITTING]: 'submitting',
    [Horde.JobState.WAITING]: 'waiting',
    [Horde.JobState.PROCESSING]: 'processing',
    [Horde.JobState.DOWNLOADING]: 'downloading',
    [Horde.JobState.CANCELLING]: 'cancelling',
    [Horde.JobState.DONE]: 'done',
    [Horde.JobState.CANCELLED]: 'cancelled',
    [Horde.JobState.FAILED]: 'failed',
};

function buildRequest(prompt) {
    // The generation parameters: only what is set is sent, and end() checks
    // the values against the API (sizes in steps of 64, and so on).
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
    return builder.end();
}

// Called when any property of the job changes: its state, and after each
// poll the queue position, the time left and the counts of images. A user
// interface would bind these properties to widgets instead.
let lastProgress = null;
function showProgress(job) {
    const state = job.get_state();
    let line = STATES[state];
    // the counts are the server's, from its last answer to a poll
    if ((state === Horde.JobState.WAITING || state === Horde.JobState.PROCESSING) &&
        job.get_last_check() !== null) {
        line += `: queue position ${job.get_queue_position()}, about ${job.get_wait_time()} s left, ` +
                `${job.get_finished()} finished, ${job.get_processing()} processing, ` +
                `${job.get_waiting()} waiting`;
    }
    // several properties change at each poll: print a line once
    if (line !== lastProgress) {
        printerr(line);
        lastProgress = line;
    }
}

async function main(args) {
    if (args.length < 1 || args.length > 2) {
        printerr('Usage: generate-images.js DIRECTORY [PROMPT]');
        return 2;
    }
    const [directory, prompt = 'a lighthouse at dusk, oil painting'] = args;

    const request = buildRequest(prompt);
    if (GLib.mkdir_with_parents(directory, 0o755) !== 0)
        throw new Error(`cannot make ${directory}`);

    const client = Horde.Client.new();
    const job = Horde.ImageJob.new(client, request);
    job.connect('notify', showProgress);

    // Cancelling a Gio.Cancellable given here would delete the request on
    // the server: see cancel-job.js
    let error = null;
    try {
        await job.run_async(null);
    } catch (e) {
        error = e;
    }

    // The images are in the job, in the order of the request's generations.
    // After a failure, those that arrived are there too: save them all.
    let status = 0;
    const images = job.get_images();
    for (let i = 0; i < images.get_n_items(); i++) {
        const image = images.get_item(i);
        // the id is the server's word: made a safe file name first
        const name = Horde.sanitize_file_name(job.get_id(), -1);
        const path = GLib.build_filenamev([directory, `${name}-${i}.${image.get_extension()}`]);
        // the bytes as the server sent them (WebP, as a rule); the decoded
        // image is image.get_pixbuf()
        try {
            image.save(path);
            print(path);
        } catch (e) {
            printerr(`generate-images: ${e.message}`);
            status = 1;
        }
    }

    if (error)
        throw error;
    return status;
}

// gjs 1.74 keeps a processor busy while a top-level `await` waits: run a
// main loop around an async main() instead.
const loop = new GLib.MainLoop(null, false);
let exitStatus = 1;
main(System.programArgs)
    .then(status => (exitStatus = status))
    .catch(e => printerr(`generate-images: ${e.message}`))
    .finally(() => loop.quit());
loop.run();
System.exit(exitStatus);
