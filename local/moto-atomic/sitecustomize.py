# Loaded by the Python that runs moto_server (local/moto.ts puts this folder on its PYTHONPATH).
#
# S3 makes a conditional write atomic: of several PUTs with the same If-Match (or If-None-Match: *),
# one succeeds and the others get 412 Precondition Failed. moto checks the condition and then writes,
# in a threaded server, with nothing between the two: when its threads switch mid-request two requests
# can both pass the check (test/integration/moto-conditional-writes.test.ts measures it). Baton's
# ledger relies on S3's guarantee, so the emulator is made to keep it: S3's writes are handled one at
# a time. Either way one line on stderr says what happened; local/moto.ts repeats a failure.
import os
import sys
import threading

# A test's knob (test/integration/moto-conditional-writes.test.ts): switch threads as often as Python
# allows, the way CPU contention does, so a race shows in a hundred requests rather than a thousand.
if os.environ.get("BATON_MOTO_SWITCH_INTERVAL"):
    sys.setswitchinterval(float(os.environ["BATON_MOTO_SWITCH_INTERVAL"]))

# PutObject, DeleteObject (both take If-Match) and the POSTs that complete multipart uploads.
_WRITES = ("put_object", "delete_object", "_key_response_post")


def _one_at_a_time(handler, lock):
    def handle(self, *args, **kwargs):
        with lock:
            return handler(self, *args, **kwargs)

    handle.__name__ = handler.__name__
    return handle


try:
    from moto.s3.responses import S3Response

    _lock = threading.Lock()
    _handlers = {name: getattr(S3Response, name) for name in _WRITES}
    for _name, _handler in _handlers.items():
        setattr(S3Response, _name, _one_at_a_time(_handler, _lock))
    print(
        f"baton moto-atomic: S3 writes one at a time (switch interval {sys.getswitchinterval()} s)",
        file=sys.stderr,
        flush=True,
    )
except Exception as error:  # moto not importable here, or renamed: say so, and run moto as it is
    print(f"baton moto-atomic: moto.s3 not patched ({error!r})", file=sys.stderr, flush=True)
