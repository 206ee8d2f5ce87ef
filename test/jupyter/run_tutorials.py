"""Runs tutorial notebooks through our Jupyter kernel with nbclient (what `jupyter execute` and
nbconvert use) and checks that the outputs equal the committed ones, as `lstm-notebook run
--check` does for the headless runner.

What is compared, per code cell: the source, the execution count and the outputs (type, stream
name and text, MIME data, execution count, error name, value and traceback). What is not:
cell metadata, where nbclient records execution timestamps. One difference of form is
normalised on both sides: nbclient keeps each stream message as its own output, the runner
merges consecutive ones of the same stream (as Jupyter front ends display them), so adjacent
stream outputs of one name are joined before comparing.

usage: python3 run_tutorials.py NOTEBOOK.ipynb...
"""
import json
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def merged_streams(outputs):
    merged = []
    for out in outputs:
        out = dict(out)
        if out.get("output_type") == "stream":
            text = out["text"] if isinstance(out["text"], str) else "".join(out["text"])
            last = merged[-1] if merged else None
            if last and last.get("output_type") == "stream" and last["name"] == out["name"]:
                last["text"] += text
                continue
            out["text"] = text
        merged.append(out)
    return merged


def comparable(nb):
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cells.append({
            "source": cell.source,
            "execution_count": cell.execution_count,
            "outputs": merged_streams(cell.outputs),
        })
    return json.loads(json.dumps(cells, sort_keys=True))


def first_difference(expected, got):
    for index, (a, b) in enumerate(zip(expected, got)):
        if a != b:
            for key in ("source", "execution_count", "outputs"):
                if a[key] != b[key]:
                    return f"code cell {index + 1}: {key} differs:\n  committed: {json.dumps(a[key])[:400]}\n  kernel:    {json.dumps(b[key])[:400]}"
    if len(expected) != len(got):
        return f"{len(expected)} code cells committed, {len(got)} after the run"
    return None


def main(paths):
    failed = 0
    for path in paths:
        committed = nbformat.read(path, as_version=4)
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        started = time.monotonic()
        client = NotebookClient(nb, kernel_name="lstm-notebook", timeout=300, startup_timeout=60,
                                resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
        try:
            client.execute()
        except Exception as error:  # a failing cell: say which, and go on to the next notebook
            print(f"FAIL {path}: the run failed: {type(error).__name__}: {str(error)[:2000]}", flush=True)
            failed += 1
            continue
        took = time.monotonic() - started
        difference = first_difference(comparable(committed), comparable(nb))
        if difference:
            print(f"FAIL {path} ({took:.0f} s): the outputs differ from the committed ones: {difference}", flush=True)
            failed += 1
        else:
            print(f"ok   {path} ({took:.0f} s): outputs match", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
