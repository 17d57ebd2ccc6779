#!/bin/sh
# Peak resident memory of `soundloc localize` on a one-minute and a one-hour stereo file.
# Memory must not grow with the file's length: the model streams the file in blocks.
#
# usage: scripts/memory-benchmark.sh [path/to/soundloc] [sample rate in Hz, default 16000]
# Needs sox (to make the test files) and GNU time (/usr/bin/time -v). The one-hour run takes as
# long as the model needs for an hour of sound (minutes); the files go to a temporary directory
# and are deleted afterwards (the one-hour file is about 230 MB at 16 kHz, 16-bit).
set -eu
SOUNDLOC=${1:-.build/release/soundloc}
RATE=${2:-16000}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# Pink noise, the same in both ears but 300 microseconds later on the right: a source on the left.
make_file() { # seconds, path
    sox -q -n -r "$RATE" -c 2 -b 16 "$2" synth "$1" pinknoise vol 0.3 remix 1 1 delay 0 0.0003
}

peak_kb() { # path: prints the peak resident set size in kB and the wall time
    /usr/bin/time -v "$SOUNDLOC" localize --format csv "$1" 2>"$TMP/time.txt" >"$TMP/out.csv"
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$TMP/time.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$TMP/time.txt")
    user=$(sed -n 's/.*User time (seconds): //p' "$TMP/time.txt")
    echo "$kb $wall $user $(tail -n 1 "$TMP/out.csv" | cut -d, -f1-3)"
}

make_file 60 "$TMP/one-minute.wav"
set -- $(peak_kb "$TMP/one-minute.wav")
minute_kb=$1
echo "one minute: peak RSS $1 kB ($(($1 / 1024)) MB), wall $2, user $3 s; $4"
rm -f "$TMP/one-minute.wav"

make_file 3600 "$TMP/one-hour.wav"
set -- $(peak_kb "$TMP/one-hour.wav")
hour_kb=$1
echo "one hour:   peak RSS $1 kB ($(($1 / 1024)) MB), wall $2, user $3 s; $4"

awk -v m="$minute_kb" -v h="$hour_kb" 'BEGIN {
    printf "hour / minute = %.3f (target: <= 1.10); hour peak %.1f MB (target: < 150 MB)\n", h / m, h / 1024 }'
