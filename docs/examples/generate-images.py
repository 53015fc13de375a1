#!/usr/bin/python3
# generate-images.py: make two images from a prompt and save them
#
# Submits an image request with a few parameters, shows its progress on
# stderr as the job polls the server, and saves each image in DIRECTORY,
# printing the file names on stdout, one a line.
#
# A Horde.ImageJob does the whole dance: POST /v2/generate/async, polls of
# /v2/generate/check/{id} at a pace that follows the server's estimate, one
# GET /v2/generate/status/{id} when done, then the downloads and decoding.
#
# The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
# (default: the public AI Horde and the anonymous key).
#
#   ./generate-images.py images/ "a lighthouse at dusk"
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import os
import sys

import gi
gi.require_version('Horde', '1.0')
from gi.repository import GLib, Horde  # noqa: E402

STATES = {
    Horde.JobState.NEW: 'new',
    Horde.JobState.SUBMITTING: 'submitting',
    Horde.JobState.WAITING: 'waiting',
    Horde.JobState.PROCESSING: 'processing',
    Horde.JobState.DOWNLOADING: 'downloading',
    Horde.JobState.CANCELLING: 'cancelling',
    Horde.JobState.DONE: 'done',
    Horde.JobState.CANCELLED: 'cancelled',
    Horde.JobState.FAILED: 'failed',
}


def build_request(prompt):
    # The request, made with keywords as in horde_sdk; a dict stands for a
    # record (here the generation parameters). Only what is given is sent,
    # and the values are checked against the API as the request is made
    # (sizes in steps of 64, and so on): Horde.AIHordeRequestError if not.
    return Horde.ImageGenerateAsyncRequest(
        prompt=prompt,
        models=['Deliberate'],
        params=dict(width=512, height=512, steps=20, sampler_name=Horde.Sampler.K_EULER_A, n=2),
        # say what you want: left out, the Horde takes nsfw (and
        # censor_nsfw) as true, and workers that make only safe-for-work
        # images skip it
        nsfw=False)


class Progress:
    """Prints a line when the job's state or counts change."""

    def __init__(self):
        self.last = None

    # Called when any property of the job changes: its state, and after
    # each poll the queue position, the time left and the counts of images.
    # A user interface would bind these properties to widgets instead.
    def on_notify(self, job, pspec):
        state = job.get_state()
        # the counts are the server's, from its last answer to a poll
        if (state in (Horde.JobState.WAITING, Horde.JobState.PROCESSING)
                and job.get_last_check() is not None):
            line = ('%s: queue position %d, about %d s left, %d finished, %d processing, %d waiting'
                    % (STATES[state], job.get_queue_position(), job.get_wait_time(),
                       job.get_finished(), job.get_processing(), job.get_waiting()))
        else:
            line = STATES[state]
        # several properties change at each poll: print a line once
        if line != self.last:
            print(line, file=sys.stderr)
            self.last = line


def main(argv):
    if len(argv) not in (2, 3):
        print('Usage: generate-images.py DIRECTORY [PROMPT]', file=sys.stderr)
        return 2
    directory = argv[1]
    prompt = argv[2] if len(argv) > 2 else 'a lighthouse at dusk, oil painting'

    try:
        request = build_request(prompt)
        os.makedirs(directory, exist_ok=True)
    except (Horde.AIHordeRequestError, OSError) as e:
        print('generate-images: %s' % (e.message if isinstance(e, GLib.Error) else e), file=sys.stderr)
        return 1

    client = Horde.Client.new()
    job = Horde.ImageJob.new(client, request)
    job.connect('notify', Progress().on_notify)

    # run_sync() runs the job to its end; the notify signals are emitted
    # meanwhile. Ctrl+C deletes the request on the server before the
    # script ends. (client.image_generate_request(request) does the same
    # without the job and its progress; under asyncio, `await
    # job.run_async()`.)
    error = None
    try:
        job.run_sync()
    except GLib.Error as e:
        error = e

    # The images are in the job, in the order of the request's generations.
    # After a failure, those that arrived are there too: save them all.
    status = 0
    for i, image in enumerate(job.get_images()):
        # the id is the server's word: made a safe file name first
        name = Horde.sanitize_file_name(job.get_id(), -1)
        path = os.path.join(directory, '%s-%d.%s' % (name, i, image.get_extension()))
        # bytes(image) is the file as the server sent it (WebP, as a
        # rule), for PIL or a file; the decoded image is image.get_pixbuf()
        try:
            with open(path, 'wb') as f:
                f.write(bytes(image))
        except OSError as e:
            print('generate-images: %s' % e, file=sys.stderr)
            status = 1
            continue
        print(path)

    if error is not None:
        print('generate-images: %s' % error.message, file=sys.stderr)
        status = 1
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv))
