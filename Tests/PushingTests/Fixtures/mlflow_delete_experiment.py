"""Deletes the experiment NAME on the server, as a user does in MLflow's interface.

Usage: python mlflow_delete_experiment.py TRACKING_URL NAME
"""
import sys

from mlflow.tracking import MlflowClient

client = MlflowClient(tracking_uri=sys.argv[1])
experiment = client.get_experiment_by_name(sys.argv[2])
client.delete_experiment(experiment.experiment_id)
print(experiment.experiment_id)
