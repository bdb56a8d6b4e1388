#!/usr/bin/env python3
# probe calls every method of the Python binding and prints what each did,
# in the lines probe.rs and Probe.cs print too (e2e TestBindingsLinux).
import threading
import time

import sharedmem

lib = sharedmem.SharedMem()
text = "h\u00e9\U0001F600"
print("set", str(lib.set(text)).lower())
print("length", lib.length())
print("get", "ok" if lib.get() == text else repr(lib.get()))
print("size", lib.size())
lib.write_bytes(4000, b"\x01\x02\x03")
print("bytes", lib.read_bytes(4000, 3).hex())
try:
    lib.read_bytes(lib.size() - 1, 2)
    print("read past end: no error")
except sharedmem.SharedMemError as e:
    print("read past end", f"0x{e.status:08x}")
g = lib.wait(0)
try:
    lib.wait(g, timeout=0.05)
    print("timeout: none")
except sharedmem.WaitTimeout as e:
    print("timeout", e.status, isinstance(e, TimeoutError))
cancel = threading.Event()
threading.Timer(0.1, cancel.set).start()
try:
    lib.wait(g, cancel=cancel)
    print("cancel: none")
except sharedmem.WaitCancelled:
    print("cancelled")
threading.Timer(0.1, lambda: lib.write_bytes(0, b"x")).start()
print("woken", lib.wait(g, timeout=5) - g)
print("set", str(lib.set("a" * (sharedmem.CAPACITY + 5))).lower())
print("length", lib.length())
lib.set("a\ud83d")  # an unpaired surrogate goes through as it is
print("lone", "ok" if lib.get() == "a\ud83d" and lib.length() == 2 else repr(lib.get()))
# around the first read's buffer of 256 units, and a pair across its end
ok = all(lib.set(t) and lib.get() == t for n in range(250, 260) for t in ("b" * n, "b" * n + "\U0001F600"))
print("boundary", "ok" if ok else "wrong")
print("set", str(lib.set("")).lower())
print("empty", "ok" if lib.get() == "" and lib.length() == 0 else "not empty")
