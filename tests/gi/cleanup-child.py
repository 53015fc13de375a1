#!/usr/bin/python3
# cleanup-child.py URL MODE: a script the cleanup test interrupts. It runs
# an image job that stays queued (the sim has no workers) with
# job.run_sync(), printing "queued ID" once the server holds the request;
# MODE "plain" runs it bare, "session" inside `with Horde.Session(client)`,
# "processing" bare, printing the line once a worker is making the image.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Horde  # noqa: E402


def request():
    params = Horde.ModelGenerationInputStableBuilder.new()
    params.set_width(512)
    params.set_height(512)
    builder = Horde.ImageGenerateAsyncRequestBuilder.new()
    builder.set_prompt('A queue that never moves')
    builder.set_params(params.end())
    return builder.end()


def run(client, mode):
    job = Horde.ImageJob.new(client, request())

    def state_changed(job, _pspec):
        if job.get_state() == Horde.JobState.WAITING:
            print('queued', job.get_id(), flush=True)

    def processing_changed(job, _pspec):
        if job.get_processing() > 0:
            job.disconnect_by_func(processing_changed)
            print('queued', job.get_id(), flush=True)
    # "processing": the line comes once a worker is making the image
    if mode == 'processing':
        job.connect('notify::processing', processing_changed)
    else:
        job.connect('notify::state', state_changed)
    try:
        job.run_sync(None)
    except BaseException as e:
        # what the script sees when the interruption reaches it
        print('ended', type(e).__name__, job.get_id(), job.get_state().value_nick,
              'on-server' if job.get_on_server() else 'deleted', flush=True)
        raise
    print('finished', flush=True)


def main(url, mode):
    client = Horde.Client.new()
    client.set_base_url(url)
    if mode == 'session':
        session = Horde.Session(client)
        try:
            with session:
                run(client, mode)
        finally:
            print('session deleted', ' '.join(session.deleted) or '-', flush=True)
    else:
        run(client, mode)


if __name__ == '__main__':
    main(*sys.argv[1:])
