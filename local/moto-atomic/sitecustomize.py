# Loaded by the Python that runs moto_server (local/moto.ts puts this folder on its PYTHONPATH).
#
# S3 makes a conditional write atomic: of several PUTs with the same If-Match (or If-None-Match: *),
# one succeeds and the others get 412 Precondition Failed. moto checks the condition and then writes,
# in a threaded server, with nothing between the two: under CPU contention two requests can both pass
# the check (test/integration/moto-conditional-writes.test.ts measures it). Baton's ledger relies on
# S3's guarantee, so the emulator is made to keep it: S3's writes are handled one at a time.
import os
import sys
import threading

# A test's knob (test/integration/moto-conditional-writes.test.ts): switch threads as often as Python
# allows, the way CPU contention does, so a race shows in a hundred requests rather than a thousand.
if os.environ.get("BATON_MOTO_SWITCH_INTERVAL"):
    sys.setswitchinterval(float(os.environ["BATON_MOTO_SWITCH_INTERVAL"]))

try:
    from moto.s3.responses import S3Response
except Exception as error:  # moto not importable in this interpreter: nothing to patch
    print(f"baton moto-atomic: moto.s3 not patched ({error})", file=sys.stderr)
else:
    _writes = threading.Lock()

    def _one_at_a_time(handler):
        def handle(self, *args, **kwargs):
            with _writes:
                return handler(self, *args, **kwargs)

        handle.__name__ = handler.__name__
        return handle

    # PutObject, DeleteObject (both take If-Match) and the POSTs that complete multipart uploads.
    for _name in ("put_object", "delete_object", "_key_response_post"):
        setattr(S3Response, _name, _one_at_a_time(getattr(S3Response, _name)))
    S3Response.baton_atomic_writes = True
