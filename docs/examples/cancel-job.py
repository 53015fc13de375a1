#!/usr/bin/python3
# cancel-job.py: submit an image request, then cancel it
#
# Runs an image job and cancels it as soon as the server has accepted the
# request (the job has an id). Cancelling a job deletes the request on the
# server (DELETE /v2/generate/status/{id}), which stops the spending of
# kudos, and keeps the images finished before; this program prints what was
# kept. A timeout (job.set_timeout()) and a faulted request end the same way.
#
# The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
# (default: the public AI Horde and the anonymous key).
#
#   ./cancel-job.py "a lighthouse at dusk"
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Gio, GLib, Horde  # noqa: E402


def build_request(prompt):
    return Horde.ImageGenerateAsyncRequest(
        prompt=prompt,
        params=dict(width=512, height=512, n=4),
        # say what you want: left out, the Horde takes nsfw (and
        # censor_nsfw) as true, and workers that make only safe-for-work
        # images skip it
        nsfw=False)


def main(argv):
    if len(argv) > 2:
        print('Usage: cancel-job.py [PROMPT]', file=sys.stderr)
        return 2

    try:
        request = build_request(argv[1] if len(argv) > 1 else 'a lighthouse at dusk, oil painting')
    except Horde.AIHordeRequestError as e:
        print('cancel-job: %s' % e.message, file=sys.stderr)
        return 1

    client = Horde.Client.new()
    job = Horde.ImageJob.new(client, request)
    cancellable = Gio.Cancellable()

    # The id arrives with the server's answer to the submission: from now
    # on the request is on the server, and cancelling must delete it there.
    def on_id(job, pspec):
        print('Submitted request %s' % job.get_id())
        print('Cancelling it')
        cancellable.cancel()  # the same as job.cancel()

    job.connect('notify::id', on_id)

    # the run ends once the server has answered the DELETE (under asyncio,
    # cancelling the task that awaits job.run_async() does the same)
    try:
        job.run_sync(cancellable)
        # too late: the request was done before the cancel reached it
        print('The request finished before it could be cancelled')
        return 0
    except GLib.Error as e:
        # a cancel is Gio.IOErrorEnum.CANCELLED, any other failure a
        # Horde.AIHordeRequestError
        if not e.matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED):
            print('cancel-job: %s' % e.message, file=sys.stderr)
            return 1

    # on-server stays True when the DELETE did not get through: the request
    # may then run on the server until it expires
    if job.get_on_server():
        print('cancel-job: request %s could not be deleted on the server' % job.get_id(),
              file=sys.stderr)
        return 1

    images = job.get_images()
    print('Cancelled: the server deleted request %s; %d images kept'
          % (job.get_id(), images.get_n_items()))
    for image in images:
        print('  kept an image of seed %s (%s)' % (image.props.seed, image.props.mime_type))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
