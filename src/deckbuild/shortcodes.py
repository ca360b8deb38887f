"""Quarto shortcodes `{{< name args >}}`: marked up here so the shortcodes Lua filter can run them.

A shortcode alone on a line becomes a block (a Div), elsewhere an inline (a Span); each carries
its raw text. `{{{< x >}}}` is an escaped, literal `{{< x >}}`. Code is left alone.
"""

from __future__ import annotations

import re

SHORTCODE = re.compile(r"(\{)?\{\{<\s*(.*?)\s*>\}\}(\})?")
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")


def quote(raw: str) -> str:
    return raw.replace("\\", "\\\\").replace('"', '\\"')


def mark_inline(text: str) -> str:
    def replace(match: re.Match) -> str:
        if match.group(1) and match.group(3):  # escaped: {{{< x >}}}
            return "{{< " + match.group(2) + " >}}"
        return f'[]{{.quarto-shortcode raw="{quote(match.group(2))}"}}'

    out, last = [], 0
    for code in CODE_SPAN.finditer(text):
        out.append(SHORTCODE.sub(replace, text[last:code.start()]))
        out.append(code.group(0))
        last = code.end()
    out.append(SHORTCODE.sub(replace, text[last:]))
    return "".join(out)


def mark_shortcodes(markdown: str) -> str:
    lines, fence = [], None
    for line in markdown.split("\n"):
        match = FENCE.match(line)
        if match:
            marker = match.group(1)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not line.strip()[len(marker):]:
                fence = None
            lines.append(line)
            continue
        if fence is not None or "{{<" not in line:
            lines.append(line)
            continue
        whole = SHORTCODE.fullmatch(line.strip())
        if whole and not (whole.group(1) and whole.group(3)):
            lines += ["", f'::: {{.quarto-shortcode raw="{quote(whole.group(2))}"}}', ":::", ""]
        else:
            lines.append(mark_inline(line))
    return "\n".join(lines)
