#!/usr/bin/python3
"""The seven-skill comparison: Skillscope's /api/v1/skills/infer against a FastAPI + uvicorn + XGBoost
peer serving the same seven models (trained by `skillscope train skills`, loaded unchanged by XGBoost).

One student (26 features → seven scores) and 100 students per request. Skillscope answers with each
skill's score, confidence, coverage and — unless --no-evidence — the top-5 evidence features of that
very prediction (TreeSHAP); the peer with scores and each model's global top-5 features, as the seed
service does. wrk runs DURATION seconds per cell; the peer runs with one and two workers. Last, the
"HTTP floor": a bare Kestrel server (Skillscope.Bench http-floor) that only parses each request's JSON
and answers with as many bytes as Skillscope answered — the ceiling of any .NET server for the same
traffic on this machine. Prints requests/s, students/s, p99, and Skillscope's RSS after the runs. With --baseline REV the build of
that revision serves a copy of the same data in the same run, so a change is measured against what it replaced.
"""
import argparse
import json
import os
import urllib.request
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
from compare_http import free_port, rss_mib, wait_for, wrk  # noqa: E402

SKILLS = ["empathy", "problem_solving", "self_regulation", "resilience", "collaboration", "communication", "growth_mindset"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", default="32,64")
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--no-evidence", action="store_true", help="ask Skillscope for scores only, without per-prediction evidence")
    parser.add_argument("--baseline", help="also serve the build of this git revision (e.g. a tag or commit), on a copy of the same data")
    parser.add_argument("--no-peer", action="store_true", help="leave out the FastAPI peer")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="skillscope-http-skills-")
    processes = []
    try:
        skillscope = os.path.join(ROOT, "skillscope")
        data = os.path.join(work, "data")
        out = subprocess.run([skillscope, "train", "skills", "--students", str(args.students), "--data-dir", data], check=True, capture_output=True, text=True).stdout
        print(out.strip().splitlines()[0])
        models = os.path.join(work, "peer-models")
        os.makedirs(models)
        for skill in SKILLS:
            store = os.path.join(data, "models", f"skill_{skill}")
            version = sorted(os.listdir(store))[-1]
            shutil.copy(os.path.join(store, version, "model.ubj"), os.path.join(models, f"{skill}.ubj"))
        key = subprocess.run([skillscope, "keys", "create", "--role", "service", "--name", "bench", "--data-dir", data], check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]

        generated = os.path.join(work, "district")
        subprocess.run([skillscope, "generate", "--students", "200", "--seed", "99", "--out", generated], check=True, capture_output=True)
        students = features_of(generated, skillscope, work)

        bodies = {}
        for label, count in (("1 student", 1), ("100 students", 100)):
            ours = os.path.join(work, f"ours{count}.json")
            peer = os.path.join(work, f"peer{count}.json")
            evidence = 0 if args.no_evidence else 5
            with open(ours, "w") as handle:
                json.dump({"features": students[0], "evidence": evidence} if count == 1 else
                          {"items": [{"student_id": f"s{i}", "features": f} for i, f in enumerate(students[:count])], "evidence": evidence}, handle)
            with open(peer, "w") as handle:
                json.dump({"features": students[0]} if count == 1 else {"students": students[:count]}, handle)
            bodies[label] = (ours, peer, count)

        port = free_port()
        server = subprocess.Popen([skillscope, "serve", "--urls", f"http://127.0.0.1:{port}", "--data-dir", data],
                                  env=dict(os.environ, RateLimit__PermitsPerSecond="100000000"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        processes.append(server)
        wait_for(f"http://127.0.0.1:{port}/health/ready")
        targets = [("Skillscope", lambda count: f"http://127.0.0.1:{port}/api/v1/skills/infer" + ("" if count == 1 else "/batch"), key, 0)]
        if args.baseline:
            baseline = os.path.join(work, "baseline")
            subprocess.run(["git", "-C", ROOT, "worktree", "add", "--detach", baseline, args.baseline], check=True, capture_output=True)
            subprocess.run([os.path.join(baseline, "skillscope"), "--help"], check=True, capture_output=True)  # build once, untimed
            baseline_data = os.path.join(work, "baseline-data")
            shutil.copytree(data, baseline_data)
            baseline_port = free_port()
            baseline_server = subprocess.Popen([os.path.join(baseline, "skillscope"), "serve", "--urls", f"http://127.0.0.1:{baseline_port}", "--data-dir", baseline_data],
                                               env=dict(os.environ, RateLimit__PermitsPerSecond="100000000"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(baseline_server)
            wait_for(f"http://127.0.0.1:{baseline_port}/health/ready")
            targets.append((f"Skillscope @{args.baseline[:10]}", (lambda p: lambda count: f"http://127.0.0.1:{p}/api/v1/skills/infer" + ("" if count == 1 else "/batch"))(baseline_port), key, 0))
        for workers in () if args.no_peer else (1, 2):
            peer_port = free_port()
            peer = subprocess.Popen(["/usr/bin/python3", "-m", "uvicorn", "peer_skills:app", "--host", "127.0.0.1", "--port", str(peer_port),
                                     "--workers", str(workers), "--log-level", "warning"],
                                    cwd=HERE, env=dict(os.environ, PEER_MODEL_DIR=models), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            processes.append(peer)
            wait_for(f"http://127.0.0.1:{peer_port}/docs")
            targets.append((f"FastAPI peer, {workers} worker{'s' if workers > 1 else ''}",
                            (lambda p: lambda count: f"http://127.0.0.1:{p}/predict" + ("" if count == 1 else "/batch"))(peer_port), None, 1))

        print(f"{'target':<26} {'request':<13} {'conns':>5} {'req/s':>9} {'students/s':>11} {'p99 ms':>8} {'non-2xx':>7}")
        for name, url, target_key, body_index in targets:
            for label, body in bodies.items():
                count = body[2]
                wrk(url(count), body[body_index], target_key, 32, 15)  # warm-up, untimed: 5 s left the JIT still compiling (11 % of the samples)
                for connections in [int(c) for c in args.connections.split(",")]:
                    rps, p99, errors = wrk(url(count), body[body_index], target_key, connections, args.duration)
                    print(f"{name:<26} {label:<13} {connections:>5} {rps:>9.0f} {rps * count:>11.0f} {p99:>8.2f} {errors:>7}", flush=True)
        print(f"Skillscope RSS after the runs (seven models loaded): {rss_mib(server.pid):.0f} MiB", flush=True)
        if args.baseline:
            print(f"Skillscope @{args.baseline[:10]} RSS after the runs: {rss_mib(baseline_server.pid):.0f} MiB", flush=True)

        floor_build = os.path.join(work, "floor")
        subprocess.run(["dotnet", "build", os.path.join(ROOT, "bench", "Skillscope.Bench"), "-c", "Release", "-o", floor_build, "--nologo", "-v", "quiet"],
                       check=True, capture_output=True)
        for label, body in bodies.items():
            reply = answer_size(targets[0][1](body[2]), body[0], key)
            floor_port = free_port()
            floor = subprocess.Popen(["dotnet", os.path.join(floor_build, "Skillscope.Bench.dll"), "http-floor", str(floor_port), str(reply)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(floor)
            wait_for(f"http://127.0.0.1:{floor_port}/")
            url = f"http://127.0.0.1:{floor_port}/"
            wrk(url, body[0], None, 32, 10)  # warm-up, untimed, as long as the servers' own
            for connections in [int(c) for c in args.connections.split(",")]:
                rps, p99, errors = wrk(url, body[0], None, connections, args.duration)
                name = f"HTTP floor ({reply // 1000} KB out)"
                print(f"{name:<26} {label:<13} {connections:>5} {rps:>9.0f} {rps * body[2]:>11.0f} {p99:>8.2f} {errors:>7}", flush=True)
            floor.send_signal(signal.SIGTERM)
            floor.wait(timeout=30)
    finally:
        for process in processes:
            try:
                if process.args[0] == "/usr/bin/python3":
                    os.killpg(process.pid, signal.SIGTERM)
                else:
                    process.send_signal(signal.SIGTERM)
                process.wait(timeout=30)
            except Exception:
                process.kill()
        if args.baseline:
            subprocess.run(["git", "-C", ROOT, "worktree", "remove", "--force", os.path.join(work, "baseline")], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


def answer_size(url, body_file, key):
    """Bytes of Skillscope's answer to this request body."""
    with open(body_file, "rb") as handle:
        request = urllib.request.Request(url, data=handle.read(), headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read())


def features_of(directory, skillscope, work):
    """Feature set 1 of generated students, computed by Skillscope (`skillscope features extract`)."""
    target = os.path.join(work, "features.jsonl")
    subprocess.run([skillscope, "features", "extract", "--district", directory, "--out", target], check=True, capture_output=True)
    with open(target) as handle:
        return [json.loads(line)["features"] for line in handle]


if __name__ == "__main__":
    sys.exit(main())
