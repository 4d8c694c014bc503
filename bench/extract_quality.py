"""Extraction quality and speed on the seeds and the real dev corpus, against a baseline, in one run.

For each tree (this checkout, and a baseline commit checked out into a temporary
directory with ``git archive``) a fresh Python process extracts every report
in-process and scores it with the functions of ``../shared/devset/score.py`` and
``attribution.py`` (the same rules the scripts apply to ``python -m geo extract``):
place accuracy, event recall/precision/F1, fatality figures, the share of events
whose country and actors the text supports, and reports per second on one core
(gazetteer already loaded, as in the running app).

    python bench/extract_quality.py [--baseline 9fbc34b] [--seconds 5]

Needs ``../shared/devset`` (the annotated corpus); exits with a message without it.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from datetime import date
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEVSET = ROOT.parent / "shared" / "devset"
BASELINE = "9fbc34b"  # the pipeline before issue 10's work
TARGETS = {"places": 0.90, "f1": 0.75, "attribution": 0.98, "reports_per_s": 50.0}


def _module(name: str):  # noqa: ANN202 - a module
    spec = importlib.util.spec_from_file_location(name, DEVSET / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_set(which: str, seconds: float) -> dict:
    """Run in the tree under test (cwd): extract each report of ``which`` in-process and score it."""
    sys.path.insert(0, str(Path.cwd()))
    from geo.extract.pipeline import extract
    from geo.extract.text import decode_report

    S, A = _module("score"), _module("attribution")
    base = DEVSET / "real" if which == "real" else DEVSET
    reports = base / "reports" if which == "real" else DEVSET.parent / "seeds"
    places = S.load_places(base / "places.csv")
    golds = [json.loads(line) for line in (base / "gold.jsonl").open(encoding="utf-8") if line.strip()]
    docs = []
    for g in golds:
        path = reports / g["file"]
        published = date.fromisoformat(g["published"]) if g.get("published") else None
        docs.append((g, decode_report(path.read_bytes(), path.name), published))
    n = {k: 0 for k in ("place_hit", "place_n", "ev_hit", "ev_n", "pred_hit", "pred_n", "fat_hit", "fat_n",
                        "supported", "events")}
    for g, text, published in docs:
        result = extract(text, published=published, source=g["file"], report=g["file"]).to_json()
        found: dict[str, list] = {}
        for p in result["places"]:
            found.setdefault(S.norm(p.get("text")), []).append(p)
        for name in dict.fromkeys(g.get("toponyms") or []):
            ref = places.get(S.norm(name))
            if not ref or ref["kind"] != "place":
                continue
            n["place_n"] += 1
            tol = float(ref["tol_km"] or 10)
            n["place_hit"] += any(
                S.as_float(p.get("latitude")) is not None and S.as_float(p.get("longitude")) is not None
                and S.km(float(p["latitude"]), float(p["longitude"]), float(ref["lat"]), float(ref["lon"])) <= tol
                for p in found.get(S.norm(name), []))
        preds = result["events"]
        scored = [e for e in g.get("events") or [] if e.get("event_type") in S.COMPATIBLE]
        used: set[int] = set()
        for e in scored:
            n["ev_n"] += 1
            hit = next((i for i, p in enumerate(preds) if i not in used and S.matches(e, p, places)), None)
            if hit is None:
                continue
            used.add(hit)
            n["ev_hit"] += 1
            value = (e.get("fatalities") or {}).get("value")
            if value is not None:
                n["fat_n"] += 1
                alternatives = {value, *[a.get("value") if isinstance(a, dict) else a
                                         for a in (e["fatalities"].get("alternatives") or [])]}
                n["fat_hit"] += preds[hit].get("fatalities") in alternatives
        for i, p in enumerate(preds):
            n["pred_n"] += 1
            n["pred_hit"] += i in used or any(S.matches(e, p, places) for e in scored)
        allowed = A.report_countries(g)
        for e in preds:
            n["events"] += 1
            n["supported"] += _supported(A, e, text, allowed)
    start, cpu, done = time.perf_counter(), time.process_time(), 0
    while time.perf_counter() - start < seconds:
        for g, text, published in docs:
            extract(text, published=published, source=g["file"], report=g["file"])
            done += 1
    n["reports_per_s"] = done / (time.perf_counter() - start)
    # per second of this process's own CPU time: what one core does, whatever else shares the machine
    n["reports_per_cpu_s"] = done / (time.process_time() - cpu)
    n["reports"] = len(docs)
    return n


def _supported(A, event: dict, text: str, allowed: set[str]) -> bool:  # noqa: ANN001 - the attribution module
    """The checks of ``attribution.py`` for one event."""
    if allowed and (event.get("country") or "") not in allowed:
        return False
    for field in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
        actor = event.get(field) or ""
        if re.search(r"JNIM|al-Qaeda|Qaeda", actor) and not A.JNIM.search(text):
            return False
        if re.search(r"Islamic State|ISGS|IS Sahel", actor) and not A.IS.search(text):
            return False
        m = re.search(r"(?:Military|Police|Gendarmerie) Forces of ([A-Z][\w ]+?)(?: \(|$)", actor)
        if m and allowed and m.group(1).strip() not in allowed:
            return False
    return True


def figures(n: dict) -> dict:
    recall = n["ev_hit"] / n["ev_n"] if n["ev_n"] else 0.0
    precision = n["pred_hit"] / n["pred_n"] if n["pred_n"] else 0.0
    return {
        "places": n["place_hit"] / n["place_n"] if n["place_n"] else 0.0,
        "recall": recall, "precision": precision,
        "f1": 2 * recall * precision / (recall + precision) if recall + precision else 0.0,
        "fatalities": f"{n['fat_hit']}/{n['fat_n']}",
        "attribution": n["supported"] / n["events"] if n["events"] else 0.0,
        "events": n["events"], "reports_per_s": n["reports_per_s"], "reports_per_cpu_s": n["reports_per_cpu_s"],
    }


def run_tree(tree: Path, which: str, seconds: float) -> dict:
    # -P: bench/ is not put on sys.path, so no script there can shadow a standard module
    out = subprocess.run([sys.executable, "-P", str(Path(__file__).resolve()), "--worker", which,
                          "--seconds", str(seconds)], cwd=tree, capture_output=True, text=True, check=True)
    return figures(json.loads(out.stdout.strip().splitlines()[-1]))


def checkout(commit: str, into: Path) -> Path:
    data = subprocess.run(["git", "archive", "--format=tar", commit], cwd=ROOT, capture_output=True,
                          check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--baseline", default=BASELINE, help="commit to compare against (default: %(default)s)")
    ap.add_argument("--seconds", type=float, default=5.0, help="time spent measuring throughput per set")
    ap.add_argument("--worker", choices=("seeds", "real"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not DEVSET.is_dir():
        print(f"{DEVSET} is absent: the annotated corpus is needed for this benchmark")
        return 0
    if args.worker:
        print(json.dumps(score_set(args.worker, args.seconds)))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        base = checkout(args.baseline, Path(tmp))
        print("| set | pipeline | places | event recall | precision | F1 | fatalities right | attribution | "
              "events | reports/s (wall) | reports per CPU second |")
        print("|---|---|---|---|---|---|---|---|---|---|---|")
        for which in ("seeds", "real"):
            for label, tree in ((f"baseline {args.baseline}", base), ("this tree", ROOT)):
                f = run_tree(tree, which, args.seconds)
                print(f"| {which} | {label} | {f['places']:.2f} | {f['recall']:.2f} | {f['precision']:.2f} | "
                      f"{f['f1']:.2f} | {f['fatalities']} | {f['attribution']:.2f} | {f['events']} | "
                      f"{f['reports_per_s']:.0f} | {f['reports_per_cpu_s']:.0f} |")
    print(f"targets on the real corpus: places >= {TARGETS['places']}, F1 >= {TARGETS['f1']}, "
          f"attribution >= {TARGETS['attribution']}, >= {TARGETS['reports_per_s']:.0f} reports/s on one core "
          f"(reports per CPU second; the wall figure drops when other work shares the machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
