"""Real image files for the media tests, made with Pillow (or by hand where Pillow would have to hold the
pixels: the decompression bomb)."""

from __future__ import annotations

import functools
import io
import os
import struct
import zlib

from PIL import Image

RED, BLUE, GREEN = (220, 20, 20), (20, 20, 220), (20, 200, 20)
GPS = {1: "N", 2: (52.0, 31.0, 12.0), 3: "E", 4: (13.0, 24.0, 36.0), 29: "2024:05:01"}  # Berlin


def encode(im: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **options)
    return out.getvalue()


def halves(size: tuple[int, int] = (64, 48), mode: str = "RGB", left: tuple = RED, right: tuple = BLUE) -> Image.Image:
    """Left half one colour, right half another: turning the picture shows in its pixels."""
    im = Image.new(mode, size, right)
    im.paste(left, (0, 0, size[0] // 2, size[1]))
    return im


def jpeg_with_gps(orientation: int = 6, size: tuple[int, int] = (64, 48)) -> bytes:
    """A phone photo: EXIF with a GPS position, camera make and an orientation tag (6: turn 90° clockwise to
    show), an ICC profile, and a JPEG comment."""
    from PIL import ImageCms

    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x0132] = "2024:05:01 12:00:00"
    exif.get_ifd(0x8825).update(GPS)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return encode(halves(size), "JPEG", exif=exif, icc_profile=icc, comment=b"shot at home", quality=95)


def png_with_alpha(size: tuple[int, int] = (40, 30)) -> bytes:
    im = halves(size, "RGBA", left=(*RED, 255), right=(*BLUE, 64))
    return encode(im, "PNG")


def webp(alpha: bool = False, size: tuple[int, int] = (40, 30)) -> bytes:
    if alpha:
        return encode(halves(size, "RGBA", left=(*GREEN, 255), right=(*BLUE, 0)), "WEBP", lossless=True)
    return encode(halves(size), "WEBP", quality=90)


def animated_gif(size: tuple[int, int] = (30, 20), colours: tuple[tuple, ...] = (RED, GREEN, BLUE)) -> bytes:
    frames = [Image.new("RGB", size, c) for c in colours]
    durations = [100 * (i + 1) for i in range(len(frames))]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0,
                  comment=b"made by a test")


def noisy_jpeg(size: tuple[int, int], quality: int = 90) -> bytes:
    """Random pixels: JPEG cannot compress them, so the file is large for its size."""
    return encode(Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)), "JPEG", quality=quality)


def truncated_jpeg() -> bytes:
    whole = noisy_jpeg((64, 64))
    return whole[: len(whole) // 2]


def png_header_then_garbage() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + os.urandom(2000)


@functools.cache
def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A real, valid PNG of width x height black pixels (1-bit greyscale) that zlib shrinks about a
    thousandfold: ~110 KB declaring 900 megapixels. Written chunk by chunk, since Pillow would need the
    decoded image in memory to save it."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    row = bytes(1 + (width + 7) // 8)  # filter byte 0, then all-zero pixels
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def bmp() -> bytes:
    return encode(halves(), "BMP")


def tiff() -> bytes:
    return encode(halves(), "TIFF")


def text_named_jpg() -> bytes:
    return b"This is not a picture, whatever its name (holiday.jpg) says.\n" * 10
