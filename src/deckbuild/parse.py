"""Parse a `.qmd` file: front matter, markdown, executable ```{python} cells and includes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .config import load_yaml
from .errors import DeckError

INCLUDE = re.compile(r"^\s*\{\{<\s*include\s+(.+?)\s*>\}\}\s*$")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*(.*)$")
CELL_HEADER = re.compile(r"^\{(\w+)([^}]*)\}\s*$")
OPTION = re.compile(r"^\s*(?:#|%%|//)\|\s?(.*)$")  # #| python, %%| mermaid, //| dot and ojs
INLINE_CODE = re.compile(r"`\{python\}\s+([^`]+?)\s*`")


@dataclass(frozen=True)
class Line:
    text: str
    path: Path
    number: int


@dataclass
class Markdown:
    lines: list[Line]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def inline_code(self) -> list[str]:
        """Inline expressions `` `{python} expr` `` outside fenced code, in order."""
        return [m.group(1) for m in inline_matches(self.text)]


def inline_matches(text: str) -> list[re.Match]:
    found, fence = [], None
    offset = 0
    for line in text.split("\n"):
        match = FENCE.match(line)
        if match and (fence is None or (match.group(2)[0] == fence[0] and not match.group(3))):
            fence = match.group(2) if fence is None else None
        elif fence is None:
            found += [m for m in INLINE_CODE.finditer(text, offset, offset + len(line))]
        offset += len(line) + 1
    return found


@dataclass
class Cell:
    language: str
    source: str  # the code as sent to the kernel, option lines included (so line numbers match)
    code: str  # the code as shown: option lines stripped
    options: dict[str, Any]
    path: Path
    line: int  # line of the opening fence in `path`
    fence: str = "```"


@dataclass
class Document:
    path: Path
    front_matter: dict[str, Any]
    blocks: list[Markdown | Cell] = field(default_factory=list)
    includes: list[Path] = field(default_factory=list)

    @property
    def cells(self) -> list[Cell]:
        return [b for b in self.blocks if isinstance(b, Cell)]

    @property
    def inline_code(self) -> list[str]:
        return [expr for b in self.blocks if isinstance(b, Markdown) for expr in b.inline_code]


def read_text(path: Path, included_from: Line | None = None) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        where = included_from or Line("", path, 0)
        raise DeckError(where.path, where.number or None, f"file not found: {path.name}",
                        "check the path; includes are relative to the including file") from None
    except OSError as exc:
        raise DeckError(path, None, f"cannot read file: {exc.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DeckError(path, line, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})",
                        "save the file as UTF-8") from None


def split_front_matter(text: str, path: Path) -> tuple[dict[str, Any], list[str], int]:
    """Return (front matter, body lines, line number of the first body line)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return {}, lines, 1
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            meta = load_yaml("\n".join(lines[1:end]), path, first_line=2)
            return meta, lines[end + 1:], end + 2
    raise DeckError(path, 1, "front matter is not closed", "end the YAML header with a line '---'")


def expand_includes(lines: list[str], path: Path, first: int, root: Path,
                    stack: tuple[Path, ...], seen: list[Path]) -> list[Line]:
    """Replace `{{< include file >}}` lines by the file's lines, recursively, keeping origins."""
    out: list[Line] = []
    fence: str | None = None
    for offset, text in enumerate(lines):
        here = Line(text, path, first + offset)
        match = FENCE.match(text)
        if match:
            marker = match.group(2)
            if fence is None:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence) and not match.group(3):
                fence = None
        include = INCLUDE.match(text) if fence is None else None
        if not include:
            out.append(here)
            continue
        target = resolve_path(include.group(1).strip("\"'"), path.parent, root, here)
        if target in stack:
            chain = " -> ".join(p.name for p in (*stack, target))
            raise DeckError(path, here.number, f"include cycle: {chain}", "remove one of the includes")
        seen.append(target)
        _, body, body_first = split_front_matter(read_text(target, here), target)
        out.extend(expand_includes(body, target, body_first, root, (*stack, target), seen))
    return out


def resolve_path(ref: str, base: Path, root: Path, where: Line) -> Path:
    """A path as written in a deck: relative to `base`, or to the project root if it starts with /."""
    target = (root / ref.lstrip("/")) if ref.startswith("/") else (base / ref)
    target = target.resolve()
    if target != root and root not in target.parents:
        raise DeckError(where.path, where.number, f"path outside the project: {ref}",
                        "keep included files and images inside the project folder")
    return target


def parse_options(option_lines: list[Line]) -> dict[str, Any]:
    if not option_lines:
        return {}
    text = "\n".join(OPTION.match(line.text).group(1) for line in option_lines)
    try:
        options = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = option_lines[min(mark.line, len(option_lines) - 1)] if mark else option_lines[0]
        raise DeckError(line.path, line.number, f"malformed cell option: {line.text.strip()}",
                        "cell options are YAML: '#| key: value'") from None
    if not isinstance(options, dict):
        first = option_lines[0]
        raise DeckError(first.path, first.number, "cell options must be '#| key: value' lines")
    return options


def header_options(attrs: str) -> dict[str, Any]:
    """Options written in the fence itself: ```{python echo=false, fig-cap="x"} or {python #label}."""
    options: dict[str, Any] = {}
    for match in re.finditer(r"#([\w-]+)|([\w.-]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s,]+)", attrs):
        if match.group(1):
            options["label"] = match.group(1)
        else:
            value = match.group(3).strip("\"'")
            lowered = value.lower()
            options[match.group(2)] = {"true": True, "false": False}.get(lowered, value)
    return options


def split_blocks(lines: list[Line]) -> list[Markdown | Cell]:
    blocks: list[Markdown | Cell] = []
    markdown: list[Line] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        match = FENCE.match(line.text)
        header = CELL_HEADER.match(match.group(3).strip()) if match else None
        if not match:
            markdown.append(line)
            i += 1
            continue
        end = find_fence_end(lines, i, match.group(2))
        if header is None or match.group(1):
            markdown.extend(lines[i:end + 1])
            i = end + 1
            continue
        if end >= len(lines):
            raise DeckError(line.path, line.number, "code cell is not closed",
                            f"end the cell with a line '{match.group(2)}'")
        if markdown:
            blocks.append(Markdown(markdown))
            markdown = []
        blocks.append(make_cell(header, lines[i + 1:end], line, match.group(2)))
        i = end + 1
    if markdown:
        blocks.append(Markdown(markdown))
    return blocks


def find_fence_end(lines: list[Line], start: int, marker: str) -> int:
    for j in range(start + 1, len(lines)):
        m = FENCE.match(lines[j].text)
        if m and m.group(2)[0] == marker[0] and len(m.group(2)) >= len(marker) and not m.group(3):
            return j
    return len(lines)


def make_cell(header: re.Match, body: list[Line], fence: Line, marker: str) -> Cell:
    option_lines = []
    for line in body:
        if not OPTION.match(line.text):
            break
        option_lines.append(line)
    options = {**header_options(header.group(2)), **parse_options(option_lines)}
    code_lines = body[len(option_lines):]
    return Cell(
        language=header.group(1).lower(),
        source="\n".join(line.text for line in body),
        code="\n".join(line.text for line in code_lines).strip("\n"),
        options=options,
        path=fence.path,
        line=fence.number,
        fence=marker,
    )


def parse_document(path: Path, root: Path) -> Document:
    path = path.resolve()
    text = read_text(path)
    front_matter, body, first = split_front_matter(text, path)
    seen: list[Path] = []
    lines = expand_includes(body, path, first, root.resolve(), (path,), seen)
    return Document(path=path, front_matter=front_matter, blocks=split_blocks(lines), includes=seen)
