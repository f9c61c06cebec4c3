"""Image uploads with Pillow: validation and the stored copies. Pure functions (bytes in, bytes out), no
HTTP and no store; CPU- and memory-heavy, so the service runs them in a worker process (barker/pools.py).

Validation, in this order, before anything is decoded:
1. size: over `max_bytes` is refused (TooLarge);
2. kind, by the content's own signature (magic bytes), never by a file name or a Content-Type header: JPEG,
   PNG, WebP or GIF, else UnsupportedMediaType; Pillow is then told to read that one format only;
3. pixels, from the header: more than `max_pixels` is refused (a decompression bomb: a few KiB of PNG can
   declare gigapixels);
4. integrity: `verify()` on one open, then a full decode on a second; a truncated or corrupt file is refused.

What is stored is re-encoded from decoded pixels, never copied, so no metadata survives by construction:
EXIF (GPS position, camera, time), XMP, IPTC, ICC profiles, PNG text chunks and GIF comments are all gone.
Before that, the EXIF orientation is applied (the pixels are turned, so the picture looks as it did on the
phone) and colours in another profile (Display P3, Adobe RGB, CMYK) are converted to sRGB.

Copies ("renditions"), each its own file named by the SHA-256 of its bytes:
- original: the whole picture, at most `original_px` on its longest side;
- display: at most `display_px` (the same file as the original when that is small enough);
- thumbnail: at most `thumbnail_px`, from the first frame.
Avatars are square, centred crops: display `avatar_px`, thumbnail `avatar_thumbnail_px`, and nothing larger
is kept. Formats: opaque pictures become JPEG; pictures with transparency stay PNG (WebP when uploaded as
WebP); an animated GIF posted to a bark stays an animated GIF (display and original), with a still
thumbnail. Animated WebP and APNG keep their first frame only.
"""

from __future__ import annotations

import hashlib
import io
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from PIL import Image, ImageCms, ImageOps, ImageSequence

from barker.errors import BarkerError, Invalid, TooLarge, UnsupportedMediaType

Purpose = Literal["post", "avatar"]
PURPOSES: tuple[Purpose, ...] = ("post", "avatar")
ACCEPTED = "JPEG, PNG, WebP or GIF"
EXTENSIONS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "gif": "image/gif"}

# Pillow warns past MAX_IMAGE_PIXELS (and raises past twice that) when it opens an image. Our own limit is
# lower and checked first; should the warning ever fire, it is an error, not a line in a log.
warnings.simplefilter("error", Image.DecompressionBombWarning)

JPEG_QUALITY = 88
THUMBNAIL_JPEG_QUALITY = 82
WEBP_QUALITY = 88


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pixels: int
    original_px: int = 4096
    display_px: int = 1600
    thumbnail_px: int = 400
    avatar_px: int = 400
    avatar_thumbnail_px: int = 128


@dataclass(frozen=True)
class Rendition:
    """One stored file."""

    data: bytes
    ext: str  # a key of EXTENSIONS
    width: int
    height: int

    @cached_property
    def key(self) -> str:
        """The storage key: content-addressed, so identical bytes are stored once (hashed once)."""
        return f"{hashlib.sha256(self.data).hexdigest()}.{self.ext}"

    @property
    def content_type(self) -> str:
        return EXTENSIONS[self.ext]


@dataclass(frozen=True)
class Processed:
    source_format: str  # the upload's format as Pillow names it: JPEG, PNG, WEBP, GIF
    animated: bool
    original: Rendition
    display: Rendition
    thumbnail: Rendition

    def files(self) -> list[Rendition]:
        """The distinct files to store (the original and the display image are often one)."""
        return list({r.key: r for r in (self.original, self.display, self.thumbnail)}.values())


def sniff(data: bytes) -> str | None:
    """The accepted format the content is, by its signature; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    return None


def process(data: bytes, purpose: Purpose, limits: Limits) -> Processed:
    """Validate an upload and make its renditions. Raises TooLarge, UnsupportedMediaType or Invalid
    (codes `too_many_pixels`, `invalid_image`), having written nothing anywhere."""
    if len(data) > limits.max_bytes:
        raise TooLarge(f"images are limited to {limits.max_bytes} bytes", code="media_too_large")
    fmt = sniff(data)
    if fmt is None:
        raise UnsupportedMediaType(f"not an image of an accepted kind ({ACCEPTED})")
    try:
        with Image.open(io.BytesIO(data), formats=[fmt]) as probe:
            _check_pixels(probe.size, limits)
            probe.verify()  # structure and checksums, without decoding
        with Image.open(io.BytesIO(data), formats=[fmt]) as im:
            if fmt == "GIF" and purpose == "post" and getattr(im, "is_animated", False):
                return _animated_gif(im, limits)
            if fmt == "JPEG":  # decode at 1/2, 1/4 or 1/8 scale when the largest copy kept is that much smaller
                im.draft(None, _cover(im.size, limits.avatar_px) if purpose == "avatar"
                         else _fit(im.size, limits.original_px))
            im.load()  # every byte decoded: a truncated file fails here
            picture = _normalised(im)
    except BarkerError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Invalid(f"the image declares more than {limits.max_pixels} pixels", code="too_many_pixels") from None
    except MemoryError:
        raise
    except Exception as e:  # Pillow reports bad data as OSError, SyntaxError, ValueError, struct.error, ...
        raise Invalid(f"not a valid {fmt} image (truncated or corrupt)", code="invalid_image") from e
    if purpose == "avatar":
        return _avatar(picture, fmt, limits)
    original = _bounded(picture, limits.original_px)
    display = _bounded(original, limits.display_px)
    thumbnail = _bounded(display, limits.thumbnail_px)
    ext = _still_format(picture, fmt)
    original_r = _encode(original, ext)
    display_r = original_r if display is original else _encode(display, ext)
    thumbnail_r = display_r if thumbnail is display else _encode(thumbnail, ext, thumbnail=True)
    return Processed(fmt, False, original_r, display_r, thumbnail_r)


def _check_pixels(size: tuple[int, int], limits: Limits, frames: int = 1) -> None:
    width, height = size
    if width < 1 or height < 1:
        raise Invalid("the image has no pixels", code="invalid_image")
    if width * height * frames > limits.max_pixels:
        what = "pixels" if frames == 1 else "pixels in all its frames together"
        raise Invalid(f"the image has more than {limits.max_pixels} {what} ({width}x{height}"
                      f"{f' x {frames} frames' if frames > 1 else ''})", code="too_many_pixels")


_SRGB = ImageCms.createProfile("sRGB")


def _normalised(im: Image.Image) -> Image.Image:
    """The decoded picture upright, in sRGB, as RGB, RGBA or L, and with no metadata at all."""
    icc = im.info.get("icc_profile")
    # In place: without an orientation to apply, a copy would only double the pixels held (a full-size copy
    # is ~130 MB at the default pixel cap).
    ImageOps.exif_transpose(im, in_place=True)
    picture = im
    if picture.mode in ("I;16", "I;16B", "I;16L", "I"):  # 16-bit greyscale PNG: scale, do not clip
        picture = picture.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    elif picture.mode == "P":
        picture = picture.convert("RGBA" if "transparency" in picture.info else "RGB")
    elif picture.mode in ("PA", "LA", "La", "RGBa"):
        picture = picture.convert("RGBA")
    elif picture.mode == "1":
        picture = picture.convert("L")
    if icc and picture.mode in ("RGB", "RGBA", "CMYK"):
        picture = _to_srgb(picture, icc)
    if picture.mode not in ("RGB", "RGBA", "L"):
        picture = picture.convert("RGB")
    if picture.mode == "RGBA" and picture.getchannel("A").getextrema() == (255, 255):
        picture = picture.convert("RGB")  # an alpha channel that is opaque everywhere is no transparency
    picture.info = {}
    return picture


def _to_srgb(picture: Image.Image, icc: bytes) -> Image.Image:
    """Colours converted from the embedded profile to sRGB (a broken profile is ignored)."""
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if picture.mode != "CMYK" and "srgb" in ImageCms.getProfileDescription(source).lower().replace(" ", ""):
            return picture  # already sRGB
        mode = "RGBA" if picture.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(picture, source, _SRGB, outputMode=mode)
        return converted if converted is not None else picture
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return picture


def _has_alpha(picture: Image.Image) -> bool:
    return picture.mode == "RGBA"


def _still_format(picture: Image.Image, source: str) -> str:
    if not _has_alpha(picture):
        return "jpg"
    return "webp" if source == "WEBP" else "png"


def _fit(size: tuple[int, int], box: int) -> tuple[int, int]:
    width, height = size
    scale = box / max(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _cover(size: tuple[int, int], side: int) -> tuple[int, int]:
    """The size scaled so its shorter side is `side` (what a centred square crop of that side needs)."""
    width, height = size
    scale = side / min(width, height)
    return max(1, round(width * scale)), max(1, round(height * scale))


def _bounded(picture: Image.Image, box: int) -> Image.Image:
    """The picture scaled down to fit a box x box square (the same object if it already fits)."""
    if max(picture.size) <= box:
        return picture
    return picture.resize(_fit(picture.size, box), Image.Resampling.LANCZOS, reducing_gap=3.0)


def _square(picture: Image.Image, side: int) -> Image.Image:
    side = min(side, *picture.size)
    return ImageOps.fit(picture, (side, side), Image.Resampling.LANCZOS, centering=(0.5, 0.5))


def _avatar(picture: Image.Image, source: str, limits: Limits) -> Processed:
    display = _square(picture, limits.avatar_px)
    thumbnail = _square(display, limits.avatar_thumbnail_px)
    ext = _still_format(picture, source)
    display_r = _encode(display, ext)
    thumbnail_r = display_r if thumbnail.size == display.size else _encode(thumbnail, ext, thumbnail=True)
    return Processed(source, False, display_r, display_r, thumbnail_r)


def _encode(picture: Image.Image, ext: str, *, thumbnail: bool = False) -> Rendition:
    """Encode with nothing but pixels: no EXIF, ICC profile, XMP or text (info is emptied and no metadata
    argument is passed)."""
    picture.info = {}
    out = io.BytesIO()
    if ext == "jpg":
        picture.save(out, "JPEG", quality=THUMBNAIL_JPEG_QUALITY if thumbnail else JPEG_QUALITY)
    elif ext == "png":
        picture.save(out, "PNG", compress_level=6)
    elif ext == "webp":
        picture.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    else:
        raise ValueError(f"no still encoder for {ext}")
    return Rendition(out.getvalue(), ext, *picture.size)


# -- animated GIFs ---------------------------------------------------------------------------------------
def _frames(im: Image.Image, limits: Limits) -> Iterator[tuple[Image.Image, int]]:
    """Each frame, composited (RGBA), with its duration; stops with Invalid once the frames together
    exceed the pixel limit: a GIF of a million tiny frames is a decompression bomb too."""
    for count, frame in enumerate(ImageSequence.Iterator(im), start=1):
        _check_pixels(im.size, limits, frames=count)
        rgba = frame.convert("RGBA")
        rgba.info = {}
        yield rgba, int(frame.info.get("duration") or 100)


def _animated_gif(im: Image.Image, limits: Limits) -> Processed:
    loop = int(im.info.get("loop", 0))
    frames: list[Image.Image] = []
    durations: list[int] = []
    for rgba, duration in _frames(im, limits):
        frames.append(_bounded(rgba, limits.display_px))
        durations.append(duration)
    first = frames[0]
    out = io.BytesIO()
    # info is empty on every frame, so no comment, XMP or application extension is carried over.
    first.save(out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=loop, disposal=2)
    animation = Rendition(out.getvalue(), "gif", *first.size)
    still = _normalised(first.copy())
    thumbnail = _encode(_bounded(still, limits.thumbnail_px), _still_format(still, "GIF"), thumbnail=True)
    return Processed("GIF", True, animation, animation, thumbnail)
