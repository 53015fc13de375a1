#!/usr/bin/python3
# list-models.py: which image models do workers serve right now?
#
# Asks the Horde for its image models (GET /v2/status/models?type=image)
# and prints each with the number of workers that serve it, the work queued
# for it (in megapixelsteps) and the estimated wait, busiest models first.
#
# The server comes from $AI_HORDE_URL (default: the public AI Horde).
#
#   ./list-models.py
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Horde  # noqa: E402


def main():
    client = Horde.Client.new()

    # A request's parameters are its keywords, checked against the API as
    # it is made. The query parameter "type" is called "kind" in libhorde:
    # every boxed type already has a get_type().
    try:
        models = client.send_status_models_all_request_sync(Horde.StatusModelsAllRequest(kind='image'))
    except Horde.AIHordeRequestError as e:
        print('list-models: %s' % e.message, file=sys.stderr)
        return 1

    # The answer is a JSON array: a list type whose items are the models.
    # Most workers first; models with as many workers by name.
    items = sorted(models.items, key=lambda m: (-m.count, m.name))

    print('%-32s %7s %10s %6s' % ('MODEL', 'WORKERS', 'QUEUED', 'ETA'))
    for model in items:
        print('%-32s %7d %10.0f %5ds' % (model.name, model.count, model.queued, model.eta))
    print('%d models' % len(items))
    return 0


if __name__ == '__main__':
    sys.exit(main())
