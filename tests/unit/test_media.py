"""Image validation and renditions (barker/media/images.py) on real files made by tests/images.py, and the
local file storage (barker/media/storage.py)."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageCms

from barker.errors import Invalid, TooLarge, UnsupportedMediaType
from barker.media import LocalMediaStorage, Processed, Rendition, process
from barker.media.images import Limits, sniff
from tests import images

LIMITS = Limits(max_bytes=8 * 1024 * 1024, max_pixels=40_000_000)
FORMAT_INFO = {"jfif", "jfif_version", "jfif_unit", "jfif_density", "version", "background", "loop", "duration",
               "extension", "transparency"}


def opened(r: Rendition) -> Image.Image:
    im = Image.open(io.BytesIO(r.data))
    assert im.format == {"jpg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}[r.ext]
    assert im.size == (r.width, r.height)
    return im


def assert_no_metadata(r: Rendition) -> None:
    im = opened(r)
    assert not im.getexif(), dict(im.getexif())
    assert not {"exif", "icc_profile", "xmp", "comment", "XML:com.adobe.xmp"} & set(im.info), im.info
    assert set(im.info) <= FORMAT_INFO, im.info  # what the encoders write of their own accord
    assert im.info.get("extension", (b"NETSCAPE2.0",))[0] == b"NETSCAPE2.0"  # GIF: only the loop count
    for marker in (b"Exif", b"PhoneMaker", b"GPS", b"shot at home", b"made by a test", b"ICC_PROFILE"):
        assert marker not in r.data, marker


def colour_at(r: Rendition, x: float, y: float) -> tuple[int, ...]:
    im = opened(r).convert("RGBA")
    return im.getpixel((int(x * (im.width - 1)), int(y * (im.height - 1))))


def near(colour: tuple[int, ...], expected: tuple[int, ...], slack: int = 40) -> bool:
    return all(abs(a - b) <= slack for a, b in zip(colour, expected, strict=False))


def all_renditions(p: Processed) -> list[Rendition]:
    return [p.original, p.display, p.thumbnail]


def test_a_phone_photo_loses_its_gps_and_metadata_but_keeps_its_orientation():
    source = images.jpeg_with_gps(orientation=6)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(0x8825)  # the input really carries a position
    p = process(source, "post", LIMITS)
    for r in all_renditions(p):
        assert_no_metadata(r)
        assert r.ext == "jpg" and (r.width, r.height) == (48, 64)  # turned 90° clockwise, as shown on the phone
        assert near(colour_at(r, 0.5, 0.1), (*images.RED, 255)) and near(colour_at(r, 0.5, 0.9), (*images.BLUE, 255))


@pytest.mark.parametrize(("orientation", "size", "top_left", "bottom_right"), [
    (1, (64, 48), images.RED, images.BLUE),  # as stored
    (3, (64, 48), images.BLUE, images.RED),  # upside down
    (8, (48, 64), images.BLUE, images.RED),  # turn 90° anticlockwise to show
    (2, (64, 48), images.BLUE, images.RED),  # mirrored
])
def test_every_orientation_is_applied(orientation, size, top_left, bottom_right):
    p = process(images.jpeg_with_gps(orientation), "post", LIMITS)
    assert (p.display.width, p.display.height) == size
    assert near(colour_at(p.display, 0.05, 0.05), (*top_left, 255))
    assert near(colour_at(p.display, 0.95, 0.95), (*bottom_right, 255))


def test_png_with_alpha_stays_png_with_its_transparency():
    p = process(images.png_with_alpha(), "post", LIMITS)
    assert p.display.ext == p.thumbnail.ext == "png" and p.original is p.display
    assert colour_at(p.display, 0.9, 0.5)[3] == 64 and colour_at(p.display, 0.1, 0.5)[3] == 255
    assert_no_metadata(p.display)


def test_opaque_alpha_and_palette_transparency():
    opaque = images.encode(images.halves(mode="RGBA", left=(*images.RED, 255), right=(*images.BLUE, 255)), "PNG")
    assert process(opaque, "post", LIMITS).display.ext == "jpg"  # an alpha channel opaque everywhere
    palette = images.halves().convert("P", palette=Image.Palette.ADAPTIVE, colors=4)
    index = palette.getpixel((60, 10))
    transparent = images.encode(palette, "PNG", transparency=index)
    p = process(transparent, "post", LIMITS)
    assert p.display.ext == "png" and colour_at(p.display, 0.9, 0.5)[3] == 0


def test_webp_opaque_becomes_jpeg_and_with_alpha_stays_webp():
    assert process(images.webp(), "post", LIMITS).display.ext == "jpg"
    p = process(images.webp(alpha=True), "post", LIMITS)
    assert p.display.ext == "webp" and colour_at(p.display, 0.9, 0.5)[3] == 0
    assert_no_metadata(p.display)


def test_an_animated_gif_stays_animated_with_a_still_thumbnail_of_its_first_frame():
    p = process(images.animated_gif(), "post", LIMITS)
    assert p.animated and p.display.ext == "gif" and p.original is p.display
    animation = opened(p.display)
    assert animation.n_frames == 3 and animation.info.get("duration") == 100
    colours = []
    for i in range(3):
        animation.seek(i)
        colours.append(animation.convert("RGB").getpixel((5, 5)))
    assert [near(c, e) for c, e in zip(colours, (images.RED, images.GREEN, images.BLUE), strict=True)] == [True] * 3
    assert p.thumbnail.ext == "jpg" and near(colour_at(p.thumbnail, 0.5, 0.5), (*images.RED, 255))
    for r in all_renditions(p):
        assert_no_metadata(r)


def test_a_gif_avatar_is_its_first_frame():
    p = process(images.animated_gif(), "avatar", LIMITS)
    assert not p.animated and p.display.ext == "jpg" and (p.display.width, p.display.height) == (20, 20)


def test_renditions_are_bounded_and_generated_once_per_size():
    big = images.encode(images.halves((3000, 1000)), "JPEG")
    p = process(big, "post", LIMITS)
    assert [(r.width, r.height) for r in all_renditions(p)] == [(3000, 1000), (1600, 533), (400, 133)]
    assert len(p.files()) == 3
    huge = process(images.encode(images.halves((8200, 1000)), "JPEG"), "post", LIMITS)  # decoded at 1/2 scale
    assert (huge.original.width, huge.original.height) == (4096, 500)
    small = process(images.encode(images.halves((800, 600)), "PNG"), "post", LIMITS)
    assert small.original is small.display and len(small.files()) == 2
    tiny = process(images.encode(images.halves((100, 80)), "PNG"), "post", LIMITS)
    assert tiny.thumbnail is tiny.display is tiny.original and len(tiny.files()) == 1


def test_avatars_are_square_crops():
    p = process(images.encode(images.halves((1000, 600)), "JPEG"), "avatar", LIMITS)
    assert [(r.width, r.height) for r in all_renditions(p)] == [(400, 400), (400, 400), (128, 128)]
    # the centre is kept: a 1000x600 picture loses 200 px on each side, so the halves still meet mid-way
    assert near(colour_at(p.display, 0.1, 0.5), (*images.RED, 255)) and near(colour_at(p.display, 0.9, 0.5),
                                                                             (*images.BLUE, 255))
    small = process(images.jpeg_with_gps(), "avatar", LIMITS)
    assert (small.display.width, small.display.height) == (48, 48) and small.thumbnail is small.display


def test_the_same_upload_gives_the_same_files():
    source = images.jpeg_with_gps()
    assert [r.key for r in process(source, "post", LIMITS).files()] == [
        r.key for r in process(source, "post", LIMITS).files()]


def test_colours_become_srgb_and_cmyk_becomes_rgb():
    cmyk = images.encode(Image.new("CMYK", (20, 20), (0, 255, 255, 0)), "JPEG")  # red in ink
    p = process(cmyk, "post", LIMITS)
    assert opened(p.display).mode == "RGB" and near(colour_at(p.display, 0.5, 0.5), (255, 0, 0, 255), 60)
    lab = ImageCms.createProfile("LAB")  # an odd profile: converted or, if not possible, ignored
    odd = images.encode(images.halves(), "JPEG", icc_profile=ImageCms.ImageCmsProfile(lab).tobytes())
    assert_no_metadata(process(odd, "post", LIMITS).display)


def test_sixteen_bit_greyscale_is_scaled_not_clipped():
    grey = Image.new("I;16", (20, 20), 32768)  # mid grey in 16 bits
    p = process(images.encode(grey, "PNG"), "post", LIMITS)
    assert 100 < opened(p.display).convert("L").getpixel((5, 5)) < 156


@pytest.mark.parametrize(("data", "error", "code"), [
    (images.text_named_jpg(), UnsupportedMediaType, "unsupported_media_type"),
    (images.bmp(), UnsupportedMediaType, "unsupported_media_type"),
    (images.tiff(), UnsupportedMediaType, "unsupported_media_type"),
    (b"", UnsupportedMediaType, "unsupported_media_type"),
    (images.png_header_then_garbage(), Invalid, "invalid_image"),
    (images.truncated_jpeg(), Invalid, "invalid_image"),
    (images.png_bomb(), Invalid, "too_many_pixels"),  # 900 MP: past Pillow's own guard too
    (images.png_bomb(8000, 6000), Invalid, "too_many_pixels"),  # 48 MP: caught by ours alone
], ids=["text-named-jpg", "bmp", "tiff", "empty", "png-garbage", "truncated-jpeg", "bomb-900mp", "bomb-48mp"])
def test_bad_uploads_are_refused(data, error, code):
    with pytest.raises(error) as raised:
        process(data, "post", LIMITS)
    assert raised.value.code == code


def test_size_and_frame_limits():
    with pytest.raises(TooLarge):
        process(images.noisy_jpeg((64, 64)), "post", Limits(max_bytes=1024, max_pixels=40_000_000))
    frames = images.animated_gif((100, 100), colours=tuple((i * 20, 0, 0) for i in range(12)))
    with pytest.raises(Invalid, match="all its frames") as raised:  # 12 x 10,000 px > 100,000
        process(frames, "post", Limits(max_bytes=1 << 20, max_pixels=100_000))
    assert raised.value.code == "too_many_pixels"
    assert process(frames, "avatar", Limits(max_bytes=1 << 20, max_pixels=100_000)).display.ext == "jpg"


def test_sniffing_reads_content_only():
    assert [sniff(d) for d in (images.jpeg_with_gps(), images.png_with_alpha(), images.webp(),
                               images.animated_gif(), images.bmp(), images.text_named_jpg())] == [
        "JPEG", "PNG", "WEBP", "GIF", None, None]


# -- storage ---------------------------------------------------------------------------------------------
def test_local_storage(tmp_path):
    storage = LocalMediaStorage(tmp_path / "media")
    r = process(images.jpeg_with_gps(), "post", LIMITS).display
    storage.put(r.key, r.data)
    storage.put(r.key, r.data)  # idempotent
    path = tmp_path / "media" / r.key[:2] / r.key[2:4] / r.key
    assert path.read_bytes() == r.data == storage.read(r.key) and storage.size(r.key) == len(r.data)
    assert storage.keys() == [r.key] and [p.name for p in path.parent.iterdir()] == [r.key]  # no temp file left
    assert storage.url(r.key) == f"/media/{r.key}"
    storage.delete(r.key)
    storage.delete(r.key)
    assert storage.read(r.key) is None and storage.size(r.key) is None and storage.keys() == []
    for bad in ("../../etc/passwd", "a" * 64 + ".exe", "A" * 64 + ".jpg", "a" * 63 + ".jpg", ""):
        assert storage.read(bad) is None and storage.size(bad) is None
        with pytest.raises(ValueError):
            storage.put(bad, b"x")
