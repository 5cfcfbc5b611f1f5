"""Stand-in for an external training script; referenced by the fixtures' `run:` steps."""
import json, os

with open(os.environ["ATHANOR_METRICS"], "a") as f:
    f.write(json.dumps({"name": "loss", "value": 0.0, "step": 0}) + "\n")
