#!/usr/bin/env python3
"""Follows a live stream the way `arecord ... | soundloc localize --track -` does, and prints its
latency and CPU load.

A stereo WAV is written into `soundloc localize --track --format csv -` at real-time pace, in
10 ms pieces, behind a header that states a bogus length (as arecord's does on a pipe). Each track
row's arrival is timed against the moment its frame's last sample was written:

- frame-end latency: row arrival minus the writing of the frame's last sample (what the pipeline
  adds on top of the frame itself: one read block, the longest internal delay, computation);
- sound-to-row latency: row arrival minus the writing of the frame's first sample (a sound at the
  start of a frame waits for the whole frame too);
- switch latency, when --switch-seconds is given (the stream alternates sides every that many
  seconds, starting on the left): from the writing of a switch to the first row on the new side.

CPU load is the child's user + system time (from wait4) per second of audio; below 1 it keeps up
on one core. With --cpu N the child is pinned to that core (taskset).

usage: scripts/live-benchmark.py STEREO.wav [--soundloc PATH] [--switch-seconds S] [--cpu N]
"""
import argparse
import os
import statistics
import struct
import subprocess
import threading
import time
import wave


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("wav")
    ap.add_argument("--soundloc", default=".build/release/soundloc")
    ap.add_argument("--switch-seconds", type=float)
    ap.add_argument("--cpu", type=int, help="pin soundloc to this core")
    ap.add_argument("--extra", default="", help="further localize options, space separated")
    args = ap.parse_args()

    with wave.open(args.wav, "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        frames = w.getnframes()
        data = w.readframes(frames)
    assert width == 2 and channels == 2, "a 16-bit stereo WAV is needed"
    bytes_per_second = rate * channels * width
    # The header arecord writes to a pipe: it cannot know the length, so it states 0x7fffffff.
    header = (b"RIFF" + struct.pack("<I", 0x7FFFFFFF) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate,
              bytes_per_second, channels * width, 16) + b"data" + struct.pack("<I", 0x7FFFFFFF - 36))

    command = [args.soundloc, "localize", "--track", "--format", "csv"] + args.extra.split() + ["-"]
    if args.cpu is not None:
        command = ["taskset", "-c", str(args.cpu)] + command
    child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    arrivals = []  # (wall time, csv line)

    def read():
        buffer = b""
        while True:
            chunk = child.stdout.read1(65536) if hasattr(child.stdout, "read1") else os.read(child.stdout.fileno(), 65536)
            if not chunk:
                break
            now = time.monotonic()
            buffer += chunk
            *lines, buffer = buffer.split(b"\n")
            arrivals.extend((now, line.decode()) for line in lines)

    reader = threading.Thread(target=read)
    reader.start()

    piece = rate // 100 * channels * width  # 10 ms
    written = []  # wall time at which each piece's last byte went out
    child.stdin.write(header)
    start = time.monotonic()
    for k, offset in enumerate(range(0, len(data), piece)):
        due = start + (k + 1) * 0.01  # the piece's sound has all been "recorded" by then
        delay = due - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        child.stdin.write(data[offset:offset + piece])
        written.append(time.monotonic())
    child.stdin.close()
    _, status, usage = os.wait4(child.pid, 0)
    end = time.monotonic()
    reader.join()

    audio_seconds = len(data) / bytes_per_second

    def written_at(seconds):
        """Wall time when the sample at `seconds` into the stream had been written."""
        k = min(len(written) - 1, max(0, int(seconds * 100 - 1e-9)))
        return written[k]

    rows = []
    for when, line in arrivals[1:]:
        f = line.split(",")
        if len(f) < 6 or f[0] != "-":
            continue
        start_s = float(f[1])
        azimuth = float(f[2]) if f[2] else None
        rows.append((when, start_s, azimuth))
    frame = rows[1][1] - rows[0][1] if len(rows) > 1 else 0.05
    # The last frame is flushed at the end of the input, not when it fills: left out.
    full = [r for r in rows if r[1] + frame <= audio_seconds + 1e-9]
    end_lat = [1000 * (when - written_at(s + frame)) for when, s, _ in full]
    start_lat = [1000 * (when - written_at(s)) for when, s, _ in full]

    def summary(values):
        values = sorted(values)
        return "median %.0f ms, 95th percentile %.0f ms, max %.0f ms" % (
            statistics.median(values), values[int(0.95 * (len(values) - 1))], values[-1])

    cpu = usage.ru_utime + usage.ru_stime
    print("stream: %s, %.1f s at %d Hz, written in 10 ms pieces at real-time pace" % (args.wav, audio_seconds, rate))
    print("command: %s" % " ".join(command))
    print("exit status %d; %d track rows (%.0f ms frames)" % (os.waitstatus_to_exitcode(status), len(rows), frame * 1000))
    print("frame-end latency (row arrival - frame's last sample written): " + summary(end_lat))
    print("sound-to-row latency (row arrival - frame's first sample written): " + summary(start_lat))
    halves = len(end_lat) // 2
    if halves:
        print("frame-end latency, first half %.0f ms, second half %.0f ms (median): %s" % (
            statistics.median(end_lat[:halves]), statistics.median(end_lat[halves:]),
            "keeps up" if statistics.median(end_lat[halves:]) < statistics.median(end_lat[:halves]) + 50 else "falls behind"))
    if args.switch_seconds:
        lags = []
        t = args.switch_seconds
        side = 1  # the first switch goes from left to right
        while t < audio_seconds - frame:
            hit = next((when for when, s, az in rows if s >= t - frame and az is not None and az * side > 0), None)
            if hit is not None:
                lags.append(1000 * (hit - written_at(t)))
            t += args.switch_seconds
            side = -side
        if lags:
            print("switch latency (a side change written -> first row on the new side), %d switches: %s"
                  % (len(lags), summary(lags)))
    print("CPU: %.2f s user + %.2f s system over %.1f s of audio = %.3f CPU seconds per audio second "
          "(real-time factor %.1fx on one core); wall %.1f s; load average %s"
          % (usage.ru_utime, usage.ru_stime, audio_seconds, cpu / audio_seconds, audio_seconds / cpu, end - start,
             " ".join("%.1f" % x for x in os.getloadavg())))
    print("peak resident memory: %.1f MB" % (usage.ru_maxrss / 1024))


if __name__ == "__main__":
    main()
