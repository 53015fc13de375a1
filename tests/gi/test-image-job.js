#!/usr/bin/gjs -m
// test-image-job.js: libhorde from JavaScript (gjs) through GObject
// introspection: an image job run asynchronously against horde-sim.
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import GObject from 'gi://GObject';
import Horde from 'gi://Horde?version=1.0';

import { assert, run, watch } from './harness.js';

function request() {
    const params = Horde.ModelGenerationInputStableBuilder.new();
    params.set_width(512);
    params.set_height(768);
    params.set_sampler_name('k_euler_a');
    params.set_clip_skip(1);
    params.set_n(2);
    const builder = Horde.ImageGenerateAsyncRequestBuilder.new();
    builder.set_prompt('A cat in a hat');
    builder.set_models(['Deliberate']);
    builder.set_params(params.end());
    builder.set_r2(true);
    return builder.end();
}

// the manual call, with the response type the request names: gjs copies
// the boxed value out of the GValue, so the generic call works from here
async function testManualCall(client) {
    const req = request();
    const [ok, response] = client.send_sync(req, null);
    assert(ok, 'send_sync');
    assert(response instanceof Horde.RequestAsync, 'a RequestAsync');
    assert(GObject.type_name(req.get_success_response_type()) === 'HordeRequestAsync', 'response type');
    assert(response.get_id().length > 0, 'an id');
    print(`ok 1 - manual call: ${response.get_id()}`);
}

async function testJob(client) {
    const job = Horde.ImageJob.new(client, request());
    const seen = watch(job);
    assert(await job.run_async(null), 'run_async');
    assert(seen.states[0] === Horde.JobState.SUBMITTING, `first state, got ${seen.states}`);
    assert(seen.finished === 2, `finished notified up to 2, got ${seen.finished}`);
    const images = job.get_images();
    assert(images.get_n_items() === 2, `2 images, got ${images.get_n_items()}`);
    for (let i = 0; i < images.get_n_items(); i++) {
        const pixbuf = images.get_item(i).get_pixbuf();
        assert(pixbuf.get_width() === 512 && pixbuf.get_height() === 768, 'size');
    }
    assert(job.get_state() === Horde.JobState.DONE, 'done');
    print(`ok 2 - image job: ${images.get_n_items()} images from r2 URLs`);
}

run(['--job-time', '200'], 60, [testManualCall, testJob]);
