#!/usr/bin/gjs -m
// list-models.js: which image models do workers serve right now?
//
// Asks the Horde for its image models (GET /v2/status/models?type=image)
// and prints each with the number of workers that serve it, the work queued
// for it (in megapixelsteps) and the estimated wait, busiest models first.
//
// The server comes from $AI_HORDE_URL (default: the public AI Horde).
//
//   gjs -m list-models.js
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Horde from 'gi://Horde?version=1.0';
import System from 'system';

Gio._promisify(Horde.Client.prototype,
    'send_status_models_all_request_async', 'send_status_models_all_request_finish');

// Most workers first; models with as many workers by name
function compareModels(a, b) {
    if (a.get_count() !== b.get_count())
        return b.get_count() - a.get_count();
    if (a.get_name() === b.get_name())
        return 0;
    return a.get_name() < b.get_name() ? -1 : 1;
}

async function main() {
    const client = Horde.Client.new();

    // Requests with parameters are made with a builder, which checks them
    // against the API when it ends. The query parameter "type" is called
    // "kind" in libhorde: every boxed type already has a get_type().
    const builder = Horde.StatusModelsAllRequestBuilder.new();
    builder.set_kind('image');
    const list = await client.send_status_models_all_request_async(builder.end(), null);

    // The answer is a JSON array: a list type whose items are the models
    const models = list.get_items().sort(compareModels);

    print(`${'MODEL'.padEnd(32)} ${'WORKERS'.padStart(7)} ${'QUEUED'.padStart(10)} ${'ETA'.padStart(6)}`);
    for (const model of models) {
        print(`${model.get_name().padEnd(32)} ${String(model.get_count()).padStart(7)} ` +
              `${model.get_queued().toFixed(0).padStart(10)} ${String(model.get_eta()).padStart(5)}s`);
    }
    print(`${models.length} models`);
    return 0;
}

// gjs 1.74 keeps a processor busy while a top-level `await` waits: run a
// main loop around an async main() instead.
const loop = new GLib.MainLoop(null, false);
let exitStatus = 1;
main()
    .then(status => (exitStatus = status))
    .catch(e => printerr(`list-models: ${e.message}`))
    .finally(() => loop.quit());
loop.run();
System.exit(exitStatus);
