#!/usr/bin/env python3
"""child reads the string its parent wrote into shared memory through
the library, with the Python binding (sharedmem.py), and prints it, as
hosts/c/child.c does.

Usage: child.py [--next | --record | --unlink]

With --next it first waits, up to a minute, for the next write, and prints
what that wrote. --record prints the typed record instead, as one line of
JSON, byte for byte as the C child does. --unlink does what parent.py
--unlink does.
"""
from __future__ import annotations

import sys

import sharedmem
from parent import unlink_main


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[1] == "--unlink":
        return unlink_main("child")
    record = len(argv) == 2 and argv[1] == "--record"
    if len(argv) > 2 or (len(argv) == 2 and not record and argv[1] != "--next"):
        print("usage: child [--next | --record | --unlink]", file=sys.stderr)
        return 2
    try:
        lib = sharedmem.SharedMem()
    except OSError as e:
        print(f"child: loading {sharedmem.LIBRARY} failed: {e}", file=sys.stderr)
        return 1
    if record:
        return print_record(lib)
    try:
        if len(argv) == 2:
            # 0 returns the current generation at once; the next call waits for it to change.
            lib.wait(lib.wait(0), timeout=60)
        text = lib.get()
    except sharedmem.AbandonedError as e:
        text = e.value  # printed all the same, as the C child does
    except sharedmem.SharedMemError as e:
        print(f"child: {e}", file=sys.stderr)
        return 1
    # An unpaired surrogate prints as U+FFFD, as in the C child.
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    sys.stdout.buffer.write(("Child process read from shared memory: " + text + "\n").encode("utf-8"))
    sys.stdout.flush()
    return 0


def print_record(lib: sharedmem.SharedMem) -> int:
    """Prints the record as one line of JSON; an abandoned one is printed all
    the same, after saying so, as the C child does."""
    try:
        line, abandoned = lib.read_record_json()
    except (sharedmem.SharedMemError, ValueError) as e:
        print(f"child: {e}", file=sys.stderr)
        return 1
    if abandoned:
        print(f"child: {sharedmem.status_text(sharedmem.STATUS_ABANDONED)}", file=sys.stderr)
    sys.stdout.buffer.write((line + "\n").encode("utf-8", "surrogatepass"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
