#!/usr/bin/python3
# getting-started.py: horde_sdk's "Getting Started" page, in Python
#
# Asks for two 512×768 images of a cat in a hat, after pricing the request
# with a dry run, and saves the first image in the current folder
# (cat-in-a-hat.webp). On an exception, Ctrl+C or SIGTERM the request is
# deleted on the server, as horde_sdk's simple client does. The server and
# the key come from $AI_HORDE_URL and $AI_HORDE_API_KEY (default: the
# public AI Horde and the anonymous key).
#
#   ./getting-started.py
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Horde  # noqa: E402

image_generate_async_request = Horde.ImageGenerateAsyncRequest(
    prompt='A cat in a hat',
    models=['Deliberate'],
    params=Horde.ModelGenerationInputStable(
        width=512,
        height=768,
        sampler_name=Horde.Sampler.K_EULER_A,
        clip_skip=1,
        n=2,
    ),
    nsfw=False,  # left out, the Horde takes nsfw as true
)
# ImageGenerateAsyncRequest.get_success_response_type()
assert image_generate_async_request.get_success_response_type() == Horde.RequestAsync.__gtype__

simple_client = Horde.Client.new()  # the key: $AI_HORDE_API_KEY, or the anonymous one

# what it would cost: a dry run queues nothing and spends no kudos
kudos = simple_client.image_generate_request_dry_run(image_generate_async_request)
if kudos > 100:
    sys.exit('getting-started: %.0f kudos is more than this example spends' % kudos)

images = simple_client.image_generate_request(image_generate_async_request)

# the first image, as the server sent it (WebP, as a rule)
path = 'cat-in-a-hat.' + images[0].get_extension()
with open(path, 'wb') as f:
    f.write(bytes(images[0]))
print(path)
