#!/usr/bin/env python3
"""Writes a small SimpleFreeFieldHRIR SOFA file, the seed of the SOFA fuzz test
(Tests/HRTFTests/SofaFuzzTests.swift): 8 directions on the horizontal plane (every 45 degrees),
64 taps at 48 kHz, each ear's response one Hann-windowed pulse delayed by a spherical head's time
of arrival (Woodworth, 8.75 cm radius), the far ear 30 % quieter.

Why not the shipped heads: libmysofa takes 0.4 s (ARI) to 2 s (MIT KEMAR, resampled) to open them,
so 100,000 mutated copies would take days; this file opens in about a millisecond. It is written
through netCDF, as the SOFA APIs write theirs (libmysofa reads netCDF's HDF5 layout and no other);
needs the netCDF4 Python package (pip install netCDF4). The file it wrote is committed beside the
test, so the test itself needs neither.

usage: make-small-sofa.py OUT
"""
import math
import sys

import netCDF4
import numpy as np

M, R, N, RATE = 8, 2, 64, 48000.0
RADIUS, SPEED = 0.0875, 343.0


def main():
    f = netCDF4.Dataset(sys.argv[1], "w", format="NETCDF4")
    f.setncatts({
        "Conventions": "SOFA", "Version": "1.0", "SOFAConventions": "SimpleFreeFieldHRIR",
        "SOFAConventionsVersion": "1.0", "DataType": "FIR", "RoomType": "free field",
        "Title": "soundloc fuzz seed", "License": "CC0 (made by scripts/make-small-sofa.py)",
        "APIName": "soundloc scripts/make-small-sofa.py", "APIVersion": "1.0.0",
    })
    for name, size in [("I", 1), ("C", 3), ("R", R), ("E", 1), ("N", N), ("M", M)]:
        f.createDimension(name, size)

    def variable(name, dimensions, data, **attributes):
        v = f.createVariable(name, "f8", tuple(dimensions))
        v[:] = np.asarray(data, dtype="f8")
        v.setncatts(attributes)

    azimuths = [45.0 * m for m in range(M)]  # SOFA's azimuth: counter-clockwise, 90 = left
    variable("ListenerPosition", "IC", [[0, 0, 0]], Type="cartesian", Units="metre")
    variable("ListenerUp", "IC", [[0, 0, 1]], Type="cartesian", Units="metre")
    variable("ListenerView", "IC", [[1, 0, 0]], Type="cartesian", Units="metre")
    variable("ReceiverPosition", "RCI", [[[0], [RADIUS], [0]], [[0], [-RADIUS], [0]]], Type="cartesian",
             Units="metre")
    variable("SourcePosition", "MC", [[a, 0, 1.2] for a in azimuths], Type="spherical",
             Units="degree, degree, metre")
    variable("EmitterPosition", "ECI", [[[0], [0], [0]]], Type="cartesian", Units="metre")
    ir = np.zeros((M, R, N))
    window = np.hanning(7)
    for m, a in enumerate(azimuths):
        lateral = math.asin(math.sin(math.radians(a)))  # front and back share a lateral angle
        itd = RADIUS / SPEED * (lateral + math.sin(lateral))  # Woodworth; positive: the left ear first
        for r, sign in [(0, -1), (1, 1)]:  # receiver 0 is the left ear
            onset = 24 + int(round(sign * itd / 2 * RATE))
            ir[m, r, onset:onset + 7] = window * (1 - 0.3 * max(0.0, sign * math.sin(lateral)))
    variable("Data.IR", "MRN", ir)
    variable("Data.SamplingRate", "I", [RATE], Units="hertz")
    variable("Data.Delay", "IR", [[0, 0]])
    f.close()


if __name__ == "__main__":
    main()
