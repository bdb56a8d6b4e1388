#!/usr/bin/env python3
"""parent writes a string into shared memory through the library, with the
Python binding (sharedmem.py), starts the child and waits for it; it exits
with the child's status, as hosts/c/parent.c does.

Usage: parent.py [CHILD_COMMAND_LINE [TEXT]]
       parent.py --record JSON [CHILD_COMMAND_LINE]
       parent.py --unlink

CHILD_COMMAND_LINE defaults to child.py beside this program, TEXT to "This
is a test string". On Linux a CHILD_COMMAND_LINE given is run by /bin/sh -c,
on Windows as CreateProcess parses it.

--record writes the typed record from JSON (an object of its fields)
instead of the text, and starts the child with --record, which prints it
back as one line of JSON.
"""
from __future__ import annotations

import os
import subprocess
import sys

import sharedmem


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[1] == "--unlink":
        return unlink_main("parent")
    record = len(argv) > 1 and argv[1] == "--record"
    if len(argv) > (4 if record else 3) or (record and len(argv) < 3):
        print("usage: parent [CHILD_COMMAND_LINE [TEXT]]\n       parent --record JSON [CHILD_COMMAND_LINE]\n"
              "       parent --unlink", file=sys.stderr)
        return 2
    try:
        lib = sharedmem.SharedMem()
    except OSError as e:
        print(f"parent: loading {sharedmem.LIBRARY} failed: {e}", file=sys.stderr)
        return 1
    if record:
        try:
            lib.write_record_json(os.fsencode(argv[2]).decode("utf-8"))
        except UnicodeDecodeError:
            print("parent: the record's JSON is not text", file=sys.stderr)
            return 1
        except (ValueError, sharedmem.SharedMemError) as e:
            print(f"parent: {e}", file=sys.stderr)
            return 1
        return run_child(argv[3] if len(argv) > 3 else None, " --record")
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
    return run_child(argv[1] if len(argv) > 1 else None, "")


def run_child(line: str | None, arg: str) -> int:
    """Runs the child's command line, or child.py beside this program, with
    arg (" --record" or "") after it, and returns its exit status."""
    if line is not None:
        command = line + arg if sys.platform == "win32" else ["/bin/sh", "-c", line + arg]
    else:
        command = [sys.executable, os.path.join(sharedmem.program_dir(), "child.py")] + arg.split()
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
