#!/usr/bin/gjs -m
// test-cleanup.js: the clean-up contract from JavaScript (gjs): awaiting a
// job's run and a client's clean_up_async(), which deletes every request
// but the kept ones and resolves to their ids, against horde-sim.
//
// gjs 1.74 (Debian 12) does not make promises of _async/_finish pairs by
// itself: Gio._promisify() does, once per method (harness.js does it for
// the jobs' run_async; clean_up_async is done here as an application does).
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Horde from 'gi://Horde?version=1.0';
import Soup from 'gi://Soup?version=3.0';

import { assert, run, simJobCount } from './harness.js';

Gio._promisify(Horde.Client.prototype, 'clean_up_async', 'clean_up_finish');

function request() {
    const params = Horde.ModelGenerationInputStableBuilder.new();
    params.set_width(512);
    params.set_height(512);
    const builder = Horde.ImageGenerateAsyncRequestBuilder.new();
    builder.set_prompt('A lighthouse');
    builder.set_params(params.end());
    return builder.end();
}

// the sim's workers stop (or go on) taking requests
function pause(url, paused) {
    const session = new Soup.Session();
    const msg = Soup.Message.new('POST', `${url.slice(0, -'/api'.length)}/_sim/control`);
    msg.set_request_body_from_bytes('application/json',
        new GLib.Bytes(new TextEncoder().encode(JSON.stringify({ paused }))));
    session.send_and_read(msg, null);
    assert(msg.get_status() === Soup.Status.OK, `control: HTTP ${msg.get_status()}`);
}

function waiting(job) {
    return new Promise(resolve => {
        const handler = job.connect('notify::state', () => {
            if (job.get_state() !== Horde.JobState.WAITING)
                return;
            job.disconnect(handler);
            resolve();
        });
    });
}

async function testAwaitRun(client) {
    const job = Horde.ImageJob.new(client, request());
    const ok = await job.run_async(null);
    assert(ok === true, `run resolved to ${ok}`);
    assert(job.get_state() === Horde.JobState.DONE, 'done');
    assert(job.get_images().get_n_items() === 1, 'one image');
    // nothing left to delete: an empty list
    const ids = await client.clean_up_async(null);
    assert(Array.isArray(ids) && ids.length === 0, `nothing deleted, got ${ids}`);
    print('ok 1 - await job.run_async()');
}

async function testAwaitCleanUp(client, url) {
    pause(url, true);
    const gone = Horde.ImageJob.new(client, request());
    const kept = Horde.ImageJob.new(client, request());
    const runs = [gone, kept].map(job => job.run_async(null).catch(e => e));
    await Promise.all([waiting(gone), waiting(kept)]);
    kept.keep = true;

    const ids = await client.clean_up_async(null);
    assert(ids.length === 1 && ids[0] === gone.get_id(), `deleted ${ids}`);
    const error = await runs[0];
    assert(error instanceof GLib.Error && error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED),
        `the cleaned-up run ended with ${error}`);
    assert(simJobCount(url, gone.get_id(), 'delete') === 1, 'DELETE of the cleaned-up request');
    assert(simJobCount(url, kept.get_id(), 'delete') === 0, 'no DELETE of the kept request');
    assert(kept.get_on_server() && client.get_n_jobs() === 1, 'the kept request stays');

    // the kept one runs to its end once the workers come back
    pause(url, false);
    assert(await runs[1] === true, 'the kept job finished');
    print(`ok 2 - await client.clean_up_async(): ${ids}`);
}

run(['--speed', '20'], 60, [testAwaitRun, testAwaitCleanUp]);
