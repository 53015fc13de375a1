#!/usr/bin/gjs -m
// test-alchemy-job.js: the alchemy job from JavaScript (gjs) through
// GObject introspection, against horde-sim: forms in, typed results out
// (caption, interrogation tags, nsfw verdict, post-processed image), with
// its progress notifications; a cancel that deletes the server request and
// keeps the forms finished before; and no estimate, since the Horde has no
// dry run for alchemy. The same contract as test-alchemy-job.py, in gjs's
// asynchronous style (promisified _async/_finish pairs and a main loop).
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import GdkPixbuf from 'gi://GdkPixbuf?version=2.0';
import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Horde from 'gi://Horde?version=1.0';

import { assert, run, runAndCancel, simJobCount, simStats, watch } from './harness.js';

// a 64×48 PNG, base64
function sourceImage() {
    const pixbuf = GdkPixbuf.Pixbuf.new(GdkPixbuf.Colorspace.RGB, false, 8, 64, 48);
    pixbuf.fill(0x3366ccff);
    const [ok, png] = pixbuf.save_to_bufferv('png', [], []);
    assert(ok, 'a PNG');
    return GLib.base64_encode(png);
}

function request(...names) {
    const forms = names.map(name => {
        const form = Horde.ModelInterrogationFormStableBuilder.new();
        form.set_name(name);
        return form.end();
    });
    const builder = Horde.AlchemyAsyncRequestBuilder.new();
    builder.set_forms(forms);
    builder.set_source_image(sourceImage());
    return builder.end();
}

function results(job) {
    const model = job.get_results();
    const list = [];
    for (let i = 0; i < model.get_n_items(); i++)
        list.push(model.get_item(i));
    return list;
}

async function testJob(client, url) {
    const job = Horde.AlchemyJob.new(client, request('caption', 'interrogation', 'nsfw', 'RealESRGAN_x2plus'));
    assert(job instanceof Horde.Job, 'a Horde.Job');
    const seen = watch(job);

    assert(await job.run_async(null), 'run_async');
    assert(job.get_state() === Horde.JobState.DONE, `done, got ${job.get_state()}`);
    assert(seen.states[0] === Horde.JobState.SUBMITTING, `first state, got ${seen.states}`);
    assert(seen.states[seen.states.length - 1] === Horde.JobState.DONE, `last state, got ${seen.states}`);
    assert(seen.finished === 4, `finished notified up to 4, got ${seen.finished}`);
    assert(job.finished === 4, 'four forms finished');
    assert(!job.on_server, 'off the server');

    const list = results(job);
    assert(list.every(r => r instanceof Horde.AlchemyResult && r.get_done()), 'four results, done');
    assert(list.map(r => r.get_form()).join() === 'caption,interrogation,nsfw,RealESRGAN_x2plus',
        `the forms in order, got ${list.map(r => r.get_form())}`);
    const [caption, interrogation, nsfw, upscale] = list;

    assert(caption.get_caption()?.length > 0, 'a caption');
    assert(caption.get_image() === null && !caption.has_nsfw(), 'a caption only');

    const tags = interrogation.dup_tags();
    assert(Array.isArray(tags) && tags.length >= 1 && tags.every(t => t.length > 0), `tags, got ${tags}`);
    assert(interrogation.get_interrogation() !== null, 'the interrogation as JSON');
    assert(interrogation.get_caption() === null, 'no caption in an interrogation');

    assert(nsfw.has_nsfw(), 'an nsfw verdict');
    assert(typeof nsfw.get_nsfw() === 'boolean', 'a boolean verdict');
    assert(nsfw.dup_tags() === null, 'no tags in an nsfw verdict');

    // the post-processor's image, downloaded and decoded
    assert(upscale.get_image_url(), 'an image URL');
    const image = upscale.get_image();
    assert(image instanceof Horde.GeneratedImage, 'a Horde.GeneratedImage');
    assert(image.get_mime_type() === 'image/webp', `WebP, got ${image.get_mime_type()}`);
    const pixbuf = image.get_pixbuf();
    assert(pixbuf.get_width() > 64 && pixbuf.get_height() > 48,
        `upscaled, got ${pixbuf.get_width()}×${pixbuf.get_height()}`);

    assert(simJobCount(url, job.get_id(), 'delete') === 0, 'a finished job is not deleted');
    print(`ok 1 - alchemy job: caption "${caption.get_caption()}", ${tags.length} tags, ` +
        `nsfw ${nsfw.get_nsfw()}, ${pixbuf.get_width()}×${pixbuf.get_height()} image`);
}

async function testCancel(client, url) {
    // one alchemist, two seconds a form: the forms finish 2, 4 and 6 s
    // after the submission; cancelled at 3 s, one is done, two are not
    const job = Horde.AlchemyJob.new(client, request('caption', 'interrogation', 'nsfw'));
    const seen = watch(job);

    await runAndCancel(job, 3000);
    assert(job.get_state() === Horde.JobState.CANCELLED, `cancelled, got ${job.get_state()}`);
    assert(seen.states[seen.states.length - 1] === Horde.JobState.CANCELLED, `last state, got ${seen.states}`);
    assert(simJobCount(url, job.get_id(), 'delete') === 1, 'the sim saw one DELETE');
    assert(!job.on_server, 'off the server');

    // every form has its result; the finished ones with their content
    const list = results(job);
    assert(list.length === 3, `three results, got ${list.length}`);
    const done = list.filter(r => r.get_done());
    assert(done.length >= 1 && done.length < 3, `some forms kept, got ${done.length}`);
    assert(list.filter(r => !r.get_done()).every(r => r.get_state() === 'cancelled'), 'the rest cancelled');
    assert(list[0].get_caption()?.length > 0, 'the caption kept');
    assert(client.get_n_jobs() === 0, 'the client tracks no job');
    print(`ok 2 - cancelled alchemy job: DELETE seen, ${done.length} of 3 forms kept`);
}

async function testNoEstimate(client, url) {
    const before = simStats(url).requests.by_route['POST /api/v2/interrogate/async'] ?? 0;
    const job = Horde.AlchemyJob.new(client, request('caption'));
    try {
        await job.estimate_async(null);
        throw new Error('an alchemy job was estimated');
    } catch (e) {
        if (!(e instanceof GLib.Error) || !e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.NOT_SUPPORTED))
            throw e;
        assert(e.message.includes('dry run'), `says why, got ${e.message}`);
    }
    const after = simStats(url).requests.by_route['POST /api/v2/interrogate/async'] ?? 0;
    assert(after === before, 'nothing sent');
    assert(job.get_state() === Horde.JobState.NEW, 'the job is still new');
    print('ok 3 - alchemy estimate: not supported, nothing sent');
}

run(['--job-time', '2000'], 90, [testJob, testCancel, testNoEstimate]);
