#!/usr/bin/gjs -m
// test-errors.js: a failed call's facts reach JavaScript (gjs) as values,
// against horde-sim. gjs has no per-library overrides: what it keeps of a
// GError is a GLib.Error of domain, code and message, and
// Horde.Error.get_rc(), get_status(), get_server_message() and
// get_field_errors() take that GLib.Error back and give the rc, the HTTP
// status, the server's message and the field errors, also for a
// GLib.Error rebuilt in JavaScript from domain, code and message.
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import GLib from 'gi://GLib';
import Horde from 'gi://Horde?version=1.0';
import Soup from 'gi://Soup?version=3.0';

import { assert, run } from './harness.js';

function imageRequest(steps, size) {
    const params = Horde.ModelGenerationInputStableBuilder.new();
    params.set_width(size);
    params.set_height(size);
    params.set_steps(steps);
    const builder = Horde.ImageGenerateAsyncRequestBuilder.new();
    builder.set_prompt('a giant');
    builder.set_models(['Deliberate']);
    builder.set_params(params.end());
    return builder.end();
}

function setFaults(url, spec) {
    const session = new Soup.Session();
    const msg = Soup.Message.new(spec ? 'POST' : 'DELETE', `${url.slice(0, -'/api'.length)}/_sim/faults`);
    if (spec)
        msg.set_request_body_from_bytes('text/plain', new GLib.Bytes(new TextEncoder().encode(spec)));
    session.send_and_read(msg, null);
    assert(msg.get_status() === Soup.Status.OK, `faults: HTTP ${msg.get_status()}`);
}

function caught(call) {
    try {
        call();
    } catch (e) {
        assert(e instanceof GLib.Error, `a GLib.Error, got ${e}`);
        return e;
    }
    throw new Error('the call succeeded');
}

async function testKudosUpfront(client) {
    // anonymous, 1024×1024 at 100 steps: the server wants kudos up front
    const job = Horde.ImageJob.new(client, imageRequest(100, 1024));
    let error = null;
    try {
        await job.run_async(null);
    } catch (e) {
        error = e;
    }
    assert(error instanceof GLib.Error, `run_async rejects with a GLib.Error, got ${error}`);
    assert(error.matches(Horde.Error, Horde.Error.FORBIDDEN), `FORBIDDEN, got ${error.code}`);
    assert(Horde.Error.get_rc(error) === 'KudosUpfront', `rc, got ${Horde.Error.get_rc(error)}`);
    assert(Horde.Error.get_status(error) === 403, `status, got ${Horde.Error.get_status(error)}`);
    const serverMessage = Horde.Error.get_server_message(error);
    assert(serverMessage && error.message.includes(serverMessage), `server message, got ${serverMessage}`);
    assert(Horde.Error.get_field_errors(error) === null, 'no field errors');
    assert(!Horde.Error.is_transient(error), 'not transient');

    // a GLib.Error made in JavaScript from domain, code and message alone
    const bare = new GLib.Error(Horde.Error, error.code, error.message);
    assert(Horde.Error.get_rc(bare) === 'KudosUpfront', `rebuilt rc, got ${Horde.Error.get_rc(bare)}`);
    assert(Horde.Error.get_status(bare) === 403, 'rebuilt status');
    const other = new GLib.Error(Horde.Error, error.code, `${error.message} (edited)`);
    assert(Horde.Error.get_rc(other) === null && Horde.Error.get_status(other) === 0,
        'a message libhorde never made has no facts');
    print('ok 1 - KudosUpfront: rc, status, server message from run_async');
}

async function testServerValidation(client) {
    // a width of the wrong type goes to the server, which answers 400 with
    // field errors
    const request = Horde.ImageGenerateAsyncRequest.new_from_json(
        '{"prompt": "x", "params": {"width": "wide"}}', -1);
    const error = caught(() => client.send_image_generate_async_request_sync(request, null));
    assert(error.matches(Horde.Error, Horde.Error.VALIDATION), `VALIDATION, got ${error.code}`);
    assert(Horde.Error.get_status(error) === 400, 'status 400');
    assert(Horde.Error.get_rc(error) === null, 'no rc');
    const fields = Horde.Error.get_field_errors(error);
    assert(JSON.stringify(Object.keys(fields)) === '["params.width"]', `fields, got ${JSON.stringify(fields)}`);
    assert(typeof fields['params.width'] === 'string' && fields['params.width'].length > 0, 'a problem');
    print('ok 2 - a 400 validation answer: field errors as an object');
}

async function testAnyRc(client, url) {
    setFaults(url, 'status:403@POST /api/v2/generate/async,count=1,rc=TimeoutIP,' +
        'message=Your IP address has been put in timeout');
    const error = caught(() => client.send_image_generate_async_request_sync(imageRequest(20, 512), null));
    assert(Horde.Error.get_rc(error) === 'TimeoutIP', `rc, got ${Horde.Error.get_rc(error)}`);
    assert(Horde.Error.get_status(error) === 403, 'status 403');
    assert(Horde.Error.get_server_message(error) === 'Your IP address has been put in timeout', 'message');
    setFaults(url, null);
    print('ok 3 - any rc of the server, from a fault rule');
}

run([], 60, [testKudosUpfront, testServerValidation, testAnyRc]);
