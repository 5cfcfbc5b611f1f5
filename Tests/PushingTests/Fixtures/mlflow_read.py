"""What an MLflow server holds for one Athanor run, read with MLflow's own client, as JSON.

Usage: python mlflow_read.py TRACKING_URL ATHANOR_RUN_ID
"""

import json
import sys

from mlflow.tracking import MlflowClient


def number(value):
    # As text, the shortest that reads back bit for bit (Foundation's JSON reader rounds some doubles).
    return repr(float(value))


def artifacts(client, run_id, path=None):
    paths = []
    for item in client.list_artifacts(run_id, path):
        if item.is_dir:
            paths += artifacts(client, run_id, item.path)
        else:
            paths.append({"path": item.path, "size": item.file_size})
    return paths


def main():
    url, athanor_id = sys.argv[1], sys.argv[2]
    client = MlflowClient(tracking_uri=url)
    experiments = {e.experiment_id: e.name for e in client.search_experiments()}
    runs = client.search_runs(
        list(experiments), filter_string="tags.`athanor.run_id` = '%s'" % athanor_id, max_results=100)
    found = []
    for run in runs:
        info, data = run.info, run.data
        histories = {}
        for key in data.metrics:
            history = client.get_metric_history(info.run_id, key)
            histories[key] = [[m.step, number(m.value), m.timestamp] for m in history]
        found.append({
            "run_id": info.run_id,
            "experiment": experiments.get(info.experiment_id),
            "status": info.status,
            "start_time": info.start_time,
            "end_time": info.end_time,
            "params": data.params,
            "tags": {k: v for k, v in data.tags.items()},
            "metrics": {k: number(v) for k, v in data.metrics.items()},
            "histories": histories,
            "artifacts": artifacts(client, info.run_id),
            "datasets": [
                {"name": d.dataset.name, "digest": d.dataset.digest, "source": d.dataset.source,
                 "profile": d.dataset.profile, "tags": {t.key: t.value for t in d.tags}}
                for d in run.inputs.dataset_inputs
            ],
        })
    print(json.dumps(found, sort_keys=True))


main()
