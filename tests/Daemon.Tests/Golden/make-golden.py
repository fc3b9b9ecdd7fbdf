#!/usr/bin/env python3
"""Writes the golden records the Daemon tests read, byte by byte from the documented layouts
(protocol/InitLink/README.md), independently of the C# writers. Re-run only to add a file:
a golden file that changes means an old record no longer reads."""
import struct, zlib

def s7(text):
    b = text.encode()
    n, out = len(b), bytearray()
    while True:
        if n < 0x80: out.append(n); break
        out.append((n & 0x7f) | 0x80); n >>= 7
    return bytes(out) + b

def handover(version, snapshot, generation=None, starts=()):
    r = struct.pack('<Ii', 0x4f484954, version) + struct.pack('<i', len(snapshot)) + snapshot
    r += struct.pack('<i', -1) + s7('/run/tinyinit.socket') + struct.pack('<ii', -1, -1)
    r += bytes([1, 0])                                   # all-stopped pending, boot failure handled
    r += struct.pack('<i', 1) + s7('GOLDEN') + s7('yes')  # environment
    r += struct.pack('<i', 1) + s7('web') + struct.pack('<i', -1) + bytes([0])   # readiness pipes
    r += struct.pack('<i', 1) + struct.pack('<ii', 4242, 0x100)   # unowned exits
    if version >= 2:                                     # parked descriptors: next key, live keys, pipe keys
        r += struct.pack('<ii', 8, 1) + struct.pack('<i', 7) + struct.pack('<i', 7)
    if version >= 3:
        r += struct.pack('<q', generation) + struct.pack('<i', len(starts))
        for pid, ticks in starts: r += struct.pack('<iq', pid, ticks)
    return r

open('handover-v1.bin', 'wb').write(handover(1, b'TIES-not-parsed-here'))
open('handover-v2.bin', 'wb').write(handover(2, b'TIES-not-parsed-here'))

def descriptor(generation, offset, body):
    d = struct.pack('<QQII', generation, offset, len(body), zlib.crc32(body))
    return d + struct.pack('<II', zlib.crc32(d), 0)

newer = handover(3, b'newer', 7, [(100, 5555), (101, 5556)])
older = handover(3, b'older', 6, [(100, 5555)])
f = bytearray(8192 + len(older))
f[0:24] = struct.pack('<IIQQ', 0x52434954, 1, 7, 0)
f[24:56] = descriptor(12, 4096, newer)
f[56:88] = descriptor(11, 8192, older)
f[4096:4096 + len(newer)] = newer
f[8192:8192 + len(older)] = older
open('crash-record-layout-v1.bin', 'wb').write(bytes(f))

# The state file as managers before the crash record wrote it: length | generation | lines | crc32.
body = b'web\t42\t12345\ndb@main\t7\t99\n'
head = struct.pack('<IQ', len(body), 3) + body
open('state-lines-v0.bin', 'wb').write(head + struct.pack('<I', zlib.crc32(head)))
