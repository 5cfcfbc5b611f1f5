"""`athanor push` of a run with 10,000 series points against a local MLflow server, and MLflow's own Python
client logging the same points with log_batch (its fastest way), interleaved, round after round.

Usage: ATHANOR_MLFLOW_VENV=.build/mlflow-venv python3 benchmarks/push/push_benchmark.py [ATHANOR] [ROUNDS]
ATHANOR defaults to .build/release/athanor (with athanor-push beside it). Each round pushes the run into a
new experiment, so that it is pushed whole each time (a second push to the same one does nothing). athanor
is timed as a whole process (start, store, requests); the peer from after `import mlflow` to its last
request, which favours the peer.
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
athanor = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, ".build/release/athanor"))
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
venv = os.environ.get("ATHANOR_MLFLOW_VENV", os.path.join(root, ".build/mlflow-venv"))
python = os.path.join(venv, "bin/python")

PEER = r"""
import sys, time
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient
url, name, points = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = time.perf_counter()
client = MlflowClient(tracking_uri=url)
experiment = client.create_experiment(name)
run = client.create_run(experiment)
now = int(time.time() * 1000)
metrics = [Metric("curve.loss", 1.0 / (step + 1), now, step) for step in range(points)]
for first in range(0, points, 1000):
    client.log_batch(run.info.run_id, metrics=metrics[first:first + 1000])
client.log_batch(run.info.run_id, metrics=[Metric("curve.final", 0.5, now, 0)])
client.set_terminated(run.info.run_id)
print(time.perf_counter() - start)
"""


def main():
    work = tempfile.mkdtemp(prefix="athanor-push-bench-")
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "curve.md")) as f:
        notebook = f.read()
    with open(os.path.join(work, "curve.md"), "w") as f:
        f.write(notebook)
    subprocess.run([athanor, "run", "curve.md", "-q"], cwd=work, check=True)
    server = subprocess.Popen(
        [python, os.path.join(root, "Tests/PushingTests/Fixtures/mlflow_server.py"), os.path.join(venv, "bin/mlflow"),
         work], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline().split()
    url = "http://127.0.0.1:%s" % line[1]
    ours, peers = [], []
    for round in range(rounds):
        start = time.perf_counter()
        subprocess.run([athanor, "push", "latest", "--mlflow", url, "--experiment", "athanor-%d" % round],
                       cwd=work, check=True, stdout=subprocess.DEVNULL)
        ours.append(time.perf_counter() - start)
        peer = subprocess.run([python, "-c", PEER, url, "peer-%d" % round, "10000"], check=True,
                              capture_output=True, text=True)
        peers.append(float(peer.stdout.strip().splitlines()[-1]))
        print("round %d: athanor push %.3f s, mlflow log_batch %.3f s" % (round + 1, ours[-1], peers[-1]))
    server.stdin.close()
    server.wait()
    a, p = statistics.median(ours), statistics.median(peers)
    print("median: athanor push %.3f s, mlflow log_batch %.3f s, ratio %.2f" % (a, p, a / p))


main()
