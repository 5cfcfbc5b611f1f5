"""MLflow's own client sending 10,000 points with log_batch (1000 a request) from 1, 2 or 4 threads at once: whether the
server (--workers 1) takes more requests at a time, i.e. whether `athanor push` would gain from sending batches concurrently.

Usage: .build/mlflow-venv/bin/python benchmarks/push/concurrent_log_batch.py URL EXPERIMENT POINTS THREADS
(URL of a running server, e.g. the one Tests/PushingTests/Fixtures/mlflow_server.py starts.)
"""

import sys, time, threading
from mlflow.entities import Metric
from mlflow.tracking import MlflowClient
url, name, points, threads = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
client = MlflowClient(tracking_uri=url)
experiment = client.create_experiment(name)
run = client.create_run(experiment)
now = int(time.time() * 1000)
metrics = [Metric("curve.loss", 1.0 / (step + 1), now, step) for step in range(points)]
batches = [metrics[f:f + 1000] for f in range(0, points, 1000)]
start = time.perf_counter()
def work(i):
    for b in batches[i::threads]:
        client.log_batch(run.info.run_id, metrics=b)
ts = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
[t.start() for t in ts]; [t.join() for t in ts]
t1 = time.perf_counter() - start
print("%d threads: %.3f s for %d points" % (threads, t1, points))
