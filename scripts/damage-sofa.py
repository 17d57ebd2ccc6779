#!/usr/bin/env python3
"""Makes a damaged copy of a SOFA file for the tests (issue 17): one value of the first compressed
HDF5 chunk of at least 64 kB (in the MIT KEMAR and ARI files, the impulse responses, Data.IR) is set
to NaN, +infinity or 1e30, and the chunk is deflated again in place (zero-padded to its old size,
which inflate ignores after the stream's end). The file's structure is untouched, so libmysofa
opens it and hands the damaged responses on.

usage: damage-sofa.py IN OUT [nan|inf|huge] [value-index]
"""
import struct
import sys
import zlib


def main():
    src, dst = sys.argv[1], sys.argv[2]
    kind = sys.argv[3] if len(sys.argv) > 3 else "nan"
    index = int(sys.argv[4]) if len(sys.argv) > 4 else 100
    data = bytearray(open(src, "rb").read())
    start = 0
    while True:
        start = data.find(b"\x78", start)
        if start < 0:
            sys.exit("damage-sofa: no compressed chunk of at least 64 kB found in " + src)
        if start + 1 < len(data) and (data[start] * 256 + data[start + 1]) % 31 == 0:
            d = zlib.decompressobj()
            try:
                plain = d.decompress(bytes(data[start:]))
            except zlib.error:
                plain = b""
            if d.eof and len(plain) >= 65536:
                used = len(data) - start - len(d.unused_data)
                break
        start += 1
    value = {"nan": float("nan"), "inf": float("inf"), "huge": 1e30}[kind]
    plain = bytearray(plain)
    # Doubles, stored plain or through HDF5's shuffle filter (byte k of element i at k * n + i; both
    # shipped files use it): the layout whose values look like impulse responses is the one used.
    n = len(plain) // 8
    unshuffled = bytearray(8 * n)
    for k in range(8):
        unshuffled[k::8] = plain[k * n:(k + 1) * n]

    def plausible(raw):
        values = struct.unpack("<%dd" % n, bytes(raw[:8 * n]))
        return all(abs(v) < 100 for v in values) and any(v != 0 for v in values)

    if plausible(unshuffled):
        struct.pack_into("<d", unshuffled, 8 * index, value)
        for k in range(8):
            plain[k * n:(k + 1) * n] = unshuffled[k::8]
    elif plausible(plain):
        struct.pack_into("<d", plain, 8 * index, value)
    else:
        sys.exit("damage-sofa: the chunk holds no doubles that look like impulse responses")
    packed = zlib.compress(bytes(plain), 9)
    if len(packed) > used:
        sys.exit("damage-sofa: the damaged chunk does not fit in place")
    data[start:start + used] = packed + bytes(used - len(packed))
    open(dst, "wb").write(data)


if __name__ == "__main__":
    main()
