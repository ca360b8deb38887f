"""Live preview: serve one deck on localhost, rebuild it on every save, reload on the same slide."""

from __future__ import annotations

import functools
import http.server
import threading
import webbrowser
from pathlib import Path

from watchfiles import watch

from .build import BuildOptions, build
from .config import Project
from .report import Reporter

LIVE_PATH = "/__deckbuild/version"
# Polls the build version; a new version reloads the page, and reveal.js's URL hash keeps the slide.
LIVE_SCRIPT = """<script>
(function () {
  let seen = null;
  setInterval(function () {
    fetch("LIVE_PATH", {cache: "no-store"}).then(r => r.text()).then(function (v) {
      if (seen !== null && v !== seen) window.location.reload();
      seen = v;
    }).catch(function () {});
  }, 500);
})();
</script>""".replace("LIVE_PATH", LIVE_PATH)


class PreviewState:
    def __init__(self) -> None:
        self.version = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        with self.lock:
            self.version += 1


def make_handler(root: Path, state: PreviewState) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            if self.path.startswith(LIVE_PATH):
                return self.send_text(str(state.version), "text/plain")
            path = Path(self.translate_path(self.path))
            if path.suffix == ".html" and path.is_file():
                html = path.read_text(encoding="utf-8").replace("</body>", LIVE_SCRIPT + "</body>", 1)
                return self.send_text(html, "text/html; charset=utf-8")
            return super().do_GET()

        def send_text(self, text: str, kind: str) -> None:
            data = text.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # keep the terminal for build messages

    return functools.partial(Handler, directory=str(root))  # type: ignore[return-value]


def serve(project: Project, deck: Path, port: int, open_browser: bool) -> None:
    """Build `deck` (HTML only, cached code), serve the output folder, rebuild on change."""
    options = BuildOptions(jobs=1, pdf=False)
    reporter = Reporter(quiet=True)
    build(project, [deck], options, reporter)
    state = PreviewState()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port),
                                             make_handler(project.output_dir, state))
    url = f"http://127.0.0.1:{server.server_address[1]}/" \
          f"{deck.relative_to(project.root).with_suffix('.html').as_posix()}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Serving {url}  (Ctrl-C to stop; press S in the deck for the speaker view)", flush=True)
    if open_browser:
        webbrowser.open(url)
    try:
        for changes in watch(project.root, watch_filter=functools.partial(relevant, project)):
            names = sorted({Path(p).name for _, p in changes})
            print(f"changed: {', '.join(names)}; rebuilding", flush=True)
            report = build(project, [deck], options, reporter)
            if report.failed:
                print(f"build failed: {report.failed[0].error}", flush=True)
            else:
                state.bump()
                print("reloaded", flush=True)
    finally:
        server.shutdown()


def relevant(project: Project, change: object, path: str) -> bool:
    """Sources only: not the output, the cache, or tool folders."""
    parts = Path(path).resolve().relative_to(project.root).parts if path.startswith(str(project.root)) else ()
    ignored = {project.output_dir.name, "_freeze", "node_modules", ".git", ".nox", "__pycache__"}
    return bool(parts) and not any(p in ignored or p.startswith(f".{project.output_dir.name}.")
                                   for p in parts)
