#!/usr/bin/env bash
# Builds the realistic development set (issue 14): recorded and synthetic sounds from Debian packages,
# rendered with `soundloc render` through several heads, in noise and in rooms, into DIR (default
# devset/, git-ignored) with DIR/manifest.csv and DIR/README.md. `make devset` installs what it needs
# and runs this. The set is deterministic: every random choice comes from the seeded generator below.
# Usage: scripts/make-devset.sh [path/to/soundloc] [DIR]      (DEVSET_JOBS=N renders N files at once)
set -euo pipefail

# One rendering, run by xargs in parallel: a line of '|'-separated fields planned below.
render_one() {
  local name source start duration rate format level args
  IFS='|' read -r name source start duration rate format level args <<< "$1"
  local mono="$work/mono-$name" raw="$work/raw-$name" log="$work/log-$name.txt"
  # Skip the silence at the chosen start, keep `duration` seconds (zero-padded when the sound is
  # shorter: a knock stays a knock), 5 ms fade-in and 10 ms fade-out so the cut adds no click.
  sox -V1 -R "$source" -e floating-point -b 32 "$mono" trim "$start" silence 1 0.005 -45d trim 0 "$duration" \
    pad 0 "$duration" trim 0 "$duration" fade q 0.005 "$duration" 0.01 rate -v "$rate"
  # shellcheck disable=SC2086 # args holds several options on purpose
  "$soundloc" render "$mono" $args --sample-format float32 -o "$raw" > "$log" 2>&1 || {
    echo "make-devset: soundloc render failed for $name:" >&2; cat "$log" >&2; exit 255; }
  # The level is the file's peak (louder ear) in dB FS; the same gain goes to both ears.
  local bits=(-b 16 -e signed-integer)
  [ "$format" = float32 ] && bits=(-b 32 -e floating-point)
  sox -V1 -R "$raw" "${bits[@]}" "$out/$name" gain -n "$level"
  rm -f "$mono" "$raw"
}
if [ "${1:-}" = --render-one ]; then render_one "$2"; exit; fi

root="$(cd "$(dirname "$0")/.." && pwd)"
soundloc="$(realpath "${1:-$root/.build/release/soundloc}")"
out="$(realpath -m "${2:-$root/devset}")"
jobs="${DEVSET_JOBS:-2}"

for tool in sox flite; do
  command -v "$tool" >/dev/null || { echo "make-devset: $tool is missing (make devset installs it)" >&2; exit 1; }
done
[ -x "$soundloc" ] || { echo "make-devset: no soundloc at $soundloc (run make build)" >&2; exit 1; }
help="$("$soundloc" render --help)"
has_option() { grep -q -- "$1" <<< "$help"; }

# A 64-bit linear congruential generator (Knuth's MMIX constants) in bash arithmetic, so the set
# does not depend on the shell's $RANDOM. rand N sets r to an integer in 0..N-1.
state=14002
rand() {
  state=$(( state * 6364136223846793005 + 1442695040888963407 ))
  r=$(( ((state >> 33) & 0x7fffffff) % $1 ))
}

# ---------------------------------------------------------------------------------------------
# Sources: kind|short name|where it comes from|Debian package|author and licence (from the package's
# /usr/share/doc/PACKAGE/copyright). `flite:VOICE:TEXT` is synthetic speech, `synth` a seeded noise.
# Whatever trains or calibrates a read-out (soundloc calibrate, the rate code, the brainstem's
# weights) must use none of these: docs/devset.md lists them for that reason.
fd=/usr/share/sounds/freedesktop/stereo
ox=/usr/share/sounds
ya=/usr/share/sounds/Yaru/stereo
si=/usr/share/sounds/sound-icons
pu=/usr/share/sounds/purple
al=/usr/share/asterisk/sounds/en_US_f_Allison
allison="asterisk-core-sounds-en-wav|recorded by Allison Smith, CC BY-SA 3.0"
alsa="sound-theme-freedesktop|The ALSA developers, GPL-2+"
cmu="flite|synthesised here by Flite (Carnegie Mellon University), voice"
oxygen="oxygen-sounds|Nuno Filipe Povoa, LGPL-3.0+"
yaru="yaru-theme-sound|Mads Rosendahl, CC BY-SA 4.0"
icons="sound-icons|Brailcom, GPL-2+"
pidgin="pidgin-data|Pidgin contributors, GPL-2+"
sources=(
  "speech|allison-hello-world|$al/hello-world.wav|$allison"
  "speech|allison-vm-intro|$al/vm-intro.wav|$allison"
  "speech|allison-demo-thanks|$al/demo-thanks.wav|$allison"
  "speech|allison-pbx-invalid|$al/pbx-invalid.wav|$allison"
  "speech|allison-conf-onlyperson|$al/conf-onlyperson.wav|$allison"
  "speech|allison-tt-weasels|$al/tt-weasels.wav|$allison"
  "speech|allison-ss-noservice|$al/ss-noservice.wav|$allison"
  "speech|allison-vm-nobodyavail|$al/vm-nobodyavail.wav|$allison"
  "speech|alsa-front-left|$fd/audio-channel-front-left.oga|$alsa"
  "speech|alsa-rear-right|$fd/audio-channel-rear-right.oga|$alsa"
  "speech|alsa-side-left|$fd/audio-channel-side-left.oga|$alsa"
  "speech|flite-kal|flite:kal:Please leave the package by the back door before noon.|$cmu kal"
  "speech|flite-kal16|flite:kal16:The train to the coast leaves from platform four.|$cmu kal16"
  "speech|flite-awb|flite:awb:Somebody left the kitchen window open again last night.|$cmu awb"
  "speech|flite-rms|flite:rms:Heavy rain is expected over the hills this afternoon.|$cmu rms"
  "speech|flite-slt|flite:slt:Could you read the last two numbers back to me?|$cmu slt"
  "tonal|alarm-clock|$fd/alarm-clock-elapsed.oga|sound-theme-freedesktop|Tim/corsica_s, CC BY-SA 3.0"
  "tonal|phone-incoming|$fd/phone-incoming-call.oga|sound-theme-freedesktop|Damien Sandras, GPL-2+"
  "tonal|phone-calling|$fd/phone-outgoing-calling.oga|sound-theme-freedesktop|Damien Sandras, GPL-2+"
  "tonal|oxygen-phone-ring|$ox/Oxygen-Im-Phone-Ring.ogg|$oxygen"
  "tonal|oxygen-warning|$ox/Oxygen-Sys-Warning.ogg|$oxygen"
  "tonal|oxygen-nudge|$ox/Oxygen-Im-Nudge.ogg|$oxygen"
  "tonal|yaru-dialog-question|$ya/dialog-question.oga|$yaru"
  "tonal|pidgin-alert|$pu/alert.wav|$pidgin"
  "tonal|icons-pisk-down|$si/pisk-down.wav|$icons"
  "transient|camera-shutter|$fd/camera-shutter.oga|sound-theme-freedesktop|horsthorstensen, CC BY-SA 3.0"
  "transient|oxygen-window-close|$ox/Oxygen-Window-Close.ogg|$oxygen"
  "transient|oxygen-window-move-stop|$ox/Oxygen-Window-Move-Stop.ogg|$oxygen"
  "transient|icons-glass-water|$si/glass-water-1.wav|$icons"
  "transient|icons-percussion-28|$si/percussion-28.wav|$icons"
  "transient|icons-percussion-50|$si/percussion-50.wav|$icons"
  "transient|pidgin-receive|$pu/receive.wav|$pidgin"
  "music|icons-piano-3|$si/piano-3.wav|$icons"
  "music|icons-guitar-12|$si/guitar-12.wav|$icons"
  "music|icons-trumpet-1|$si/trumpet-1.wav|$icons"
  "music|icons-violoncello-7|$si/violoncello-7.wav|$icons"
  "music|icons-xylofon|$si/xylofon.wav|$icons"
  "music|oxygen-k3b-success|$ox/Oxygen-K3B-Finish-Success.ogg|$oxygen"
  "music|yaru-desktop-login|$ya/desktop-login.oga|$yaru"
)
# Four noise entries, so about one file in ten is a noise; each file gets its own seed.
for _ in 1 2 3 4; do sources+=("noise|synth-noise|synth|soundloc|soundloc synth noise, seed 5000 + file number"); done

work="$(mktemp -d)"
[ -n "${DEVSET_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
export work out soundloc

# Each source as a mono float file at its own rate, with its length in seconds.
declare -A prepared length
for entry in "${sources[@]}"; do
  IFS='|' read -r kind short where _ <<< "$entry"
  [ "$where" = synth ] && continue
  [ -n "${prepared[$short]:-}" ] && continue
  file="$work/src-$short.wav"
  case "$where" in
    flite:*)
      IFS=: read -r _ voice text <<< "$where"
      flite -voice "$voice" -t "$text" -o "$work/flite.wav"
      sox -V1 -R "$work/flite.wav" -e floating-point -b 32 "$file" remix - ;;
    *)
      [ -f "$where" ] || { echo "make-devset: $where is missing (make devset installs its package)" >&2; exit 1; }
      sox -V1 -R "$where" -e floating-point -b 32 "$file" remix - ;;
  esac
  prepared[$short]="$file"
  length[$short]="$(soxi -D "$file")"
done

# Directions each HRTF has measured at elevation 0, lateral -90...90 (render takes the nearest
# measurement, so the truth is the measured direction): MIT KEMAR every 5 degrees; ARI NH2 every
# 2.5 degrees within 45 degrees of the front, every 5 beyond (read from the files' SourcePosition).
kemar_grid=($(seq -90 5 90))
nh2_grid=($( (seq -90 5 -50; seq -45 2.5 45; seq 50 5 90) | awk '{ printf "%g\n", $1 }'))
kemar_sofa=/usr/share/libmysofa/MIT_KEMAR_normal_pinna.sofa
nh2_sofa="$root/data/hrtf/ARI_NH2_dtf.sofa"

# head -> (receiver, mic spacing, render options); the sphere needs `render --sphere-radius-cm`.
heads=(kemar ari-nh2)
if has_option --sphere-radius-cm; then heads+=(sphere-8.0cm sphere-9.5cm); else
  echo "make-devset: this soundloc has no render --sphere-radius-cm: no sphere heads" >&2; fi
head_args() {
  case "$1" in
    kemar) echo "--hrtf $kemar_sofa" ;;
    ari-nh2) echo "--hrtf $nh2_sofa" ;;
    sphere-*) local cm="${1#sphere-}"; echo "--sphere-radius-cm ${cm%cm}" ;;
    mics-*) local m="${1#mics-}"; echo "--mics ${m%m}" ;;
  esac
}
# An azimuth for a head: a measured direction for an HRTF, any tenth of a degree for the models.
pick_azimuth() {
  case "$1" in
    kemar) rand ${#kemar_grid[@]}; az="${kemar_grid[$r]}" ;;
    ari-nh2) rand ${#nh2_grid[@]}; az="${nh2_grid[$r]}" ;;
    *) rand 1801; az="$(awk -v t="$r" 'BEGIN { printf "%.1f", -90 + t / 10 }')" ;;
  esac
}

# Rooms (shoebox, metres) for the reverberant conditions; the renderer sets the walls' absorption
# for the target RT60.
rooms=("office-5x4x3" "classroom-8x6x3")
room_heads=(kemar ari-nh2 mics-0.18m)
has_option --sphere-radius-cm && room_heads+=(sphere-8.0cm)
conditions=(anechoic-20db anechoic-10db anechoic-0db)
if has_option --rt60; then conditions+=(room-0.3s room-0.6s room-0.9s); else
  echo "make-devset: this soundloc has no render --room/--rt60: no room conditions" >&2; fi
files_per_cell="${DEVSET_FILES_PER_CELL:-15}"
rates=(16000 44100 48000)
formats=(pcm16 float32)

# A seeded shuffle of the sources; files take them in this order, round and round.
order=($(seq 0 $((${#sources[@]} - 1))))
for ((i = ${#order[@]} - 1; i > 0; i--)); do
  rand $((i + 1)); t="${order[$i]}"; order[$i]="${order[$r]}"; order[$r]="$t"
done

rm -rf "$out"
mkdir -p "$out"
manifest="$out/manifest.csv"
columns="file,azimuth_deg,condition,head,room,rt60_s,snr_db,source_kind,source"
columns+=",sample_rate_hz,sample_format,receiver,mic_spacing_m"
echo "$columns" > "$manifest"
: > "$work/jobs.txt"
n=0
for condition in "${conditions[@]}"; do
  case "$condition" in room-*) cell_heads=("${room_heads[@]}") ;; *) cell_heads=("${heads[@]}") ;; esac
  for head in "${cell_heads[@]}"; do
    for ((k = 0; k < files_per_cell; k++)); do
      n=$((n + 1))
      IFS='|' read -r kind short where _ <<< "${sources[${order[$(((n - 1) % ${#sources[@]}))]}]}"
      rand 11; duration="$(awk -v t="$r" 'BEGIN { printf "%.1f", 0.5 + t / 10 }')"
      if [ "$where" = synth ]; then
        # Seeds 5001... (the calibration uses 9000 and up, audio-samples 11-24 and 1000+).
        short="synth-noise-$((5000 + n))"; source="$work/src-$short.wav"
        "$soundloc" synth noise -o "$source" --duration "$duration" --sample-rate 48000 --seed $((5000 + n))
        start=0
      else
        source="${prepared[$short]}"
        rand 1000; start="$(awk -v t="$r" -v l="${length[$short]}" -v d="$duration" \
          'BEGIN { s = (l - d) * t / 1000; printf "%.3f", (s > 0 ? s : 0) }')"
      fi
      rand ${#rates[@]}; rate="${rates[$r]}"
      rand ${#formats[@]}; format="${formats[$r]}"
      rand 151; level="$(awk -v t="$r" 'BEGIN { printf "%.1f", -18 + t / 10 }')"
      pick_azimuth "$head"
      args="--azimuth $az $(head_args "$head")"
      room=none rt60="" snr=""
      case "$condition" in
        anechoic-*) snr="${condition#anechoic-}"; snr="${snr%db}"; args+=" --snr $snr --seed $((6000 + n))" ;;
        room-*)
          rt60="${condition#room-}"; rt60="${rt60%s}"
          rand ${#rooms[@]}; room="${rooms[$r]}"
          rand 6; distance="$(awk -v t="$r" 'BEGIN { printf "%.1f", 1 + t / 10 }')"
          args+=" --room ${room#*-} --rt60 $rt60 --distance $distance" ;;
      esac
      receiver=head spacing=""
      case "$head" in mics-*) receiver=mics; spacing="${head#mics-}"; spacing="${spacing%m}" ;; esac
      name="$(printf '%04d' "$n")_${condition}_${head}_${short}_az${az}.wav"
      echo "$name|$source|$start|$duration|$rate|$format|$level|$args" >> "$work/jobs.txt"
      echo "$name,$az,$condition,$head,$room,$rt60,$snr,$kind,$short,$rate,$format,$receiver,$spacing" >> "$manifest"
    done
  done
done

# The README next to the manifest: how the set was made and which sources it holds.
write_readme() {
  cat <<EOF
# soundloc development set

Made by \`scripts/make-devset.sh\` (\`make devset\`); rebuilt identically on every run (every choice comes
from a seeded generator, sox runs with -R). $n files; \`manifest.csv\` columns: \`$columns\`.
Azimuth in degrees: 0 ahead, negative left, positive right, -90...90. See docs/devset.md for what each
condition and head is.

Per file: a source and a start in it at random, leading silence skipped, 0.5-1.5 s kept (zero-padded
when the sound is shorter), 5/10 ms fades, resampled by sox (\`rate -v\`) to 16, 44.1 or 48 kHz, rendered
by \`soundloc render\` at 32-bit float, then scaled by sox to a peak (louder ear) of -18...-3 dB FS and
written as 16-bit PCM or 32-bit float WAV.

## Files per condition and head

| condition | head | files |
| --- | --- | ---: |
$(tail -n +2 "$manifest" | awk -F, '{ c[$3 " | " $4]++ } END { for (k in c) print "| " k " | " c[k] " |" }' | sort)

## Sources (keep them out of any training or calibration material)

| kind | source | file | Debian package | author, licence | files |
| --- | --- | --- | --- | --- | ---: |
EOF
  local seen="" used
  for entry in "${sources[@]}"; do
    IFS='|' read -r kind short where package licence <<< "$entry"
    case " $seen " in *" $short "*) continue ;; esac
    seen+=" $short"
    used=$(tail -n +2 "$manifest" |
      awk -F, -v s="$short" '$9 == s || (s == "synth-noise" && $9 ~ /^synth-noise-/)' | wc -l)
    case "$where" in flite:*) where="\"${where#flite:*:}\"" ;; synth) where="-" ;; esac
    echo "| $kind | $short | $where | $package | $licence | $used |"
  done
  cat <<EOF

Heads: MIT KEMAR, normal pinna (Gardner & Martin 1994; \`$kemar_sofa\` from Debian's libmysofa:
free with no restrictions on use, provided the authors are cited); ARI NH2 directional transfer
functions (\`data/hrtf/ARI_NH2_dtf.sofa\`, CC BY-SA 3.0, Majdak, Goupell & Laback 2010); the rigid
sphere and the microphone pair are models in soundloc.
Seeds: synthetic noise sources 5001 and up, added noise 6001 and up (one per file); soundloc's
calibration uses 9000 and up, audio-samples 11-24 and 1000 and up.
EOF
}

echo "make-devset: rendering $n files with $jobs jobs into $out" >&2
xargs -P "$jobs" -d '\n' -n 1 "$0" --render-one < "$work/jobs.txt"
write_readme > "$out/README.md"
echo "make-devset: wrote $n files and $manifest ($(du -sh "$out" | cut -f1))" >&2
