// harness.js: what the gjs tests of libhorde share: a horde-sim of their
// own, its bookkeeping, assertions, and a main loop that runs the
// asynchronous test functions in order and reports TAP.
//
// Copyright 2026 The Horde Studio authors
// SPDX-License-Identifier: LGPL-2.1-or-later

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import Horde from 'gi://Horde?version=1.0';
import Soup from 'gi://Soup?version=3.0';
import System from 'system';

// the image job keeps run and estimate methods of its own, which shadow
// the base class's in gjs: both are made to return promises, the subclass
// first (_promisify skips a prototype that inherits a promisified method)
for (const klass of [Horde.ImageJob, Horde.Job]) {
    Gio._promisify(klass.prototype, 'run_async', 'run_finish');
    Gio._promisify(klass.prototype, 'estimate_async', 'estimate_finish');
}

export function assert(condition, what) {
    if (!condition)
        throw new Error(`assertion failed: ${what}`);
}

// horde-sim from the build tree on a free port: [process, base URL]
function startSim(args) {
    const sim = Gio.Subprocess.new([GLib.getenv('HORDE_SIM'), '--port', '0', ...args],
        Gio.SubprocessFlags.STDOUT_PIPE);
    const out = new Gio.DataInputStream({ base_stream: sim.get_stdout_pipe() });
    const [line] = out.read_line_utf8(null);
    assert(line && line.startsWith('http://127.0.0.1:') && line.endsWith('/api'), `base URL, got ${line}`);
    return [sim, line];
}

// the sim's bookkeeping, from its control endpoint beside /api
export function simStats(url) {
    const session = new Soup.Session();
    const msg = Soup.Message.new('GET', `${url.slice(0, -'/api'.length)}/_sim/stats`);
    const bytes = session.send_and_read(msg, null);
    assert(msg.get_status() === Soup.Status.OK, `stats: HTTP ${msg.get_status()}`);
    return JSON.parse(new TextDecoder().decode(bytes.toArray()));
}

export function simJobCount(url, id, kind) {
    const job = simStats(url).jobs[id];
    assert(job !== undefined, `the sim knows job ${id}`);
    return job.requests[kind] ?? 0;
}

// the states a job went through, without repeats, the largest count of
// finished generations it reported, and how often n-generations changed
export function watch(job) {
    const seen = { states: [], finished: 0, generationNotifies: 0 };
    job.connect('notify::state', () => {
        if (seen.states[seen.states.length - 1] !== job.get_state())
            seen.states.push(job.get_state());
    });
    job.connect('notify::finished', () => {
        seen.finished = Math.max(seen.finished, job.finished);
    });
    job.connect('notify::n-generations', () => seen.generationNotifies++);
    return seen;
}

// Runs @job, cancelling it @ms after it starts waiting on the server;
// the run must end with G_IO_ERROR_CANCELLED
export async function runAndCancel(job, ms) {
    const cancellable = new Gio.Cancellable();
    const handler = job.connect('notify::state', () => {
        if (job.get_state() !== Horde.JobState.WAITING)
            return;
        job.disconnect(handler);
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
            cancellable.cancel();
            return GLib.SOURCE_REMOVE;
        });
    });

    try {
        await job.run_async(cancellable);
    } catch (e) {
        if (e instanceof GLib.Error && e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED))
            return;
        throw e;
    }
    throw new Error('the cancelled run succeeded');
}

// Starts a sim with @simArgs, runs each of @tests (async functions of a
// client of that sim and its URL) in turn within @seconds, stops the sim,
// and exits 1 on the first failure
export function run(simArgs, seconds, tests) {
    print(`1..${tests.length}`);
    const [sim, url] = startSim(simArgs);
    const loop = new GLib.MainLoop(null, false);
    let failure = null;

    try {
        const client = Horde.Client.new();
        client.set_base_url(url);
        (async () => {
            try {
                for (const test of tests)
                    await test(client, url);
            } catch (e) {
                failure = e;
            }
            loop.quit();
        })();
        GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, seconds, () => {
            failure = new Error(`the tests did not end within ${seconds} s`);
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
        System.exit(1);
    }
}
