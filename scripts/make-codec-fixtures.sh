#!/bin/sh
# Makes the codec test fixtures in test/src/codecs/fixtures/ with Debian's own tools only
# (nothing fetched is built): the encoded inputs and, for each, the reference decoding that
# test/src/codecs/*.test.ts must match bit for bit.
#
#   apt-get install -y libgsm-tools ffmpeg sox espeak-ng
#   sh scripts/make-codec-fixtures.sh
#
# Made on Debian 12 with libgsm-tools and libgsm1 1.0.22-1, sox 14.4.2+git20190427-3.5,
# ffmpeg 7:5.1.9-0+deb12u1 and espeak-ng 1.51+dfsg-10+deb12u2. Another version may make other
# (equally valid) files; the tests only need each input to match its reference.
#
# The signal: synthetic speech, a sine sweep across the band, full-scale white noise (which
# drives the decoders' saturating arithmetic) and silence. About 4.5 s each, so the whole set
# stays under 400 KB.
#
# Files (all PCM is 16-bit signed little-endian, mono, no header):
#   speech.gsm                  raw GSM 06.10, 33-byte frames, encoded by libgsm's toast
#   speech.gsm.untoast.s16le    its decoding by libgsm's untoast (8 kHz)
#   speech-gsm.wav              GSM 6.10 in WAV (WAV49, 65-byte blocks), encoded by sox (libgsm)
#   speech-gsm.wav.sox.s16le    its decoding by sox (libgsm with the WAV49 option; 8 kHz),
#                               checked equal to ffmpeg's libgsm_ms decoding
#   speech-g722.wav             G.722 in WAV (tag 0x028F), encoded by ffmpeg's g722 encoder
#   speech-g722.wav.ffmpeg.s16le its decoding by ffmpeg's adpcm_g722 decoder (16 kHz)
set -eu

cd "$(dirname "$0")/.."
out=test/src/codecs/fixtures
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

text="Thank you for calling Northwind Telecom. Your call may be recorded. Please hold."

# The source signal, at 8 kHz for GSM and at 16 kHz for G.722 (which codes up to 7 kHz).
espeak-ng -s 165 -w "$tmp/speech.wav" "$text"
for rate in 8000 16000; do
  top=$((rate / 2 - 100))
  sox "$tmp/speech.wav" -r $rate -c 1 -b 16 "$tmp/speech-$rate.wav" trim 0 3
  sox -R -n -r $rate -c 1 -b 16 "$tmp/sweep-$rate.wav" synth 0.8 sine 100-$top gain -1
  sox -R -n -r $rate -c 1 -b 16 "$tmp/noise-$rate.wav" synth 0.4 whitenoise
  sox -R -n -r $rate -c 1 -b 16 "$tmp/silence-$rate.wav" trim 0 0.3
  sox "$tmp/speech-$rate.wav" "$tmp/sweep-$rate.wav" "$tmp/noise-$rate.wav" "$tmp/silence-$rate.wav" "$tmp/input-$rate.wav"
done

# Raw GSM: toast reads 16-bit linear in host byte order (little-endian on amd64 and arm64).
sox "$tmp/input-8000.wav" -t raw -e signed-integer -b 16 -L "$tmp/input-8000.s16le"
toast -l -c "$tmp/input-8000.s16le" > "$out/speech.gsm"
untoast -l -c "$out/speech.gsm" > "$out/speech.gsm.untoast.s16le"

# GSM in WAV, WAV49 framing.
sox "$tmp/input-8000.wav" -e gsm-full-rate "$out/speech-gsm.wav"
sox "$out/speech-gsm.wav" -t raw -e signed-integer -b 16 -L "$out/speech-gsm.wav.sox.s16le"
# (ffmpeg reports the WAV's pad byte after the odd-sized data chunk as a packet too small; hence fatal only.)
ffmpeg -nostdin -loglevel fatal -c:a libgsm_ms -i "$out/speech-gsm.wav" -f s16le "$tmp/ffmpeg-libgsm.s16le"
cmp "$out/speech-gsm.wav.sox.s16le" "$tmp/ffmpeg-libgsm.s16le"

# G.722 in WAV; -bitexact keeps ffmpeg's version string out of the file.
ffmpeg -nostdin -loglevel error -y -i "$tmp/input-16000.wav" -c:a g722 -fflags +bitexact -flags:a +bitexact "$out/speech-g722.wav"
ffmpeg -nostdin -loglevel error -y -i "$out/speech-g722.wav" -f s16le -c:a pcm_s16le "$out/speech-g722.wav.ffmpeg.s16le"

ls -l "$out"
du -ch "$out"/* | tail -1
