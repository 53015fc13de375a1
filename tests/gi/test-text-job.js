#!/usr/bin/gjs -m
// test-text-job.js: the text job from JavaScript (gjs) through GObject
// introspection, against horde-sim: run to the end with its texts as typed
// generations and its progress notifications, the estimate (a dry run),
// and a cancel that deletes the server request and keeps the texts
// finished before. The same contract as test-text-job.py, in gjs's
// asynchronous style (promisified _async/_finish pairs and a main loop).
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Horde from 'gi://Horde?version=1.0';

import { assert, run, runAndCancel, simJobCount, simStats, watch } from './harness.js';

const TEXT_MODEL = 'koboldcpp/LLaMA2-13B-Psyfighter2';

function onceUponATime(n) {
    const params = Horde.ModelGenerationInputKoboldBuilder.new();
    params.set_n(n);
    params.set_max_length(32);
    const builder = Horde.TextGenerateAsyncRequestBuilder.new();
    builder.set_prompt('Once upon a time');
    builder.set_params(params.end());
    return builder.end();
}

async function testJob(client, url) {
    const job = Horde.TextJob.new(client, onceUponATime(2));
    assert(job instanceof Horde.Job, 'a Horde.Job');
    const seen = watch(job);

    assert(await job.run_async(null), 'run_async');
    assert(job.get_state() === Horde.JobState.DONE, `done, got ${job.get_state()}`);
    assert(seen.states[0] === Horde.JobState.SUBMITTING, `first state, got ${seen.states}`);
    assert(seen.states.includes(Horde.JobState.WAITING) || seen.states.includes(Horde.JobState.PROCESSING),
        `waited or processed, got ${seen.states}`);
    assert(seen.states[seen.states.length - 1] === Horde.JobState.DONE, `last state, got ${seen.states}`);
    assert(seen.finished === 2, `finished notified up to 2, got ${seen.finished}`);
    assert(seen.generationNotifies >= 1, 'n-generations notified');
    assert(!job.on_server, 'off the server');
    assert(job.kudos > 0, `kudos, got ${job.kudos}`);
    assert(job.n_generations === 2, `2 generations, got ${job.n_generations}`);

    const generations = job.get_generations();
    assert(generations.length === 2, `2 generations, got ${generations.length}`);
    for (const generation of generations) {
        assert(generation instanceof Horde.GenerationKobold, 'a Horde.GenerationKobold');
        assert(generation.get_text().length > 0, 'a text');
        assert(generation.get_model() === TEXT_MODEL, `the model, got ${generation.get_model()}`);
        assert(generation.get_worker_id(), 'a worker id');
    }
    const texts = job.dup_texts();
    assert(texts.length === 2 && texts.every((t, i) => t === generations[i].get_text()), 'dup_texts');
    assert(simJobCount(url, job.get_id(), 'delete') === 0, 'a finished job is not deleted');
    print(`ok 1 - text job: ${texts.length} texts, states ${seen.states.join(' ')}`);
}

async function testEstimate(client, url) {
    const jobsBefore = Object.keys(simStats(url).jobs).length;
    const job = Horde.TextJob.new(client, onceUponATime(2));
    // the promisified finish drops the leading true: [kudos] is left
    const [kudos] = await job.estimate_async(null);
    assert(typeof kudos === 'number' && kudos > 0, `a price, got ${kudos}`);
    const [ok, kudosOne] = Horde.Job.prototype.estimate_sync.call(
        Horde.TextJob.new(client, onceUponATime(1)), null);
    assert(ok === true, 'estimate_sync');
    assert(kudosOne > 0 && kudosOne < kudos, `one text costs less, got ${kudosOne} and ${kudos}`);
    assert(job.get_state() === Horde.JobState.NEW && job.get_id() === null, 'the job is still new');
    assert(Object.keys(simStats(url).jobs).length === jobsBefore, 'a dry run queued a request');
    print(`ok 2 - text estimate: ${kudos} kudos, nothing queued`);
}

async function testCancel(client, url) {
    // one text worker, two seconds a text: the texts finish 2, 4 and 6 s
    // after the submission; cancelled at 3 s, one is done and two are not
    const job = Horde.TextJob.new(client, onceUponATime(3));
    const seen = watch(job);

    await runAndCancel(job, 3000);
    assert(job.get_state() === Horde.JobState.CANCELLED, `cancelled, got ${job.get_state()}`);
    assert(seen.states[seen.states.length - 1] === Horde.JobState.CANCELLED, `last state, got ${seen.states}`);
    assert(simJobCount(url, job.get_id(), 'delete') === 1, 'the sim saw one DELETE');
    assert(!job.on_server, 'off the server');
    const kept = job.get_generations();
    assert(kept.length >= 1 && kept.length < 3, `some texts kept, got ${kept.length}`);
    assert(kept[0].get_text().length > 0, 'a kept text');
    assert(client.get_n_jobs() === 0, 'the client tracks no job');
    print(`ok 3 - cancelled text job: DELETE seen, ${kept.length} of 3 texts kept`);
}

run(['--job-time', '2000'], 90, [testJob, testEstimate, testCancel]);
