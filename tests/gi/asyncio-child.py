#!/usr/bin/python3
# asyncio-child.py URL: a script the asyncio test interrupts. Under
# asyncio.run() it awaits an image job that stays queued (the sim has no
# workers), printing "queued ID" once the server holds the request, and
# "ended EXCEPTION ID STATE on-server|deleted" when an exception ends the
# await, before passing it on.
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import asyncio
import sys

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Horde  # noqa: E402


async def main(url):
    client = Horde.Client.new()
    client.set_base_url(url)
    job = Horde.ImageJob.new(client, Horde.ImageGenerateAsyncRequest(
        prompt='A queue that never moves', params={'width': 512, 'height': 512}))

    def state_changed(job, _pspec):
        if job.get_state() == Horde.JobState.WAITING:
            print('queued', job.get_id(), flush=True)
    job.connect('notify::state', state_changed)
    try:
        await job.run_async()
    except BaseException as e:
        print('ended', type(e).__name__, job.get_id(), job.get_state().value_nick,
              'on-server' if job.get_on_server() else 'deleted', flush=True)
        raise
    print('finished', flush=True)


if __name__ == '__main__':
    asyncio.run(main(sys.argv[1]))
