#!/usr/bin/env python3
"""parent writes a string into shared memory through the library, with the
Python binding (sharedmem.py), starts the child and waits for it; it exits
with the child's status, as hosts/c/parent.c does.

Usage: parent.py [CHILD_COMMAND_LINE [TEXT]]
       parent.py --unlink

CHILD_COMMAND_LINE defaults to child.py beside this program, TEXT to "This
is a test string". On Linux a CHILD_COMMAND_LINE given is run by /bin/sh -c,
on Windows as CreateProcess parses it.
"""
from __future__ import annotations

import os
import subprocess
import sys

import sharedmem


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[1] == "--unlink":
        return unlink_main("parent")
    if len(argv) > 3:
        print("usage: parent [CHILD_COMMAND_LINE [TEXT]]\n       parent --unlink", file=sys.stderr)
        return 2
    try:
        lib = sharedmem.SharedMem()
    except OSError as e:
        print(f"parent: loading {sharedmem.LIBRARY} failed: {e}", file=sys.stderr)
        return 1
    # An argument that is not valid UTF-8 reads as U+FFFD, as in the C parent.
    text = os.fsencode(argv[2]).decode("utf-8", "replace") if len(argv) > 2 else "This is a test string"
    print("Process is writing to shared memory...", flush=True)
    try:
        whole = lib.set(text)
    except sharedmem.SharedMemError as e:
        print(f"parent: {e}", file=sys.stderr)
        return 1
    if not whole:
        print(f"parent: the text was cut to fit the mapping's {sharedmem.CAPACITY - 1} characters", file=sys.stderr)
    if len(argv) > 1:
        command = argv[1] if sys.platform == "win32" else ["/bin/sh", "-c", argv[1]]
    else:
        command = [sys.executable, os.path.join(sharedmem.program_dir(), "child.py")]
    try:
        status = subprocess.call(command)
    except OSError as e:
        print(f"parent: starting the child failed: {e}", file=sys.stderr)
        return 1
    return status if status >= 0 else 128 - status


def unlink_main(who: str) -> int:
    """--unlink: removes the segment's name on Linux, so that the next process creates it afresh."""
    try:
        sharedmem.SharedMem().unlink()
    except (OSError, sharedmem.SharedMemError) as e:
        print(f"{who}: {e}", file=sys.stderr)
        return 1
    if sys.platform == "win32":
        print(f"{who}: nothing to remove on Windows: a mapping goes away with its last handle")
    else:
        print(f"{who}: removed {sharedmem.SEGMENT}; the next process creates it afresh")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
