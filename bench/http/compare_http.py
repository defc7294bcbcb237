#!/usr/bin/python3
"""Skillscope's scoring API against a FastAPI + uvicorn + XGBoost peer, driven by wrk on 127.0.0.1.

One model (200 trees, depth 6, 26 features, trained by XGBoost 1.7.4 on skill-like data) served by
both: a one-row and a 100-row request returning scores (the peer adds the model's global top-5
features, as the seed service does), and a one-row request with each row's top-5 TreeSHAP
contributions (`top_k`), which costs both sides far more per row.
wrk runs DURATION seconds per cell at each concurrency; the peer runs with one and two uvicorn
workers. Prints requests/s, rows/s and p99 latency, and Skillscope's RSS after the runs.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import numpy as np
import xgboost as xgb

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "bench"))
from compare_xgboost_training import FEATURES, make  # noqa: E402


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=60):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except Exception:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def wrk(url, body_file, key, connections, duration):
    env = dict(os.environ, WRK_BODY_FILE=body_file, WRK_API_KEY=key or "")
    out = subprocess.run(["wrk", "-t", "2", "-c", str(connections), "-d", f"{duration}s", "--latency", "-s", os.path.join(HERE, "post.lua"), url],
                         env=env, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", out).group(1))
    p99 = re.search(r"99%\s+([0-9.]+)(us|ms|s)", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, p99_ms, int(errors.group(1)) if errors else 0


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", default="32,64")
    parser.add_argument("--skillscope", default=os.path.join(ROOT, "skillscope"), help="the skillscope launcher to measure (e.g. another checkout's, for a before/after)")
    parser.add_argument("--no-peer", action="store_true", help="measure Skillscope alone")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="skillscope-http-")
    processes = []
    try:
        rng = np.random.default_rng(2026)
        x, y = make(rng, 20_000, 1)
        names = [f"f{i}" for i in range(FEATURES)]
        booster = xgb.train({"objective": "binary:logistic", "max_depth": 6, "eta": 0.1, "tree_method": "hist", "nthread": 2},
                            xgb.DMatrix(x, y[:, 0], feature_names=names), 200)
        model = os.path.join(work, "skill.json")
        booster.save_model(model)
        rows = [{n: (None if np.isnan(v) else round(float(v), 4)) for n, v in zip(names, x[i])} for i in range(100)]
        bodies = {}
        for label, count, top_k in (("1 row", 1, 0), ("100 rows", 100, 0), ("1 row+SHAP", 1, 5)):
            path = os.path.join(work, f"body{count}_{top_k}.json")
            with open(path, "w") as handle:
                json.dump({"rows": rows[:count], "top_k": top_k} if top_k else {"rows": rows[:count]}, handle)
            bodies[label] = (path, count)

        skillscope = args.skillscope
        data = os.path.join(work, "data")
        subprocess.run([skillscope, "models", "register", "--name", "skill", "--version", "1.0.0", "--model", model, "--data-dir", data, "--create"], check=True, capture_output=True)
        subprocess.run([skillscope, "models", "promote", "--name", "skill", "--version", "1.0.0", "--data-dir", data], check=True, capture_output=True)
        key = subprocess.run([skillscope, "keys", "create", "--role", "service", "--name", "bench", "--data-dir", data], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]

        targets = []
        port = free_port()
        server = subprocess.Popen([skillscope, "serve", "--urls", f"http://127.0.0.1:{port}", "--data-dir", data],
                                  env=dict(os.environ, RateLimit__PermitsPerSecond="100000000"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(server)
        wait_for(f"http://127.0.0.1:{port}/health/ready")
        targets.append(("Skillscope", f"http://127.0.0.1:{port}/api/v1/models/skill/predict", key, server))
        for workers in () if args.no_peer else (1, 2):
            peer_port = free_port()
            peer = subprocess.Popen(["/usr/bin/python3", "-m", "uvicorn", "peer:app", "--host", "127.0.0.1", "--port", str(peer_port), "--workers", str(workers), "--log-level", "warning"],
                                    cwd=HERE, env=dict(os.environ, PEER_MODEL=model), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            processes.append(peer)
            wait_for(f"http://127.0.0.1:{peer_port}/docs")
            targets.append((f"FastAPI peer, {workers} worker{'s' if workers > 1 else ''}", f"http://127.0.0.1:{peer_port}/predict", None, peer))

        print(f"{'target':<26} {'request':<11} {'conns':>5} {'req/s':>9} {'rows/s':>10} {'p99 ms':>8} {'non-2xx':>7}")
        for name, url, target_key, _ in targets:
            for label, (body, count) in bodies.items():
                wrk(url, body, target_key, 8, 2)  # warm-up, untimed
                for connections in [int(c) for c in args.connections.split(",")]:
                    rps, p99, errors = wrk(url, body, target_key, connections, args.duration)
                    print(f"{name:<26} {label:<11} {connections:>5} {rps:>9.0f} {rps * count:>10.0f} {p99:>8.2f} {errors:>7}", flush=True)
        print(f"Skillscope RSS after the runs: {rss_mib(server.pid):.0f} MiB")
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM) if process.args[0] == "/usr/bin/python3" else process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
            except Exception:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
