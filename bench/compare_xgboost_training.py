#!/usr/bin/python3
"""Quality and speed of Skillscope's trainer against XGBoost 1.7.4 on generated skill-like data.

Data: 26 features (~5% missing), seven binary labels, each a different noisy function of the features
(linear terms, interactions, thresholds). Both trainers get the same parameters: 200 rounds, depth 6,
eta 0.1, hist, max_bin 256, two threads. Quality is measured on 20,000 held-out rows, with each model
scored by XGBoost itself (Skillscope's files are loaded by xgboost.Booster), so both sides are measured
identically. Training time excludes reading the CSV on both sides. With --memory-rows, also trains one
label on that many rows and reports Skillscope's peak resident memory (from /proc, via wait4).
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


def make(rng, n, labels):
    x = rng.normal(size=(n, FEATURES)).astype(np.float32)
    x[rng.random(x.shape) < 0.05] = np.nan
    z = np.nan_to_num(x)
    ys = []
    for k in range(labels):
        a, b, c, d = (3 * k) % FEATURES, (3 * k + 1) % FEATURES, (3 * k + 2) % FEATURES, (5 * k + 7) % FEATURES
        logit = 1.1 * z[:, a] - 0.8 * z[:, b] + 0.7 * z[:, c] * z[:, d] + 0.6 * (z[:, (k + 11) % FEATURES] > 0.3) \
            + 0.5 * np.sin(2 * z[:, (k + 13) % FEATURES]) + 0.3 * z[:, (k + 17) % FEATURES] ** 2 - 0.3
        ys.append((rng.random(n) < 1 / (1 + np.exp(-logit))).astype(np.int8))
    return x, np.stack(ys, axis=1)


def write_csv(path, x, y, label):
    names = [f"f{i}" for i in range(FEATURES)]
    with open(path, "w") as handle:
        handle.write(",".join(names + ["label"]) + "\n")
        for row, target in zip(x, y[:, label]):
            handle.write(",".join("" if np.isnan(v) else f"{v:.9g}" for v in row) + f",{target}\n")


def skillscope_train(root, train_csv, model_path, extra_env=None):
    command = [os.path.join(root, "skillscope"), "train", "--train", train_csv, "--label", "label", "--objective", "binary:logistic",
               "--num-round", str(ROUNDS), "--eta", "0.1", "--max-depth", "6", "--max-bin", "256", "--nthread", "2",
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
    args = parser.parse_args()
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


if __name__ == "__main__":
    sys.exit(main())
