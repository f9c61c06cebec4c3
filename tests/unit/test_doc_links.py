"""The docs stand on their own in a clone: every relative link in README.md, docs/*.md and bench/README.md
names a file inside the repository that exists (and, with a #fragment into a Markdown file, a heading it
has), and no link leaves the repository (no `../` past the root, no absolute path, no file:// URL)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
# [text](target) and ![alt](target), with an optional "title"; <a href>/<img src> in inline HTML
MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"""<(?:a|img)\b[^>]*?\b(?:href|src)\s*=\s*["']([^"']+)["']""", re.I)
WEB = ("http://", "https://", "mailto:")


def docs() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "README.md"]


def links(text: str) -> list[str]:
    """Link targets outside code: a path in a code block or `code span` is an example, not a link."""
    text = CODE_SPAN.sub("", FENCE.sub("", text))
    return MD_LINK.findall(text) + HTML_LINK.findall(text)


def anchors(markdown: str) -> set[str]:
    """GitHub's heading ids: lower case, punctuation dropped, spaces to hyphens, repeats numbered."""
    seen: dict[str, int] = {}
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", FENCE.sub("", markdown), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.replace("`", "").lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        if count:
            seen[f"{slug}-{count}"] = 1
    return set(seen)


def broken_links(doc: Path, root: Path = ROOT) -> list[str]:
    problems = []
    for target in links(doc.read_text(encoding="utf-8")):
        if target.startswith(WEB):
            continue
        if ":" in target.split("/", 1)[0] or target.startswith("/"):
            problems.append(f"{target}: not a relative link (file://, an absolute path)")
            continue
        path_part, _, fragment = target.partition("#")
        resolved = (doc.parent / unquote(path_part)).resolve() if path_part else doc.resolve()
        if not resolved.is_relative_to(root.resolve()):
            problems.append(f"{target}: leaves the repository")
        elif not resolved.exists():
            problems.append(f"{target}: no such file")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved.read_text(encoding="utf-8")):
            problems.append(f"{target}: no heading #{fragment} in {resolved.relative_to(root.resolve())}")
    return problems


def test_every_doc_link_resolves_inside_the_repository() -> None:
    problems = {str(doc.relative_to(ROOT)): broken_links(doc) for doc in docs()}
    assert {doc: found for doc, found in problems.items() if found} == {}
    assert sum(len(links(doc.read_text(encoding="utf-8"))) for doc in docs()) > 50  # the scan sees the links


def test_the_checker_finds_each_kind_of_bad_link(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "there.md").write_text("# A heading: with `code`\n", encoding="utf-8")
    doc = tmp_path / "docs" / "a.md"
    doc.write_text("[ok](there.md#a-heading-with-code) [outside](../../shared/docs/design.md) "
                   "[missing](gone.md) [anchor](there.md#nope) ![abs](/etc/passwd) "
                   '<img src="file:///tmp/x.png"> [web](https://example.org) `[code](nowhere.md)`\n'
                   "```\n[fenced](nowhere.md)\n```\n", encoding="utf-8")
    found = broken_links(doc, root=tmp_path)
    assert [p.split(":")[0] for p in found] == ["../../shared/docs/design.md", "gone.md", "there.md#nope",
                                                "/etc/passwd", "file"], found
