#!/usr/bin/python3
# estimate.py: what would an image request cost?
#
# Sends an image request as a dry run: the server prices it in kudos and
# queues nothing. The request is the one generate-images.py sends.
#
# client.image_generate_request_dry_run() is horde_sdk's name for it; it
# sends the request with dry_run set (POST /v2/generate/async answers 200
# with {kudos} and no id) and returns the kudos.
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
from gi.repository import Horde  # noqa: E402


def main(argv):
    if len(argv) > 2:
        print('Usage: estimate.py [PROMPT]', file=sys.stderr)
        return 2

    client = Horde.Client.new()
    try:
        request = Horde.ImageGenerateAsyncRequest(
            prompt=argv[1] if len(argv) > 1 else 'a lighthouse at dusk, oil painting',
            models=['Deliberate'],
            params=dict(width=512, height=512, steps=20, sampler_name=Horde.Sampler.K_EULER_A, n=2),
            # say what you want: left out, the Horde takes nsfw (and
            # censor_nsfw) as true, and workers that make only
            # safe-for-work images skip it
            nsfw=False)
        kudos = client.image_generate_request_dry_run(request)
    except Horde.AIHordeRequestError as e:
        # a request the server refuses (too large for the anonymous key,
        # say) fails here as it would for real: e.kind is
        # Horde.Error.FORBIDDEN, e.rc the server's reason…
        print('estimate: %s' % e.message, file=sys.stderr)
        return 1

    print('This request would cost %.2f kudos.' % kudos)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
