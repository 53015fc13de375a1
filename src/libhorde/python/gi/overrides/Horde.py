# Horde.py: the PyGObject override module of libhorde
#
# Copyright 2026 The Horde Studio authors
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# `from gi.repository import Horde` finds this file (installed into a
# gi/overrides folder on Python's path, as gst-python does for Gst) and
# gives what a horde_sdk user expects on top of the introspected API:
#
# - Horde.AIHordeRequestError: every call that can fail (the *_sync and *_finish
#   methods, constructors such as new_from_json, builders' end()) raises it
#   for an error of libhorde's domain (HORDE_ERROR), with the facts as
#   values: .rc ("KudosUpfront"), .status (403), .server_message, .errors
#   (field path -> problem), .kind (a Horde.Error value) and .transient.
#   It is a GLib.Error, so `except GLib.Error` keeps working; cancellation
#   stays a GLib.Error of the Gio.IOErrorEnum domain.
# - bytes(image) for a Horde.GeneratedImage: the image file as the server
#   sent it (WebP or PNG), for PIL or a file.
# - No request left behind by a script: Horde.Session(client), a context
#   manager that deletes the client's requests on leaving (normally, by an
#   exception, Ctrl+C or SIGTERM), and Job.run_sync(), which Ctrl+C
#   interrupts at once, deleting the request first.
# - Records written as in horde_sdk: Horde.ImageGenerateAsyncRequest(
#   prompt=…, params={…}) builds through the type's builder, request.prompt
#   reads request.get_prompt(), to_dict() and from_dict() go through the
#   JSON the type is sent as.
# - horde_sdk's simple client by its names, on Horde.Client:
#   client.image_generate_request(request) -> the images,
#   image_generate_request_dry_run(), text_generate_request(),
#   alchemy_request(); the request is deleted on any exception.
# - asyncio without a GLib.MainLoop: `await job.run_async()`, `await
#   client.send_…_async(request)`, `async with Horde.Session(client)`,
#   Horde.AsyncSimpleClient; a cancelled task deletes its request first.

import logging
import os
import signal
import socket
import sys
import threading
import types

from gi.repository import Gio, GLib, GObject

from ..module import get_introspection_module
from ..overrides import override

Horde = get_introspection_module('Horde')

__all__ = []

_DOMAIN = GLib.quark_to_string(Horde.Error.quark())


class AIHordeRequestError(GLib.Error):
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
    def rc_value(self):
        """The server's return code as a Horde.Rc (Horde.Rc.UNKNOWN for a
        code this libhorde does not know yet, or none)."""
        return Horde.Rc.from_string(self.rc) if self.rc else Horde.Rc.UNKNOWN

    @property
    def transient(self):
        """Whether trying again later may succeed (network, timeout, 5xx, 429)."""
        return Horde.Error.is_transient(self)

    @classmethod
    def from_error(cls, error):
        """The AIHordeRequestError for a GLib.Error of libhorde's domain.

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


__all__.append('AIHordeRequestError')


class _RaisingError:
    """A callable of the namespace that raises AIHordeRequestError for its errors.

    Anything else (get_arguments(), get_name(), … of the gi.FunctionInfo)
    is the wrapped callable's, so code that introspects the methods keeps
    working.
    """

    def __init__(self, func, static):
        self.__dict__['__wrapped__'] = func
        self.__dict__['_static'] = static
        # what functools.update_wrapper() would copy, but the docstring: PyGObject
        # writes it on demand, and writing those of a thousand methods
        # would double the time `import` takes
        for name in ('__module__', '__name__', '__qualname__'):
            try:
                self.__dict__[name] = getattr(func, name)
            except AttributeError:
                pass

    @property
    def __doc__(self):
        return self.__wrapped__.__doc__

    def __getattr__(self, name):
        return getattr(self.__dict__['__wrapped__'], name)

    def __call__(self, *args, **kwargs):
        try:
            return self.__wrapped__(*args, **kwargs)
        except GLib.Error as error:
            if error.domain != _DOMAIN or isinstance(error, AIHordeRequestError):
                raise
            raise AIHordeRequestError.from_error(error).with_traceback(error.__traceback__) from None

    def __get__(self, obj, objtype=None):
        if obj is None or self._static:
            return self
        return types.MethodType(self, obj)

    def __repr__(self):
        return repr(self.__wrapped__)


def _wrap_throwing_methods():
    """Every method of the namespace that can fail raises AIHordeRequestError.

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
                globals()[name] = _RaisingError(getattr(Horde, name), False)
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
                setattr(cls, name, _RaisingError(cls.__dict__[name], False))
            else:
                # a constructor or static function, bound to its class
                setattr(cls, name, _RaisingError(getattr(cls, name), True))


_wrap_throwing_methods()


def _image_bytes(self):
    """The image file as the server sent it (WebP or PNG), as bytes."""
    return self.get_bytes().get_data()


Horde.GeneratedImage.__bytes__ = _image_bytes


# -------------------------------------------------------------------------
# Records as a Python user writes them: keyword constructors, fields read
# as attributes, dicts.
#
#   request = Horde.ImageGenerateAsyncRequest(
#       prompt='A cat in a hat', models=['Deliberate'],
#       params=Horde.ModelGenerationInputStable(
#           width=512, height=768, sampler_name=Horde.Sampler.K_EULER_A, n=2))
#   request.prompt                 # request.get_prompt()
#   request.params.width           # 512
#   request.to_dict()              # the JSON it sends, as a dict
#   Horde.ModelGenerationInputStable.from_dict({'width': 512})
#
# All of it is found from the typelib (X and its XBuilder, set_<field>,
# get_<field>, to_json, new_from_json), not written per type: a type of a
# later version has it too. What is worked out for a type is kept the
# first time it is used, so that importing costs little.

class _Setter:
    """How a keyword of a record's constructor reaches its builder."""

    __slots__ = ('name', 'enum_name', 'record', 'item_record', 'string')

    def __init__(self, name):
        self.name = name          # set_<field>
        self.enum_name = None     # set_<field>_enum, if there is one
        self.record = None        # the record class the setter takes
        self.item_record = None   # the record class of its list's items
        self.string = False       # it takes a string or a list of strings


def _visible_arguments(info):
    """The arguments of a callable that Python passes (an array's length
    argument is not one, nor an out argument)."""
    from gi._gi import Direction
    args = info.get_arguments()
    hidden = set()
    for type_info in [info.get_return_type()] + [arg.get_type() for arg in args]:
        if type_info.get_tag_as_string() == 'array':
            length = type_info.get_array_length()
            if length >= 0:
                hidden.add(length)
    return [arg for i, arg in enumerate(args)
            if i not in hidden and arg.get_direction() != Direction.OUT]


def _record_class(type_info):
    """The Horde record class of an argument's type, or None."""
    from gi._gi import StructInfo
    if type_info.get_tag_as_string() != 'interface':
        return None
    interface = type_info.get_interface()
    if isinstance(interface, StructInfo) and interface.get_namespace() == 'Horde':
        return getattr(Horde, interface.get_name())
    return None


def _setters(cls):
    """{field: _Setter} of the record class @cls, from its builder's setters."""
    setters = cls.__dict__.get('_horde_setters')
    if setters is not None:
        return setters
    setters = {}
    enum_setters = {}
    for method in cls._horde_builder.__info__.get_methods():
        name = method.get_name()
        if not name.startswith('set_') or not method.is_method():
            continue
        args = _visible_arguments(method)
        if len(args) != 1:
            # set_extra_field (name, value): not a field
            continue
        type_info = args[0].get_type()
        tag = type_info.get_tag_as_string()
        if name.endswith('_enum'):
            enum_setters[name[4:-5]] = name
            continue
        setter = _Setter(name)
        if tag == 'utf8':
            setter.string = True
        elif tag in ('array', 'glist', 'gslist'):
            item = type_info.get_param_type(0)
            setter.string = item.get_tag_as_string() == 'utf8'
            setter.item_record = _record_class(item)
        else:
            setter.record = _record_class(type_info)
        setters[name[4:]] = setter
    for field, name in enum_setters.items():
        if field in setters:
            setters[field].enum_name = name
    cls._horde_setters = setters
    return setters


def _is_enum(value):
    return isinstance(value, (GObject.GEnum, GObject.GFlags))


def _as_record(record_cls, value):
    # a dict is the keywords of the record
    if record_cls is not None and isinstance(value, dict):
        return record_cls(**value)
    return value


def _set_field(cls, builder, field, value):
    setter = _setters(cls).get(field)
    if setter is None:
        raise TypeError('Horde.%s() got an unexpected keyword argument %r (%s has no field %s)'
                        % (cls.__name__, field, cls.__name__, field))
    if isinstance(value, (list, tuple)):
        if setter.enum_name and value and all(_is_enum(v) for v in value):
            return getattr(builder, setter.enum_name)(list(value))
        value = [_as_record(setter.item_record, v) for v in value]
        if setter.string:
            value = [v.value_nick if _is_enum(v) else v for v in value]
    elif _is_enum(value):
        if setter.enum_name:
            return getattr(builder, setter.enum_name)(value)
        if setter.string:
            # the wire string is the value's nick
            value = value.value_nick
    else:
        value = _as_record(setter.record, value)
    return getattr(builder, setter.name)(value)


def _record_new(cls, *args, **fields):
    """Horde.X(field=value, …): builds the record through Horde.XBuilder.

    Each keyword is a field, given to the builder's set_<field>(): a value
    as the setter takes it; for a field of a record type, the record or a
    dict of its fields (a list of them for a list of records); a Horde enum
    value for a field with a set_<field>_enum(), or whose setter takes the
    wire string (the value's nick). A value of None leaves the field
    unset. end() checks the whole: a value the API refuses raises
    Horde.AIHordeRequestError, an unknown keyword TypeError.
    """
    if args:
        raise TypeError('Horde.%s() takes keyword arguments only (got %d positional)'
                        % (cls.__name__, len(args)))
    builder = cls._horde_builder.new()
    for field, value in fields.items():
        if value is not None:
            _set_field(cls, builder, field, value)
    return builder.end()


def _record_init(self, *args, **fields):
    # everything was done by __new__ (it returns what end() made)
    pass


def _record_getters(cls):
    """{field: getter name} of the record class @cls: its get_<field>()
    methods that take no argument."""
    getters = cls.__dict__.get('_horde_getters')
    if getters is not None:
        return getters
    getters = {}
    for method in cls.__info__.get_methods():
        name = method.get_name()
        if name.startswith('get_') and method.is_method() and not _visible_arguments(method):
            getters[name[4:]] = name
    cls._horde_getters = getters
    return getters


def _record_getattr(self, name):
    """A field of the record, as its get_<field>() returns it."""
    getter = None if name.startswith('_') else _record_getters(type(self)).get(name)
    if getter is None:
        raise AttributeError('%r object has no attribute %r' % (type(self).__name__, name))
    return getattr(self, getter)()


def _record_to_dict(self):
    """The JSON the record is sent as, as a dict (or a list, for a list
    type): what self.to_json() writes."""
    import json
    return json.loads(self.to_json())


@classmethod
def _record_from_dict(cls, data):
    """The record read from @data, the dict of its JSON, as new_from_json()
    reads it (the checks of a server's answer apply: a value of the wrong
    type raises Horde.AIHordeRequestError)."""
    import json
    text = json.dumps(data)
    return cls.new_from_json(text, len(text.encode()))


def _patch_records():
    """Gives every record type of the namespace (a boxed struct) what is
    above: keyword construction where it has a builder, attributes where
    it has getters, to_dict()/from_dict() where it has to_json() and
    new_from_json(). In place, so records libhorde returns have it too."""
    import gi
    from gi._gi import StructInfo
    structs = {}
    for info in gi.Repository.get_default().get_infos('Horde'):
        if isinstance(info, StructInfo) and not info.is_gtype_struct():
            structs[info.get_name()] = info
    for name, info in structs.items():
        if name.endswith('Builder') or not info.get_g_type().is_a(GObject.TYPE_BOXED):
            continue
        cls = getattr(Horde, name)
        methods = {m.get_name() for m in info.get_methods()}
        if name + 'Builder' in structs:
            cls._horde_builder = getattr(Horde, name + 'Builder')
            # no zeroed struct from PyGObject's default constructor
            cls.__new__ = staticmethod(_record_new)
            cls.__init__ = _record_init
        if any(m.startswith('get_') for m in methods):
            cls.__getattr__ = _record_getattr
        if 'to_json' in methods:
            cls.to_dict = _record_to_dict
        if 'new_from_json' in methods:
            cls.from_dict = _record_from_dict


_patch_records()


# -------------------------------------------------------------------------
# Cleanup: no request is left on the server by a script that ends, fails
# or is interrupted (Horde.Session, and Ctrl+C in Job.run_sync()).
#
# A _sync call of a C library blocks in C: Python only runs its signal
# handlers once the call returns, so Ctrl+C during a 30 s job would wait
# for its end. Job.run_sync() here runs the job in a main context of its
# own that it iterates from Python, with the idea of PyGObject's
# gi/_ossighelper.py: signal.set_wakeup_fd() writes to a socket that
# the context polls (g_main_context_add_poll(), not a source: no Python
# code runs inside the iteration, where an exception of a handler would be
# printed and lost), so a signal ends the iteration and its Python handler
# runs at once, in run_sync()'s loop. The handler cancels the job; once the
# server answered the DELETE the signal goes on to the handler that was
# there before (KeyboardInterrupt for SIGINT, the end of the process for an
# unhandled SIGTERM).

_log = logging.getLogger('Horde')

_CAUGHT_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class _SignalDeferral:
    """Holds SIGINT and SIGTERM while a call runs in @context, calling
    @on_signal at the first one, and delivers them once it is over.

    Works in the main thread only (the only one Python lets set signal
    handlers); elsewhere it does nothing."""

    def __init__(self, context, on_signal):
        self._context = context
        self._on_signal = on_signal
        self._previous = {}
        self._caught = []
        self._poll = None
        self._sockets = None
        self._wakeup_fd = None

    @property
    def active(self):
        return bool(self._previous)

    def drain(self):
        """Empties the wakeup socket, once the iteration a signal ended
        returned (its handler has run by now)."""
        if self._sockets is None:
            return
        try:
            while self._sockets[0].recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def _handle(self, signum, frame):
        self._caught.append(signum)
        self._on_signal(signum)

    def __enter__(self):
        if threading.current_thread() is not threading.main_thread():
            return self
        for signum in _CAUGHT_SIGNALS:
            previous = signal.getsignal(signum)
            # SIG_IGN, or a handler not set from Python: leave it be
            if previous is None or previous == signal.SIG_IGN:
                continue
            self._previous[signum] = previous
            signal.signal(signum, self._handle)
        if self._previous:
            self._sockets = socket.socketpair()
            for sock in self._sockets:
                sock.setblocking(False)
                sock.set_inheritable(False)
            self._wakeup_fd = signal.set_wakeup_fd(self._sockets[1].fileno())
            self._poll = GLib.PollFD(self._sockets[0].fileno(), GLib.IOCondition.IN)
            self._context.add_poll(self._poll, GLib.PRIORITY_DEFAULT)
        return self

    def __exit__(self, *exc_info):
        if not self._previous:
            return False
        self._context.remove_poll(self._poll)
        self._poll = None
        if signal.set_wakeup_fd(self._wakeup_fd) != self._sockets[1].fileno():
            _log.debug('the signal wakeup fd changed during a call')
        for sock in self._sockets:
            sock.close()
        for signum, previous in self._previous.items():
            signal.signal(signum, previous)
        previous = self._previous
        self._previous = {}
        # no exception of the call hides the signal: it is what the user did
        if self._caught:
            _deliver(self._caught[0], previous[self._caught[0]])
        return False


def _deliver(signum, handler):
    # what the signal would have done without us
    if callable(handler):
        handler(signum, None)
    elif handler == signal.SIG_DFL:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        # a default SIGINT/SIGTERM ends the process before this line


def _finish_quietly(context, results, deferral):
    # runs @context until @results holds the run's end; a further exception
    # (the same alarm again) does not stop the deletion: the first one is
    # what the caller sees
    while not results:
        try:
            context.iteration(True)
            deferral.drain()
        except BaseException as error:
            _log.debug('ignored while deleting a request: %r', error)


class Job(Horde.Job):

    def run_sync(self, cancellable=None):
        """Runs the job and waits for its end, blocking the calling thread.

        Unlike the C function, a SIGINT (Ctrl+C) or SIGTERM that arrives
        while it waits cancels the job at once: the request is deleted on
        the server, then the signal does what it would have done
        (KeyboardInterrupt for Ctrl+C). From a thread other than the main
        one, it is the C function."""
        if threading.current_thread() is not threading.main_thread():
            return Horde.Job.run_sync(self, cancellable)

        def interrupted(signum):
            _log.info('%s: cancelling the job %s', signal.Signals(signum).name,
                      self.get_id() or '(not submitted yet)')
            # the user wants out: delete, and do not wait for generations
            # workers were making (the second cancel)
            self.cancel()
            self.cancel()

        context = GLib.MainContext.new()
        results = []
        context.push_thread_default()
        try:
            with _SignalDeferral(context, interrupted) as deferral:
                Horde.Job.run_async(self, cancellable, lambda job, result: results.append(result))
                try:
                    while not results:
                        context.iteration(True)
                        # a signal's handler ran here, between the two
                        deferral.drain()
                except BaseException:
                    # left by an exception (one a signal handler raised, an
                    # alarm's say): the job would be left in a context no
                    # one runs, its request on the server. Delete it first.
                    _log.info('an exception left run_sync(): cancelling the job %s',
                              self.get_id() or '(not submitted yet)')
                    self.cancel()
                    self.cancel()
                    _finish_quietly(context, results, deferral)
                    raise
                # what is ready still runs (libsoup lets go of connections)
                while context.iteration(False):
                    pass
                return self.run_finish(results[0])
        finally:
            context.pop_thread_default()


Job = override(Job)
__all__.append('Job')


class ImageJob(Horde.ImageJob):
    # the C class has its own run_sync(), the same as the base class's
    run_sync = Job.run_sync


ImageJob = override(ImageJob)
__all__.append('ImageJob')


# -------------------------------------------------------------------------
# The simple client of horde_sdk (AIHordeAPISimpleClient), by its names, as
# methods of Horde.Client:
#
#   client = Horde.Client.new()
#   images = client.image_generate_request(request)
#   kudos = client.image_generate_request_dry_run(request)
#
# Each runs a job to its end with Job.run_sync() (Ctrl+C and SIGTERM
# delete the request at once) and, on any exception, deletes the request
# before raising it, as horde_sdk's simple client does.

# the typed DELETE of each kind of job, for a request its run left on the
# server: (job class name, request record, Client method)
_DELETES = (
    ('ImageJob', 'DeleteImageGenerateRequest', 'send_delete_image_generate_request_sync'),
    ('TextJob', 'DeleteTextGenerateRequest', 'send_delete_text_generate_request_sync'),
    ('AlchemyJob', 'AlchemyDeleteRequest', 'send_alchemy_delete_request_sync'),
)


def _delete_left_behind(job):
    """Deletes the request of @job if its run ended (by an error) while the
    server still held it; a kept job is left alone."""
    if not job.get_on_server() or job.get_keep() or job.get_id() is None:
        return
    for class_name, request_name, method in _DELETES:
        if isinstance(job, getattr(Horde, class_name)):
            break
    else:
        return
    client = job.get_client()
    try:
        getattr(client, method)(getattr(Horde, request_name)(id=job.get_id()), None)
        _log.info('deleted the request %s left on the server', job.get_id())
    except GLib.Error as error:
        # the exception that brought us here is what the caller must see
        _log.warning('could not delete the request %s: %s', job.get_id(), error.message)


def _run_job(job, cancellable):
    try:
        job.run_sync(cancellable)
    except BaseException:
        # run_sync() itself deleted the request it was following when it
        # was interrupted; a run that failed may have left it on the server
        _delete_left_behind(job)
        raise
    return job


def _image_generate_request(self, request, cancellable=None):
    """Runs the image request @request (a Horde.ImageGenerateAsyncRequest)
    to its end and returns its images, a list of Horde.GeneratedImage
    (bytes(image) is the file).

    horde_sdk's AIHordeAPISimpleClient.image_generate_request(). A failure
    raises Horde.AIHordeRequestError; on any exception, Ctrl+C included,
    the request is deleted on the server first."""
    job = _run_job(Horde.ImageJob.new(self, request), cancellable)
    return list(job.get_images())


def _image_generate_request_dry_run(self, request, cancellable=None):
    """What the server says the image request @request would cost, in
    kudos: a dry run, which queues nothing and spends nothing.

    horde_sdk's AIHordeAPISimpleClient.image_generate_request_dry_run()."""
    ok, kudos = Horde.ImageJob.new(self, request).estimate_sync(cancellable)
    return kudos


def _text_generate_request(self, request, cancellable=None):
    """Runs the text request @request (a Horde.TextGenerateAsyncRequest)
    to its end and returns its generations (Horde.GenerationKobold; the
    text is .text).

    horde_sdk's AIHordeAPISimpleClient.text_generate_request(); on any
    exception the request is deleted on the server first."""
    job = _run_job(Horde.TextJob.new(self, request), cancellable)
    return list(job.get_generations())


def _alchemy_request(self, request, cancellable=None):
    """Runs the alchemy request @request (a Horde.AlchemyAsyncRequest) to
    its end and returns its results, a list of Horde.AlchemyResult, one a
    form.

    horde_sdk's AIHordeAPISimpleClient.alchemy_request(); on any exception
    the request is deleted on the server first."""
    job = _run_job(Horde.AlchemyJob.new(self, request), cancellable)
    return list(job.get_results())


Horde.Client.image_generate_request = _image_generate_request
Horde.Client.image_generate_request_dry_run = _image_generate_request_dry_run
Horde.Client.text_generate_request = _text_generate_request
Horde.Client.alchemy_request = _alchemy_request


class Session:
    """Deletes the requests of @client's jobs on leaving a `with` block.

        with Horde.Session(client) as session:
            job = Horde.ImageJob.new(client, request)
            job.run_sync()
        print(session.deleted)

    On leaving the block, normally, by an exception, by KeyboardInterrupt
    or by SIGTERM (which the session turns into SystemExit while it is
    active, unless a handler is set already), every request that a job of
    @client holds on the server is deleted, except those of jobs marked
    with `job.set_keep(True)`; the ids deleted are in `session.deleted`
    and logged on the "Horde" logger. It waits for the server's answers,
    running the thread-default main context meanwhile (see
    Horde.Client.clean_up_sync).
    """

    def __init__(self, client):
        self.client = client
        self.deleted = []
        self._term_handler = None

    def __enter__(self):
        if (threading.current_thread() is threading.main_thread() and
                signal.getsignal(signal.SIGTERM) == signal.SIG_DFL):
            def terminated(signum, frame):
                raise SystemExit(128 + signum)
            self._term_handler = terminated
            signal.signal(signal.SIGTERM, terminated)
        return self

    def clean_up(self):
        """Deletes the requests of the client's jobs that are not kept now,
        returning their ids (the list is also added to `deleted`)."""
        ids = list(self.client.clean_up_sync(None) or [])
        if ids:
            _log.info('deleted %d request(s) left on the server: %s',
                      len(ids), ', '.join(ids))
        self.deleted.extend(ids)
        return ids

    def __exit__(self, exc_type, exc, tb):
        try:
            self.clean_up()
        finally:
            if self._term_handler is not None:
                if signal.getsignal(signal.SIGTERM) is self._term_handler:
                    signal.signal(signal.SIGTERM, signal.SIG_DFL)
                self._term_handler = None
        return False


__all__.append('Session')


# -------------------------------------------------------------------------
# asyncio: `await client.send_find_user_request_async(request)`,
# `await job.run_async()`, without a hand-run GLib.MainLoop.
#
# Every *_async method of the namespace, called without a callback from a
# coroutine of a running asyncio loop, returns an awaitable of what its
# _finish method returns (as PyGObject 3.50 does). With a callback, or
# outside asyncio, it is the C call. libhorde's client is not thread-safe:
# everything stays on the loop's thread, where GLib's default main context
# is iterated from the asyncio loop while an awaitable is pending (and not
# at all otherwise). Cancelling the task cancels the call's GCancellable
# and waits for its end (a job's DELETE) before CancelledError goes on.

class _Pump:
    """Iterates GLib's default main context from an asyncio loop while
    some awaitable of ours is pending there.

    PyGObject 3.42 cannot give the context's file descriptors to asyncio
    (GLib.MainContext.query() loses them), so the context is iterated on a
    timer: at once while it has work, backing off to _MAX_DELAY when idle.
    Answers of the server wait that long at most; nothing runs when nothing
    is pending."""

    _MAX_DELAY = 0.01

    def __init__(self, loop):
        self.loop = loop
        self.pending = 0
        self.handle = None
        self.delay = 0.0

    def hold(self):
        self.pending += 1
        self.delay = 0.0
        if self.handle is None:
            self.handle = self.loop.call_soon(self._run)

    def release(self):
        self.pending -= 1
        if self.pending == 0 and self.handle is not None:
            self.handle.cancel()
            self.handle = None

    def _run(self):
        self.handle = None
        context = GLib.MainContext.default()
        busy = False
        for _ in range(100):
            if not context.iteration(False):
                break
            busy = True
        if self.pending == 0:
            return
        self.delay = 0.0 if busy else min(max(self.delay * 2, 0.0005), self._MAX_DELAY)
        if self.delay:
            self.handle = self.loop.call_later(self.delay, self._run)
        else:
            self.handle = self.loop.call_soon(self._run)


_pumps = {}


def _pump_for(loop):
    pump = _pumps.get(loop)
    if pump is None or pump.loop is not loop:
        import weakref
        pump = _Pump(loop)
        _pumps[loop] = pump
        weakref.finalize(loop, _pumps.pop, loop, None)
    return pump


async def _await_call(future, cancellable, pump):
    import asyncio
    try:
        try:
            return await asyncio.shield(future)
        except asyncio.CancelledError:
            if future.done():
                raise
            # the caller gave up: cancel the call and see it end (a job
            # deletes its request on the server) before saying so
            cancellable.cancel()
            while not future.done():
                try:
                    await asyncio.shield(future)
                except asyncio.CancelledError:
                    continue
                except BaseException:
                    break
            if future.done() and not future.cancelled():
                # the end of a cancelled call (G_IO_ERROR_CANCELLED, as a
                # rule) is seen, not "never retrieved": CancelledError is
                # what the caller asked for
                future.exception()
            raise
    finally:
        pump.release()


def _running_loop():
    # no asyncio imported: no loop runs (and importing it costs time)
    asyncio = sys.modules.get('asyncio')
    if asyncio is None:
        return None
    return asyncio._get_running_loop()


class _AsyncMethod:
    """A *_async method of the namespace: awaitable in asyncio without a
    callback, the C call otherwise."""

    def __init__(self, func, finish, callback_index, cancellable_index):
        self.__dict__['__wrapped__'] = func
        self.__dict__['_finish'] = finish
        self.__dict__['_callback_index'] = callback_index
        self.__dict__['_cancellable_index'] = cancellable_index
        for name in ('__module__', '__name__', '__qualname__'):
            try:
                self.__dict__[name] = getattr(func, name)
            except AttributeError:
                pass

    @property
    def __doc__(self):
        return self.__wrapped__.__doc__

    def __getattr__(self, name):
        return getattr(self.__dict__['__wrapped__'], name)

    def __get__(self, obj, objtype=None):
        if obj is None:
            return self
        return types.MethodType(self, obj)

    def __repr__(self):
        return repr(self.__wrapped__)

    def __call__(self, obj, *args, **kwargs):
        # the arguments after self: a callback given is the C call
        if (len(args) > self._callback_index or kwargs.get('callback') is not None
                or kwargs.get('user_data') is not None):
            return self.__wrapped__(obj, *args, **kwargs)
        loop = _running_loop()
        if loop is None:
            return self.__wrapped__(obj, *args, **kwargs)
        args = list(args)
        cancellable = None
        if self._cancellable_index is not None:
            if len(args) > self._cancellable_index:
                cancellable = args[self._cancellable_index]
            else:
                cancellable = kwargs.pop('cancellable', None)
            if cancellable is None:
                cancellable = Gio.Cancellable()
            if len(args) > self._cancellable_index:
                args[self._cancellable_index] = cancellable
            else:
                while len(args) < self._cancellable_index:
                    args.append(None)
                args.append(cancellable)
        future = loop.create_future()
        finish = self._finish

        def done(source, result, *user_data):
            if future.done():
                return
            try:
                value = finish(source if source is not None else obj, result)
            except BaseException as error:
                future.set_exception(error)
            else:
                future.set_result(value)

        pump = _pump_for(loop)
        self.__wrapped__(obj, *args, callback=done, **kwargs)
        pump.hold()
        return _await_call(future, cancellable, pump)


def _wrap_async_methods():
    """Makes every *_async method with a _finish awaitable (above)."""
    import gi
    from gi._gi import ObjectInfo
    for info in gi.Repository.get_default().get_infos('Horde'):
        if not isinstance(info, ObjectInfo):
            continue
        cls = None
        for method in info.get_methods():
            name = method.get_name()
            if not name.endswith('_async') or not method.is_method():
                continue
            if cls is None:
                cls = getattr(Horde, info.get_name())
            if name not in cls.__dict__:
                continue
            finish = getattr(cls, name[:-len('_async')] + '_finish', None)
            if finish is None:
                continue
            names = [arg.get_name() for arg in _visible_arguments(method)]
            if 'callback' not in names:
                continue
            setattr(cls, name, _AsyncMethod(
                cls.__dict__[name], finish, names.index('callback'),
                names.index('cancellable') if 'cancellable' in names else None))


_wrap_async_methods()


async def _session_aenter(self):
    return self


async def _session_aexit(self, exc_type, exc, tb):
    """Deletes the client's requests (but the kept ones) on leaving an
    `async with` block in any way, a cancelled task included."""
    import asyncio
    cleaning = asyncio.ensure_future(self.client.clean_up_async())
    cancelled = False
    while True:
        try:
            ids = await asyncio.shield(cleaning)
            break
        except asyncio.CancelledError:
            # a cancel now must not stop the cleanup; it is said after
            if cleaning.done():
                raise
            cancelled = True
    ids = list(ids or [])
    if ids:
        _log.info('deleted %d request(s) left on the server: %s', len(ids), ', '.join(ids))
    self.deleted.extend(ids)
    if cancelled and exc_type is None:
        raise asyncio.CancelledError()
    return False


Session.__aenter__ = _session_aenter
Session.__aexit__ = _session_aexit


class AsyncSimpleClient:
    """horde_sdk's AIHordeAPIAsyncSimpleClient: the simple client's calls as
    coroutines, on @client (a Horde.Client; a new one by default).

        async with Horde.Session(client):
            simple_client = Horde.AsyncSimpleClient(client)
            images = await simple_client.image_generate_request(request)

    Cancelling the task deletes the request before CancelledError goes on;
    a run that fails with its request still on the server deletes it
    before raising."""

    def __init__(self, client=None):
        self.client = client if client is not None else Horde.Client.new()

    async def _run(self, job):
        try:
            await job.run_async()
        except BaseException:
            await _delete_left_behind_async(job)
            raise
        return job

    async def image_generate_request(self, request):
        """The images of @request, a list of Horde.GeneratedImage."""
        job = await self._run(Horde.ImageJob.new(self.client, request))
        return list(job.get_images())

    async def image_generate_request_dry_run(self, request):
        """What the server says @request would cost, in kudos."""
        ok, kudos = await Horde.ImageJob.new(self.client, request).estimate_async()
        return kudos

    async def text_generate_request(self, request):
        """The generations of the text request @request."""
        job = await self._run(Horde.TextJob.new(self.client, request))
        return list(job.get_generations())

    async def alchemy_request(self, request):
        """The results of the alchemy request @request, one a form."""
        job = await self._run(Horde.AlchemyJob.new(self.client, request))
        return list(job.get_results())


async def _delete_left_behind_async(job):
    if not job.get_on_server() or job.get_keep() or job.get_id() is None:
        return
    for class_name, request_name, method in _DELETES:
        if isinstance(job, getattr(Horde, class_name)):
            break
    else:
        return
    try:
        await getattr(job.get_client(), method[:-len('_sync')] + '_async')(
            getattr(Horde, request_name)(id=job.get_id()))
        _log.info('deleted the request %s left on the server', job.get_id())
    except GLib.Error as error:
        _log.warning('could not delete the request %s: %s', job.get_id(), error.message)


__all__.append('AsyncSimpleClient')
