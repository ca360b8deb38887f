"""Quarto-style SCSS themes: `theme: [default, custom.scss]`, compiled with the npm `sass` package.

A Quarto theme file has sections marked `/*-- scss:defaults --*/` (variables) and
`/*-- scss:rules --*/` (CSS rules). The user's defaults come first, so their values win over
ours (declared `!default`); ours map Quarto's variable names onto reveal.js's CSS properties.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from .errors import DeckError

SECTION = re.compile(r"^/\*--\s*scss:(uses|functions|defaults|mixins|rules)\s*--\*/\s*$", re.M)
ORDER = ("uses", "functions", "defaults", "mixins", "rules")

QUARTO_DEFAULTS = """
$white: #fff !default;
$black: #000 !default;
$gray-100: #f8f9fa !default; $gray-200: #e9ecef !default; $gray-300: #dee2e6 !default;
$gray-400: #ced4da !default; $gray-500: #adb5bd !default; $gray-600: #6c757d !default;
$gray-700: #495057 !default; $gray-800: #343a40 !default; $gray-900: #212529 !default;
$blue: #2a76dd !default; $red: #dc3545 !default; $green: #198754 !default; $orange: #fd7e14 !default;
$yellow: #ffc107 !default; $purple: #6f42c1 !default; $cyan: #0dcaf0 !default;
$primary: #1f5fa8 !default; $secondary: $gray-600 !default; $success: $green !default;
$info: $cyan !default; $warning: $yellow !default; $danger: $red !default;
$light: $gray-100 !default; $dark: $gray-900 !default;
$body-bg: #fff !default;
$body-color: #222 !default;
$link-color: $primary !default;
$text-muted: $gray-600 !default;
$border-color: $gray-300 !default;
$selection-bg: lighten($link-color, 35%) !default;
$font-family-sans-serif: "Source Sans Pro", "DejaVu Sans", Helvetica, sans-serif !default;
$font-family-monospace: "DejaVu Sans Mono", "Liberation Mono", monospace !default;
$presentation-font-size-root: 38px !default;
$presentation-line-height: 1.3 !default;
$presentation-heading-font: $font-family-sans-serif !default;
$presentation-heading-color: $body-color !default;
$presentation-heading-font-weight: 600 !default;
$presentation-heading-text-transform: none !default;
$presentation-heading-letter-spacing: normal !default;
$presentation-heading-line-height: 1.15 !default;
$presentation-h1-font-size: 2.1em !default;
$presentation-h2-font-size: 1.45em !default;
$presentation-h3-font-size: 1.15em !default;
$presentation-h4-font-size: 1em !default;
$presentation-title-slide-text-align: left !default;
$presentation-slide-text-align: left !default;
$code-block-bg: #f4f6f9 !default;
$code-block-color: $body-color !default;
$code-color: #7d12ba !default;
$code-bg: $gray-100 !default;
$callout-color-note: $blue !default;
$callout-color-tip: $green !default;
$callout-color-important: $red !default;
$callout-color-caution: $orange !default;
$callout-color-warning: $yellow !default;
"""

QUARTO_RULES = """
:root {
  --accent: #{$link-color};
  --r-background-color: #{$body-bg};
  --r-main-color: #{$body-color};
  --r-main-font: #{$font-family-sans-serif};
  --r-main-font-size: #{$presentation-font-size-root};
  --r-heading-font: #{$presentation-heading-font};
  --r-heading-color: #{$presentation-heading-color};
  --r-heading-font-weight: #{$presentation-heading-font-weight};
  --r-heading-text-transform: #{$presentation-heading-text-transform};
  --r-heading-letter-spacing: #{$presentation-heading-letter-spacing};
  --r-heading-line-height: #{$presentation-heading-line-height};
  --r-heading1-size: #{$presentation-h1-font-size};
  --r-heading2-size: #{$presentation-h2-font-size};
  --r-heading3-size: #{$presentation-h3-font-size};
  --r-heading4-size: #{$presentation-h4-font-size};
  --r-link-color: #{$link-color};
  --r-link-color-hover: #{darken($link-color, 10%)};
  --r-selection-background-color: #{$selection-bg};
  --r-code-font: #{$font-family-monospace};
}
.reveal-viewport { background: $body-bg; }
.reveal .slides { text-align: $presentation-slide-text-align; }
.reveal #title-slide { text-align: $presentation-title-slide-text-align; }
.reveal p, .reveal li { line-height: $presentation-line-height; }
.reveal div.sourceCode { background: $code-block-bg; }
.reveal div.sourceCode code { color: $code-block-color; }
.reveal :not(pre) > code { color: $code-color; background: $code-bg; }
.reveal .callout-note { --callout-color: #{$callout-color-note}; }
.reveal .callout-tip { --callout-color: #{$callout-color-tip}; }
.reveal .callout-important { --callout-color: #{$callout-color-important}; }
.reveal .callout-caution { --callout-color: #{$callout-color-caution}; }
.reveal .callout-warning { --callout-color: #{$callout-color-warning}; }
"""


def split_sections(text: str) -> dict[str, str]:
    """The named sections of a Quarto SCSS file (a file without markers is all rules)."""
    marks = list(SECTION.finditer(text))
    if not marks:
        return {"rules": text}
    parts = {name: "" for name in ORDER}
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        end = following.start() if following else len(text)
        parts[mark.group(1)] += text[mark.end():end] + "\n"
    return parts


def assemble(files: list[Path]) -> str:
    sections = [split_sections(f.read_text(encoding="utf-8")) for f in files]

    def joined(name: str) -> str:
        return "\n".join(s.get(name, "") for s in sections)

    return "\n".join([joined("uses"), joined("functions"), joined("defaults"), QUARTO_DEFAULTS,
                      joined("mixins"), QUARTO_RULES, joined("rules")])


def compile_theme(files: list[Path], node_modules: Path, out_dir: Path, deck: Path) -> str:
    """Compile the SCSS files into `out_dir/<hash>.css` (reused when it exists); return its name."""
    source = assemble(files)
    name = hashlib.sha256(source.encode()).hexdigest()[:16] + ".css"
    target = out_dir / name
    if target.exists():
        return name
    sass = node_modules / "sass" / "sass.js"
    if not sass.exists():
        raise DeckError(deck, None, "SCSS theme needs the npm package `sass`", "run `npm ci`")
    load_paths = sorted({str(f.parent) for f in files})
    proc = subprocess.run(["node", str(sass), "--stdin", "--no-source-map", "--quiet",
                           *[f"--load-path={p}" for p in load_paths]],
                          input=source, text=True, capture_output=True, check=False)
    if proc.returncode != 0:
        first = proc.stderr.strip().splitlines()[0] if proc.stderr.strip() else "sass failed"
        raise DeckError(files[-1], None, f"SCSS theme does not compile: {first}",
                        "fix the SCSS; Quarto's Bootstrap functions are not available here")
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(proc.stdout, encoding="utf-8")
    tmp.replace(target)
    return name
