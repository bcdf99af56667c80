"""Finding a font that can draw Chinese for the promo cards.

Order: the configured path (a wrong one is an error, not a silent fallback), then fontconfig (the fonts
the system knows cover `zh`), then the paths Debian's CJK font packages install. Pillow's built-in font
has no CJK glyphs and would draw boxes, so when nothing is found the error says what to install.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import ImageFont

FONT_PACKAGES = ("fonts-noto-cjk", "fonts-wqy-microhei")


@dataclass(frozen=True)
class FontChoice:
    """A font file and the face inside it (.ttc collections hold several; Noto's SC face is index 2)."""

    path: Path
    index: int = 0
    source: str = "known path"  # "configured", "fontconfig" or "known path", for logs and errors


KNOWN_CJK_FONTS: tuple[FontChoice, ...] = (
    FontChoice(Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), 0),
    FontChoice(Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2),
    FontChoice(Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), 0),
    FontChoice(Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"), 2),
)


class FontNotFoundError(FileNotFoundError):
    """No CJK font on this machine (or the configured one is missing); the message names the packages."""


def find_cjk_font(
    configured: str | Path | None = None,
    *,
    use_fontconfig: bool = True,
    known: Sequence[FontChoice] = KNOWN_CJK_FONTS,
    timeout_s: float = 5.0,
) -> FontChoice:
    """The font to draw Chinese with; raises FontNotFoundError naming the Debian packages to install."""
    install = " or ".join(f"`apt-get install {p}`" for p in FONT_PACKAGES)
    if configured is not None and str(configured) != "":
        path = Path(configured).expanduser()
        if not path.is_file():
            raise FontNotFoundError(
                f"configured card font {path} does not exist; fix the path or remove it to search the "
                f"system fonts ({install})"
            )
        return FontChoice(path, 0, "configured")
    if use_fontconfig:
        found = _fontconfig_cjk(timeout_s)
        if found is not None:
            return found
    for choice in known:
        if choice.path.is_file():
            return choice
    searched = ", ".join(str(c.path) for c in known) or "no fixed paths"
    raise FontNotFoundError(
        f"no font with Chinese glyphs found (fontconfig {'asked' if use_fontconfig else 'not asked'}; "
        f"searched {searched}); install one with {install}, or set the font path in the config"
    )


def _fontconfig_cjk(timeout_s: float) -> FontChoice | None:
    """fontconfig's best `zh` match, if it really covers zh; else the first font `fc-list` says does."""
    if shutil.which("fc-list") is None:
        return None
    listed = _run(["fc-list", "-f", "%{file}\t%{index}\n", ":lang=zh"], timeout_s)
    covering: dict[Path, int] = {}
    for line in listed.splitlines():
        file_name, _, index = line.partition("\t")
        if file_name:
            face = int(index) if index.isdigit() else 0
            covering[Path(file_name)] = min(face, covering.get(Path(file_name), face))
    if not covering:
        return None
    # fc-match always answers (DejaVu when nothing covers zh), so its answer counts only if fc-list agrees.
    matched = _run(["fc-match", "-f", "%{file}\n%{index}", ":lang=zh-cn"], timeout_s).splitlines()
    if len(matched) >= 1 and Path(matched[0]) in covering:
        index = int(matched[1]) if len(matched) > 1 and matched[1].isdigit() else 0
        return FontChoice(Path(matched[0]), index, "fontconfig")
    path = min(covering, key=str)
    return FontChoice(path, covering[path], "fontconfig")


def _run(argv: list[str], timeout_s: float) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout if done.returncode == 0 else ""


def load_font(choice: FontChoice, size_px: int) -> ImageFont.FreeTypeFont:
    """The face at `size_px`; a file that is not a font is reported with its path."""
    try:
        return ImageFont.truetype(str(choice.path), size_px, index=choice.index)
    except OSError as exc:
        raise FontNotFoundError(
            f"cannot load font {choice.path} (face {choice.index}, {choice.source}): {exc}"
        ) from exc
