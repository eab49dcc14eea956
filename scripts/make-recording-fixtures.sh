#!/bin/sh
# Makes the recording files in test/fixtures/recordings/: one short call per format an archive
# may hold, for the server's file-backed recordings (test/server/recording-files.test.ts), the
# player's formats in real browsers (test/components/player-formats.test.ts) and the README's
# dataset over a folder of files (test/fixtures/recordings/dataset.json). Debian's own tools only:
#
#   apt-get install -y libgsm-tools ffmpeg sox espeak-ng
#   sh scripts/make-recording-fixtures.sh
#
# Made on Debian 12 with libgsm-tools 1.0.22-1, sox 14.4.2+git20190427-3.5, ffmpeg 7:5.1.9-0+deb12u1
# and espeak-ng 1.51+dfsg-10+deb12u2. Another version may make other (equally valid) files; the
# tests need only each file's format and length (6.000 s; the MP3 a little longer, its encoder's padding).
set -eu

cd "$(dirname "$0")/.."
out=test/fixtures/recordings
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

text="Thank you for calling Northwind Telecom. This call is recorded. How can I help you today? I would like to ask about my last bill, please."
espeak-ng -s 160 -w "$tmp/speech.wav" "$text"
# Exactly 6 seconds (padded with silence if the speech is shorter), at 8 and 16 kHz.
for rate in 8000 16000; do
  sox "$tmp/speech.wav" -r $rate -c 1 -b 16 "$tmp/input-$rate.wav" pad 0 6 trim 0 6
done

# GSM 6.10 in WAV, the WAV49 framing (65 bytes per 320 samples), as Asterisk's "wav49" and sox write it.
sox "$tmp/input-8000.wav" -e gsm-full-rate "$out/call-gsm.wav"
# Raw GSM 6.10, 33-byte frames, as Asterisk's "gsm" format and libgsm's toast write it.
sox "$tmp/input-8000.wav" -t raw -e signed-integer -b 16 -L "$tmp/input-8000.s16le"
toast -l -c "$tmp/input-8000.s16le" > "$out/call.gsm"
# G.722 in WAV (tag 0x028F, 16 kHz), as ffmpeg writes it; -bitexact keeps its version string out.
ffmpeg -nostdin -loglevel error -y -i "$tmp/input-16000.wav" -c:a g722 -fflags +bitexact -flags:a +bitexact "$out/call-g722.wav"
# G.711 mu-law and A-law in WAV, 8 kHz: what browsers play themselves.
ffmpeg -nostdin -loglevel error -y -i "$tmp/input-8000.wav" -c:a pcm_mulaw -fflags +bitexact -flags:a +bitexact "$out/call-mulaw.wav"
ffmpeg -nostdin -loglevel error -y -i "$tmp/input-8000.wav" -c:a pcm_alaw -fflags +bitexact -flags:a +bitexact "$out/call-alaw.wav"
# MP3, 8 kHz mono at 16 kbit/s.
ffmpeg -nostdin -loglevel error -y -i "$tmp/input-8000.wav" -c:a libmp3lame -b:a 16k -fflags +bitexact -flags:a +bitexact "$out/call.mp3"
# Two channels, as recorders that keep the agent and the caller apart write them: 16-bit PCM WAV,
# 8 kHz, a steady tone on each channel (440 Hz left, the agent; 1000 Hz right, the caller) so a
# test can tell by ear or by an analyser which party it hears.
sox -n -r 8000 -b 16 -c 2 "$out/call-stereo.wav" synth 6 sine 440 sine 1000 vol 0.5
# AMR-NB (no encoder in Debian's ffmpeg): the "#!AMR" header and 300 NO_DATA frames (6 s of
# silence, one byte each: frame type 15, quality bit set), a valid file the player cannot play.
{ printf '#!AMR\n'; i=0; while [ $i -lt 300 ]; do printf '\174'; i=$((i + 1)); done; } > "$out/call.amr"

ls -l "$out"
du -ch "$out"/* | tail -1
