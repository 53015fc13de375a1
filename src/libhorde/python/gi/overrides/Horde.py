# Horde.py: the PyGObject override module of libhorde
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `from gi.repository import Horde` finds this file (installed into a
# gi/overrides folder on Python's path, as gst-python does for Gst) and
# gives what a horde_sdk user expects on top of the introspected API:
#
# - Horde.RequestError: every call that can fail (the *_sync and *_finish
#   methods, constructors such as new_from_json, builders' end()) raises it
#   for an error of libhorde's domain (HORDE_ERROR), with the facts as
#   values: .rc ("KudosUpfront"), .status (403), .server_message, .errors
#   (field path -> problem), .kind (a Horde.Error value) and .transient.
#   It is a GLib.Error, so `except GLib.Error` keeps working; cancellation
#   stays a GLib.Error of the Gio.IOErrorEnum domain.
# - bytes(image) for a Horde.GeneratedImage: the image file as the server
#   sent it (WebP or PNG), for PIL or a file.

import functools
import types

from gi.repository import GLib

from ..module import get_introspection_module

Horde = get_introspection_module('Horde')

__all__ = []

_DOMAIN = GLib.quark_to_string(Horde.Error.quark())


class RequestError(GLib.Error):
    """A libhorde error (domain HORDE_ERROR) with its facts as values.

    Like horde_sdk's AIHordeRequestError: `rc` is the server's return code
    (a string such as "KudosUpfront", None when the answer had none or the
    error did not come from the server), `status` the HTTP status (0 when
    nothing was answered: a network failure, a validation before sending),
    `server_message` the server's own message, `errors` a dict of field
    problems (a 400 validation answer, or the checks made before sending),
    `kind` the Horde.Error code. `message` is the whole one-line message
    GLib.Error has always had.
    """

    def __init__(self, message, domain=_DOMAIN, code=0, status=0, rc=None,
                 server_message=None, errors=None):
        super().__init__(message, domain, code)
        self.status = status
        self.rc = rc
        self.server_message = server_message
        self.errors = dict(errors or {})

    @property
    def kind(self):
        """The Horde.Error value of this error's code."""
        try:
            return Horde.Error(self.code)
        except ValueError:
            return self.code

    @property
    def transient(self):
        """Whether trying again later may succeed (network, timeout, 5xx, 429)."""
        return Horde.Error.is_transient(self)

    @classmethod
    def from_error(cls, error):
        """The RequestError for a GLib.Error of libhorde's domain.

        libhorde keeps the facts of the errors it made last and finds them
        from the domain, code and message the GLib.Error carries; ask right
        after the call failed (the wrapped methods do).
        """
        if isinstance(error, cls):
            return error
        return cls(error.message, error.domain, error.code,
                   status=Horde.Error.get_status(error),
                   rc=Horde.Error.get_rc(error),
                   server_message=Horde.Error.get_server_message(error),
                   errors=Horde.Error.get_field_errors(error))

    def __reduce__(self):
        return (type(self), (self.message, self.domain, self.code, self.status,
                             self.rc, self.server_message, self.errors))


__all__.append('RequestError')


class _RaisingRequestError:
    """A callable of the namespace that raises RequestError for its errors.

    Anything else (get_arguments(), get_name(), … of the gi.FunctionInfo)
    is the wrapped callable's, so code that introspects the methods keeps
    working.
    """

    def __init__(self, func, static):
        self.__dict__['__wrapped__'] = func
        self.__dict__['_static'] = static
        functools.update_wrapper(self, func)

    def __getattr__(self, name):
        return getattr(self.__dict__['__wrapped__'], name)

    def __call__(self, *args, **kwargs):
        try:
            return self.__wrapped__(*args, **kwargs)
        except GLib.Error as error:
            if error.domain != _DOMAIN or isinstance(error, RequestError):
                raise
            raise RequestError.from_error(error).with_traceback(error.__traceback__) from None

    def __get__(self, obj, objtype=None):
        if obj is None or self._static:
            return self
        return types.MethodType(self, obj)

    def __repr__(self):
        return repr(self.__wrapped__)


def _wrap_throwing_methods():
    """Every method of the namespace that can fail raises RequestError.

    Wrapped in place, so subclasses and objects libhorde returns (a
    Horde.ImageJob made by C, say) have the wrapped methods too; new
    methods of later versions are wrapped without touching this file.
    """
    import gi
    from gi._gi import FunctionInfo
    repository = gi.Repository.get_default()
    for info in repository.get_infos('Horde'):
        if isinstance(info, FunctionInfo):
            if info.can_throw_gerror():
                # a function of the namespace (Horde.json_node_to_string)
                name = info.get_name()
                globals()[name] = _RaisingRequestError(getattr(Horde, name), False)
                __all__.append(name)
            continue
        if not hasattr(info, 'get_methods'):
            continue
        methods = [m for m in info.get_methods() if m.can_throw_gerror()]
        if not methods:
            continue
        cls = getattr(Horde, info.get_name())
        for method in methods:
            name = method.get_name()
            if name not in cls.__dict__:
                continue
            if method.is_method():
                setattr(cls, name, _RaisingRequestError(cls.__dict__[name], False))
            else:
                # a constructor or static function, bound to its class
                setattr(cls, name, _RaisingRequestError(getattr(cls, name), True))


_wrap_throwing_methods()


def _image_bytes(self):
    """The image file as the server sent it (WebP or PNG), as bytes."""
    return self.get_bytes().get_data()


Horde.GeneratedImage.__bytes__ = _image_bytes
