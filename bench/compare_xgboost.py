#!/usr/bin/python3
"""Scores the same model files and rows with XGBoost's native predictor and with Skillscope, and prints
both timings and the ratio. Called by bench/compare-xgboost; see docs/BENCHMARKS.md.

Workload (the skill models' shape): 7 binary:logistic models, 200 trees each, depth 6, 26 features,
trained by XGBoost on generated data; batches of 1, 100, 10,000 and 1,000,000 rows (10% missing).
"""
import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np
import xgboost as xgb

MODELS, TREES, DEPTH, FEATURES = 7, 200, 6, 26
BATCHES = [1, 100, 10_000, 1_000_000]


def make_workload(folder):
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(7)
    rows_path = os.path.join(folder, "rows.f32")
    if not os.path.exists(rows_path):
        rows = rng.normal(size=(max(BATCHES), FEATURES)).astype(np.float32)
        rows[rng.random(rows.shape) < 0.1] = np.nan
        rows.tofile(rows_path)
    for k in range(MODELS):
        path = os.path.join(folder, f"skill_{k}.json")
        if os.path.exists(path):
            continue
        x = rng.normal(size=(20_000, FEATURES)).astype(np.float32)
        x[rng.random(x.shape) < 0.1] = np.nan
        w = rng.normal(size=FEATURES)
        y = (np.nan_to_num(x) @ w + rng.normal(scale=2.0, size=len(x)) > 0).astype(np.float32)
        names = [f"feature_{i}" for i in range(FEATURES)]
        booster = xgb.train({"objective": "binary:logistic", "max_depth": DEPTH, "eta": 0.1, "seed": k,
                             "tree_method": "hist", "min_child_weight": 0.1, "nthread": 2},
                            xgb.DMatrix(x, y, feature_names=names), TREES)
        booster.save_model(path)
    return np.fromfile(rows_path, dtype=np.float32).reshape(-1, FEATURES)


def time_xgboost(folder, rows, threads, budget):
    boosters = []
    for k in range(MODELS):
        b = xgb.Booster(model_file=os.path.join(folder, f"skill_{k}.json"))
        b.set_param({"nthread": threads})
        b.feature_names = None  # score a plain array, as a service would
        boosters.append(b)
    results = {}
    for n in BATCHES:
        batch = rows[:n]
        for b in boosters:  # warm up
            b.inplace_predict(batch[: min(n, 1000)])
        calls, start = 0, time.perf_counter()
        while True:
            for b in boosters:
                b.inplace_predict(batch)
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= budget or (n >= 1_000_000 and calls >= 1):
                break
        results[n] = elapsed / calls
    return results


def time_skillscope(root, folder, threads, budget):
    command = ["dotnet", "run", "-c", "Release", "--project", os.path.join(root, "bench", "Skillscope.Bench"), "--",
               "compare", "--models", folder, "--threads", str(threads), "--budget", str(budget),
               "--batches", ",".join(map(str, BATCHES))]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return {int(k): v for k, v in json.loads(out.strip().splitlines()[-1]).items()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    parser.add_argument("--budget", type=float, default=2.0, help="seconds of timing per batch size")
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rows = make_workload(args.workdir)
    print(f"XGBoost {xgb.__version__}; {MODELS} models x {TREES} trees, depth {DEPTH}, {FEATURES} features; "
          f"time = all {MODELS} models scoring the batch")
    print(f"{'rows':>9} {'thr':>3} {'xgboost/call':>14} {'skillscope/call':>16} {'xgb us/row':>11} {'ss us/row':>10} {'speed-up':>9}")
    for threads in (1, 2):
        ours = time_skillscope(root, args.workdir, threads, args.budget)
        theirs = time_xgboost(args.workdir, rows, threads, args.budget)
        for n in BATCHES:
            t, s = theirs[n], ours[n]
            print(f"{n:>9} {threads:>3} {fmt(t):>14} {fmt(s):>16} {t / n * 1e6:>11.3f} {s / n * 1e6:>10.3f} {t / s:>8.1f}x")
    sys.stdout.flush()


def fmt(seconds):
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.2f} us"


if __name__ == "__main__":
    main()
