#!/usr/bin/gjs -m
// find-user.js: who is behind the API key?
//
// Asks the Horde which user owns the API key (GET /v2/find_user) and prints
// the user's name and kudos.
//
// The server and the key come from the environment, as everywhere in
// libhorde: $AI_HORDE_URL (default: the public AI Horde) and
// $AI_HORDE_API_KEY (default: the anonymous key).
//
//   AI_HORDE_API_KEY=… gjs -m find-user.js
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Horde from 'gi://Horde?version=1.0';
import System from 'system';

// Each operation has a typed call, send_<request>_async/_finish; this makes
// the pair return a Promise, so that it can be awaited.
Gio._promisify(Horde.Client.prototype,
    'send_find_user_request_async', 'send_find_user_request_finish');

async function main() {
    // The client reads $AI_HORDE_URL and $AI_HORDE_API_KEY; set its base_url
    // and api_key properties to choose otherwise.
    const client = Horde.Client.new();

    // find_user has no parameters: the key the client sends is the question.
    // The answer is a Horde.UserDetails; an unknown key throws a GLib.Error
    // (Horde.Error.NOT_FOUND or UNAUTHORIZED) that says what the server said.
    const user = await client.send_find_user_request_async(Horde.FindUserRequest.new(), null);

    // The Horde's user names carry the user's id: "name#id"
    print(`User:  ${user.get_username()}`);
    print(`Id:    ${user.get_id()}`);
    print(`Kudos: ${user.get_kudos().toFixed(0)}`);
    return 0;
}

// gjs 1.74 keeps a processor busy while a top-level `await` waits: run a
// main loop around an async main() instead.
const loop = new GLib.MainLoop(null, false);
let exitStatus = 1;
main()
    .then(status => (exitStatus = status))
    .catch(e => printerr(`find-user: ${e.message}`))
    .finally(() => loop.quit());
loop.run();
System.exit(exitStatus);
