#!/usr/bin/python3
# estimate.py: what would an image request cost?
#
# Sends an image request as a dry run: the server prices it in kudos and
# queues nothing. The request is the one generate-images.py sends.
#
# A request knows the type of each successful answer: POST /v2/generate/async
# answers 202 with {id, kudos} for a real request and 200 with {kudos} for a
# dry run; both are a Horde.RequestAsync, without an id for the dry run.
# (Horde.ImageJob has a shortcut for the same: job.estimate_sync().)
#
# The server and the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY
# (default: the public AI Horde and the anonymous key).
#
#   ./estimate.py "a lighthouse at dusk"
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

import gi
gi.require_version('Horde', '1.0')
from gi.repository import GLib, Horde  # noqa: E402


def build_dry_run(prompt):
    params = Horde.ModelGenerationInputStableBuilder.new()
    params.set_width(512)
    params.set_height(512)
    params.set_steps(20)
    params.set_sampler_name('k_euler_a')
    params.set_n(2)

    builder = Horde.ImageGenerateAsyncRequestBuilder.new()
    builder.set_prompt(prompt)
    builder.set_models(['Deliberate'])
    builder.set_params(params.end())
    # say what you want: left out, the Horde takes nsfw (and censor_nsfw)
    # as true, and workers that make only safe-for-work images skip it
    builder.set_nsfw(False)
    # price it, do not make it
    builder.set_dry_run(True)
    return builder.end()


def main(argv):
    if len(argv) > 2:
        print('Usage: estimate.py [PROMPT]', file=sys.stderr)
        return 2

    client = Horde.Client.new()
    try:
        request = build_dry_run(argv[1] if len(argv) > 1 else 'a lighthouse at dusk, oil painting')
        answer = client.send_image_generate_async_request_sync(request, None)
    except GLib.Error as e:
        # a request the server refuses (too large for the anonymous key,
        # say) fails here as it would for real: Horde.Error.FORBIDDEN…
        print('estimate: %s' % e.message, file=sys.stderr)
        return 1

    print('This request would cost %.2f kudos.' % answer.get_kudos())
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
