"""Small helpers shared by the Python reference peers (server and client driver)."""

import importlib
import os
import sys
import threading
from pathlib import Path

# Generated code lives in <repo>/gen/python (INTEROP_GEN_PYTHON overrides it, e.g. in a
# container). The article puts the proto folder on sys.path the same way.
GEN_DIR = Path(os.environ.get("INTEROP_GEN_PYTHON", Path(__file__).resolve().parents[3] / "gen" / "python"))
sys.path.insert(0, str(GEN_DIR))


def import_generated(module: str):
    """Import a generated module, with a one-line hint when codegen has not run."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        sys.exit(f"python peer: cannot import generated {module} from {GEN_DIR} ({e}): run `npm run gen`")


def import_all_generated():
    """Import every *_pb2 module so that their descriptors are in the default pool."""
    for path in sorted(GEN_DIR.glob("*_pb2.py")):
        import_generated(path.stem)


def exit_when_stdin_closes(stop):
    """The harness holds stdin open while it wants the peer. If the harness dies, even by
    SIGKILL, the pipe closes and the peer exits too, so no orphan survives a run."""

    def watch():
        try:
            while sys.stdin.buffer.read(65536):
                pass
        finally:
            stop()
            os._exit(0)

    threading.Thread(target=watch, daemon=True).start()
