#!/usr/bin/gjs
// test-image-job.js: libhorde from JavaScript (gjs) through GObject
// introspection: an image job run asynchronously against horde-sim.
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

imports.gi.versions.Horde = '1.0';
const { Gio, GLib, GObject, Horde } = imports.gi;

function assert(condition, what) {
    if (!condition)
        throw new Error(`assertion failed: ${what}`);
}

function startSim(...args) {
    const sim = Gio.Subprocess.new([GLib.getenv('HORDE_SIM'), '--port', '0', ...args],
        Gio.SubprocessFlags.STDOUT_PIPE);
    const out = new Gio.DataInputStream({ base_stream: sim.get_stdout_pipe() });
    const [line] = out.read_line_utf8(null);
    assert(line && line.startsWith('http://127.0.0.1:') && line.endsWith('/api'), `base URL, got ${line}`);
    return [sim, line];
}

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

print('1..2');
const [sim, url] = startSim('--job-time', '200');
const loop = new GLib.MainLoop(null, false);
let failure = null;

try {
    const client = Horde.Client.new();
    client.set_base_url(url);

    // the manual call, with the response type the request names: gjs copies
    // the boxed value out of the GValue, so the generic call works from here
    const req = request();
    const [ok, response] = client.send_sync(req, null);
    assert(ok, 'send_sync');
    assert(response instanceof Horde.RequestAsync, 'a RequestAsync');
    assert(GObject.type_name(req.get_success_response_type()) === 'HordeRequestAsync', 'response type');
    assert(response.get_id().length > 0, 'an id');
    print(`ok 1 - manual call: ${response.get_id()}`);

    const job = Horde.ImageJob.new(client, req);
    let polls = 0;
    job.connect('notify::wait-time', () => polls++);
    job.run_async(null, (source, result) => {
        try {
            assert(source.run_finish(result), 'run_finish');
            const images = source.get_images();
            assert(images.get_n_items() === 2, `2 images, got ${images.get_n_items()}`);
            for (let i = 0; i < images.get_n_items(); i++) {
                const pixbuf = images.get_item(i).get_pixbuf();
                assert(pixbuf.get_width() === 512 && pixbuf.get_height() === 768, 'size');
            }
            assert(source.get_state() === Horde.JobState.DONE, 'done');
            print(`ok 2 - image job: ${images.get_n_items()} images from r2 URLs`);
        } catch (e) {
            failure = e;
        }
        loop.quit();
    });
    GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 60, () => {
        failure = new Error('the job did not end within 60 s');
        loop.quit();
        return GLib.SOURCE_REMOVE;
    });
    loop.run();
} catch (e) {
    failure = e;
} finally {
    sim.send_signal(15);
    sim.wait(null);
}

if (failure) {
    printerr(`not ok - ${failure}\n${failure.stack ?? ''}`);
    imports.system.exit(1);
}
