"""The helper process of a large 12345 import: `python -m intake.import_helper`, started by
intake.hotline_import.Ahead, never by hand.

It reads from stdin, as length-prefixed pickles, first the RowDecider (and answers (READY, True, None) once it
has it), then (chunk number, rows) until stdin closes, and answers each chunk on stdout with (chunk number, True,
decisions) or, when deciding failed, (chunk number, False, (error type, message, traceback)). It needs no
database and no Django settings: a fresh interpreter that imports only what deciding needs, so it shares nothing
with the importing process (no connection, no lock, no thread) and does not run the importing program's main
module again. Anything it prints goes to stderr, so stdout carries only answers.
"""
import os
import pickle
import signal
import struct
import sys
import traceback

HEADER = struct.Struct("!Q")
READY = -1  # the chunk number of the answer saying the helper has started


def read_message(stream):
    """The next object, or EOFError when the stream ends (also in the middle of a message)."""
    head = stream.read(HEADER.size)
    if len(head) < HEADER.size:
        raise EOFError
    (size,) = HEADER.unpack(head)
    body = stream.read(size)
    if len(body) < size:
        raise EOFError
    return pickle.loads(body)


def write_message(stream, obj=None, *, pickled: bytes | None = None) -> None:
    """Send an object, or one already pickled."""
    body = pickled if pickled is not None else pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(body)))
    stream.write(body)
    stream.flush()


def main() -> int:
    # Ctrl-C reaches the whole process group: the importing process stops this one itself (Ahead.close).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())  # a stray print must not corrupt the answers
    requests = sys.stdin.buffer
    decider = read_message(requests)
    write_message(answers, (READY, True, None))  # started: from now on a failure is the import's failure
    while True:
        try:
            number, rows = read_message(requests)
        except EOFError:  # the import is over (or gave up): stop
            return 0
        try:
            answer = (number, True, decider.decide(rows))
        except Exception as exc:  # noqa: BLE001 - reported to the importing process, which raises it
            answer = (number, False, (type(exc).__name__, str(exc), traceback.format_exc()))
        write_message(answers, answer)


if __name__ == "__main__":
    sys.exit(main())
