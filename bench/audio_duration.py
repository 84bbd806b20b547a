"""How long a rendered audio file plays: WAV from its header, MP3 from its size and bitrate.

No audio library: the ``wave`` module reads WAV; for MP3 the first frame header gives the
bitrate, and ``(size - ID3 tag) * 8 / bitrate`` is the length of a constant-bitrate file (gTTS
writes those). A file neither can read has no duration (None): the caller estimates instead.
"""

from __future__ import annotations

import wave
from pathlib import Path

# MPEG-1 and MPEG-2/2.5 layer III bitrates in kbit/s, by the header's 4-bit index (0: free).
_MPEG1_L3 = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MPEG2_L3 = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)


def wav_seconds(path: Path) -> float | None:
    try:
        with wave.open(str(path), "rb") as audio:
            rate = audio.getframerate()
            return audio.getnframes() / rate if rate else None
    except (OSError, EOFError, wave.Error):
        return None


def _id3_size(data: bytes) -> int:
    """Bytes of a leading ID3v2 tag (its size is four 7-bit "syncsafe" bytes)."""
    if len(data) < 10 or data[:3] != b"ID3":
        return 0
    size = 0
    for byte in data[6:10]:
        size = (size << 7) | (byte & 0x7F)
    footer = 10 if data[5] & 0x10 else 0
    return 10 + size + footer


def mp3_bitrate(data: bytes) -> int | None:
    """Bits per second from the first MPEG layer III frame header; None when there is none."""
    for i in range(len(data) - 3):
        if data[i] != 0xFF or data[i + 1] & 0xE0 != 0xE0:
            continue
        version = (data[i + 1] >> 3) & 0b11  # 3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5, 1: reserved
        layer = (data[i + 1] >> 1) & 0b11  # 1: layer III
        index = data[i + 2] >> 4
        if version == 1 or layer != 1 or not 0 < index < 15:
            continue
        return (_MPEG1_L3 if version == 3 else _MPEG2_L3)[index] * 1000
    return None


def mp3_seconds(path: Path) -> float | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = _id3_size(data)
    bitrate = mp3_bitrate(data[start : start + 4096])
    return (len(data) - start) * 8 / bitrate if bitrate else None


def audio_seconds(path: Path) -> float | None:
    """Seconds ``path`` plays, or None when it cannot be read as WAV or constant-bitrate MP3."""
    if path.suffix == ".wav":
        return wav_seconds(path)
    if path.suffix == ".mp3":
        return mp3_seconds(path)
    return None
