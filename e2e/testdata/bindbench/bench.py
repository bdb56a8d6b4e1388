#!/usr/bin/env python3
"""bench times the Python binding (sharedmem.py) from a program beside the
library, as e2e/testdata/bench.c times the library from C:

  bench.py pair N LEN   the mean cost of N set+get pairs of a LEN-character
                        string, in nanoseconds (pair_ns=)
  bench.py call N       the mean cost of N size() calls (call_ns=)
  bench.py record N     the mean cost of N read_record(out) calls (record_ns=)
  bench.py noop N       a bare ctypes call: the size export through a
                        function pointer whose argtypes and restype are set
                        once, nothing around it (noop_ns=)
  bench.py hand N LEN   pair, through a careful hand-written ctypes binding
                        (below: prototypes set once, a reused
                        create_string_buffer, UTF-16 as bytes, each call's
                        BOOL checked, and a read's status, which says
                        whether a dead writer left it half-written)
                        instead of sharedmem (hand_ns=)

Each loop runs N/10 times untimed first. The clock is the process's CPU
time, as in bench.c.
"""
import ctypes
import os
import sys
import time

import sharedmem


def timed(n, f):
    for _ in range(n // 10):
        f()
    start = time.process_time_ns()
    for _ in range(n):
        f()
    return (time.process_time_ns() - start) / n


class Hand:
    """A careful hand-written binding of the set and get exports."""

    def __init__(self, path):
        lib = ctypes.CDLL(path)
        self._set = lib.SetSharedMem
        self._set.argtypes = [ctypes.c_char_p]
        self._set.restype = ctypes.c_int
        self._get = lib.GetSharedMem
        self._get.argtypes = [ctypes.c_char_p, ctypes.c_uint32]
        self._get.restype = ctypes.c_int
        self._status = lib.SharedMemLastError
        self._status.argtypes = []
        self._status.restype = ctypes.c_uint32
        self._buf = ctypes.create_string_buffer(2 * 256)

    def set(self, text):
        if not self._set(text.encode("utf-16-le") + b"\0\0"):
            raise OSError("SetSharedMem failed")

    def get(self):
        if not self._get(self._buf, 256):
            raise OSError("GetSharedMem failed")
        if self._status() == sharedmem.STATUS_ABANDONED:
            raise OSError("GetSharedMem: ABANDONED")
        raw = self._buf.raw
        end = raw.find(b"\0\0")
        while end % 2:
            end = raw.find(b"\0\0", end + 1)
        return raw[:end].decode("utf-16-le")


def main(argv):
    if len(argv) < 3 or not argv[2].isdigit() or int(argv[2]) <= 0:
        return usage()
    what, n = argv[1], int(argv[2])
    mem = sharedmem.SharedMem()
    if what in ("pair", "hand") and len(argv) == 4 and argv[3].isdigit():
        text = "x" * int(argv[3])
        api = mem if what == "pair" else Hand(mem.path)
        got = None

        def pair():
            nonlocal got
            api.set(text)
            got = api.get()

        ns = timed(n, pair)
        if got != text:
            return fail(f"read back {len(got)} characters, wrote {len(text)}")
        print(f"{what}_ns={ns:.1f}")
        return 0
    if len(argv) != 3:
        return usage()
    if what == "call":
        print(f"call_ns={timed(n, mem.size):.1f}")
        return 0
    if what == "noop":
        size = ctypes.CDLL(mem.path).SharedMemSize
        size.argtypes = []
        size.restype = ctypes.c_uint64
        print(f"noop_ns={timed(n, size):.1f}")
        return 0
    if what == "record":
        if not hasattr(mem, "read_record"):
            return fail("the binding has no record")
        r = sharedmem.Reading()
        r.count = 42
        mem.write_record(r)
        out = sharedmem.Reading()
        ns = timed(n, lambda: mem.read_record(out))
        if out.count != 42:
            return fail("read back another record")
        print(f"record_ns={ns:.1f}")
        return 0
    return usage()


def fail(msg):
    print(f"bench.py: {msg}", file=sys.stderr)
    return 1


def usage():
    print("usage: bench.py pair N LEN | call N | record N | noop N | hand N LEN", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
