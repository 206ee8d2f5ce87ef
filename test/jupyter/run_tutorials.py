"""Runs tutorial notebooks through our Jupyter kernel with nbclient (what `jupyter execute` and
nbconvert use) and checks that the outputs equal the committed ones, as `lstm-notebook run
--check` does for the headless runner.

The whole saved notebook is compared, not only the outputs: nbformat version, notebook metadata
(the kernelspec, and the language_info nbclient writes from our kernel_info, which the runner
writes too), and every cell — id, source, metadata, execution count and outputs (type, stream
name and text, MIME data, error name, value and traceback). What is not: the timestamps each
client records in a cell's metadata.execution. One difference of form is normalised on both
sides: nbclient keeps each stream message as its own output, the runner merges consecutive ones
of the same stream (as Jupyter front ends display them), so adjacent stream outputs of one name
are joined before comparing.

usage: python3 run_tutorials.py NOTEBOOK.ipynb...
"""
import json
import os
import sys
import time
import warnings

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
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        cell["metadata"].pop("execution", None)
        if cell["cell_type"] == "code":
            cell["outputs"] = merged_streams(cell["outputs"])
    return nb


def first_difference(expected, got):
    for key in ("nbformat", "nbformat_minor", "metadata"):
        if expected[key] != got[key]:
            return f"{key} differs:\n  committed: {json.dumps(expected[key])[:400]}\n  kernel:    {json.dumps(got[key])[:400]}"
    if len(expected["cells"]) != len(got["cells"]):
        return f"{len(expected['cells'])} cells committed, {len(got['cells'])} after the run"
    for index, (a, b) in enumerate(zip(expected["cells"], got["cells"])):
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                return f"cell {index + 1}: {key} differs:\n  committed: {json.dumps(a.get(key))[:400]}\n  kernel:    {json.dumps(b.get(key))[:400]}"
    return None


def main(paths):
    # nbformat warns of missing cell ids; here a missing id is a difference the comparison reports.
    warnings.filterwarnings("ignore", module="nbformat")
    failed = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            committed = json.load(f)
        nb = nbformat.reads(json.dumps(committed), as_version=4)
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
        saved = json.loads(nbformat.writes(nb))
        difference = first_difference(comparable(committed), comparable(saved))
        if difference:
            print(f"FAIL {path} ({took:.0f} s): the outputs differ from the committed ones: {difference}", flush=True)
            failed += 1
        else:
            print(f"ok   {path} ({took:.0f} s): outputs match", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
