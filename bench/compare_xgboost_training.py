#!/usr/bin/python3
"""Quality and speed of Skillscope's trainer against XGBoost 1.7.4 on generated skill-like data.

Data: 26 features (~5% missing), seven binary labels, each a different noisy function of the features
(linear terms, interactions, thresholds). Both trainers get the same parameters: 200 rounds, depth 6,
eta 0.1, hist, max_bin 256, two threads. Quality is measured on 20,000 held-out rows, with each model
scored by XGBoost itself (Skillscope's files are loaded by xgboost.Booster), so both sides are measured
identically. Training time excludes reading the CSV on both sides. With --memory-rows, also trains one
label on that many rows and reports Skillscope's peak resident memory (from /proc, via wait4).

With --shapes ROWS:FEATURES:MISSING,... (e.g. 100000:26:0.05) the same comparison runs on data of each shape
(one label: linear terms, an interaction, a threshold, a sine and a square of its features), at each thread
count of --threads, and prints Skillscope's time as a fraction of XGBoost's.
"""
import argparse
import os
import re
import resource
import subprocess
import sys
import time

import numpy as np
import xgboost as xgb
from sklearn.metrics import log_loss, roc_auc_score

FEATURES, TEST_ROWS = 26, 20_000
PARAMS = {"objective": "binary:logistic", "eta": 0.1, "max_depth": 6, "tree_method": "hist", "max_bin": 256, "nthread": 2}
ROUNDS = 200


def make(rng, n, labels, features=FEATURES, missing=0.05):
    x = rng.normal(size=(n, features)).astype(np.float32)
    if missing > 0:
        x[rng.random(x.shape) < missing] = np.nan
    z = np.nan_to_num(x)
    ys = []
    for k in range(labels):
        f = features
        a, b, c, d = (3 * k) % f, (3 * k + 1) % f, (3 * k + 2) % f, (5 * k + 7) % f
        logit = 1.1 * z[:, a] - 0.8 * z[:, b] + 0.7 * z[:, c] * z[:, d] + 0.6 * (z[:, (k + 11) % f] > 0.3) \
            + 0.5 * np.sin(2 * z[:, (k + 13) % f]) + 0.3 * z[:, (k + 17) % f] ** 2 - 0.3
        ys.append((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8))
    return x, np.stack(ys, axis=1)


def write_csv(path, x, y, label):
    names = [f"f{i}" for i in range(x.shape[1])]
    with open(path, "w") as handle:
        handle.write(",".join(names + ["label"]) + "\n")
        # %.9g keeps every float32 exactly; "nan" reads as missing on both sides.
        np.savetxt(handle, np.column_stack([x.astype(np.float64), y[:, label]]), fmt=["%.9g"] * x.shape[1] + ["%d"], delimiter=",")


def skillscope_train(root, train_csv, model_path, threads=2):
    command = [os.path.join(root, "skillscope"), "train", "--train", train_csv, "--label", "label", "--objective", "binary:logistic",
               "--num-round", str(ROUNDS), "--eta", "0.1", "--max-depth", "6", "--max-bin", "256", "--nthread", str(threads),
               "--quiet", "--output", model_path]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    seconds = float(re.search(r"time:\s+([0-9.]+) s training", out).group(1))
    return seconds, peak_kib if peak_kib > before else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="5000,100000")
    parser.add_argument("--labels", type=int, default=7)
    parser.add_argument("--memory-rows", type=int, default=0)
    parser.add_argument("--workdir", default="bench/out/training")
    parser.add_argument("--shapes", help="ROWS:FEATURES:MISSING,... instead of --rows (one label per shape)")
    parser.add_argument("--threads", default="1,2", help="thread counts for --shapes")
    args = parser.parse_args()
    if args.shapes:
        return compare_shapes(args)
    root = os.getcwd()
    os.makedirs(args.workdir, exist_ok=True)
    subprocess.run([os.path.join(root, "skillscope"), "--help"], check=True, capture_output=True)  # build once, untimed
    rng = np.random.default_rng(2026)
    x_test, y_test = make(rng, TEST_ROWS, args.labels)
    names = [f"f{i}" for i in range(FEATURES)]
    test = xgb.DMatrix(x_test, feature_names=names)
    print(f"XGBoost {xgb.__version__}; 200 rounds, depth 6, eta 0.1, hist, 256 bins, 2 threads; {TEST_ROWS} test rows")
    print(f"{'rows':>8} {'label':>5} {'xgb AUC':>8} {'ss AUC':>8} {'dAUC':>8} {'xgb LL':>8} {'ss LL':>8} {'dLL %':>7} {'xgb s':>7} {'ss s':>7} {'ratio':>6}")
    for n in [int(v) for v in args.rows.split(",")]:
        x, y = make(rng, n, args.labels)
        totals = [0.0, 0.0]
        for k in range(args.labels):
            train_csv = os.path.join(args.workdir, f"train_{n}_{k}.csv")
            write_csv(train_csv, x, y, k)
            dtrain = xgb.DMatrix(x, y[:, k], feature_names=names)
            start = time.perf_counter()
            reference = xgb.train(PARAMS, dtrain, ROUNDS)
            xgb_seconds = time.perf_counter() - start
            model_path = os.path.join(args.workdir, f"skillscope_{n}_{k}.ubj")
            ss_seconds, _ = skillscope_train(root, train_csv, model_path)
            ours = xgb.Booster(model_file=model_path)
            p_ref, p_ours = reference.predict(test), ours.predict(test)
            auc_ref, auc_ours = roc_auc_score(y_test[:, k], p_ref), roc_auc_score(y_test[:, k], p_ours)
            ll_ref, ll_ours = log_loss(y_test[:, k], p_ref), log_loss(y_test[:, k], p_ours)
            totals[0] += xgb_seconds
            totals[1] += ss_seconds
            print(f"{n:>8} {k:>5} {auc_ref:>8.4f} {auc_ours:>8.4f} {auc_ours - auc_ref:>+8.4f} {ll_ref:>8.4f} {ll_ours:>8.4f} "
                  f"{100 * (ll_ours - ll_ref) / ll_ref:>+7.2f} {xgb_seconds:>7.2f} {ss_seconds:>7.2f} {xgb_seconds / ss_seconds:>5.2f}x")
            os.remove(train_csv)
        print(f"{n:>8} {'all':>5} {'':>8} {'':>8} {'':>8} {'':>8} {'':>8} {'':>7} {totals[0]:>7.2f} {totals[1]:>7.2f} {totals[0] / totals[1]:>5.2f}x")
    if args.memory_rows:
        x, y = make(rng, args.memory_rows, 1)
        train_csv = os.path.join(args.workdir, f"train_{args.memory_rows}.csv")
        write_csv(train_csv, x, y, 0)
        seconds, peak_kib = skillscope_train(root, train_csv, os.path.join(args.workdir, "memory.ubj"))
        print(f"memory: {args.memory_rows} rows x {FEATURES} features: peak RSS {peak_kib / 1024:.0f} MiB, training {seconds:.1f} s")
        os.remove(train_csv)


def compare_shapes(args):
    root = os.getcwd()
    os.makedirs(args.workdir, exist_ok=True)
    subprocess.run([os.path.join(root, "skillscope"), "--help"], check=True, capture_output=True)  # build once, untimed
    print(f"XGBoost {xgb.__version__}; 200 rounds, depth 6, eta 0.1, hist, 256 bins; {TEST_ROWS} test rows per shape; time excludes reading data")
    print(f"{'rows':>8} {'feat':>4} {'miss':>5} {'thr':>3} {'xgb AUC':>8} {'ss AUC':>8} {'dAUC':>8} {'xgb s':>7} {'ss s':>7} {'ss/xgb':>7}")
    for shape in args.shapes.split(","):
        rows, features, missing = shape.split(":")
        n, f, m = int(rows), int(features), float(missing)
        rng = np.random.default_rng(2026)
        x, y = make(rng, n + TEST_ROWS, 1, f, m)
        x_test, y_test, x, y = x[n:], y[n:], x[:n], y[:n]
        train_csv = os.path.join(args.workdir, f"shape_{n}_{f}_{m}.csv")
        write_csv(train_csv, x, y, 0)
        names = [f"f{i}" for i in range(f)]
        dtrain, test = xgb.DMatrix(x, y[:, 0], feature_names=names), xgb.DMatrix(x_test, feature_names=names)
        for threads in [int(t) for t in args.threads.split(",")]:
            start = time.perf_counter()
            reference = xgb.train(dict(PARAMS, nthread=threads), dtrain, ROUNDS)
            xgb_seconds = time.perf_counter() - start
            model_path = os.path.join(args.workdir, f"shape_{n}_{f}_{m}_{threads}.ubj")
            ss_seconds, _ = skillscope_train(root, train_csv, model_path, threads)
            ours = xgb.Booster(model_file=model_path)
            auc_ref, auc_ours = roc_auc_score(y_test[:, 0], reference.predict(test)), roc_auc_score(y_test[:, 0], ours.predict(test))
            print(f"{n:>8} {f:>4} {m:>5.2f} {threads:>3} {auc_ref:>8.4f} {auc_ours:>8.4f} {auc_ours - auc_ref:>+8.4f} "
                  f"{xgb_seconds:>7.2f} {ss_seconds:>7.2f} {ss_seconds / xgb_seconds:>6.2f}x", flush=True)
        os.remove(train_csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
