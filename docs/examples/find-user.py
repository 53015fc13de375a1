#!/usr/bin/python3
# find-user.py: who is behind the API key?
#
# Asks the Horde which user owns the API key (GET /v2/find_user) and prints
# the user's name and kudos.
#
# The server and the key come from the environment, as everywhere in
# libhorde: $AI_HORDE_URL (default: the public AI Horde) and
# $AI_HORDE_API_KEY (default: the anonymous key).
#
#   AI_HORDE_API_KEY=… ./find-user.py
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later

import sys

import gi
gi.require_version('Horde', '1.0')
from gi.repository import Horde  # noqa: E402


def main():
    # The client reads $AI_HORDE_URL and $AI_HORDE_API_KEY; set its
    # base_url and api_key properties to choose otherwise.
    client = Horde.Client.new()

    # find_user has no parameters: the key the client sends is the question.
    # Each operation has a typed call, which returns the type the operation
    # answers with: here a Horde.UserDetails, whose fields read as
    # attributes. (PyGObject 3.42 cannot use the generic client.send_sync(),
    # whose answer comes in a GValue.)
    try:
        user = client.send_find_user_request_sync(Horde.FindUserRequest())
    except Horde.AIHordeRequestError as e:
        # an unknown key: e.kind is Horde.Error.NOT_FOUND or UNAUTHORIZED,
        # e.status the HTTP status, e.rc the server's code; the message
        # says what the server said
        print('find-user: %s' % e.message, file=sys.stderr)
        return 1

    # The Horde's user names carry the user's id: "name#id"
    print('User:  %s' % user.username)
    print('Id:    %d' % user.id)
    print('Kudos: %.0f' % user.kudos)
    return 0


if __name__ == '__main__':
    sys.exit(main())
