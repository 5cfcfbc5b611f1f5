"""Talk to Athanor from a script run by a `run:` step.

One file, standard library only: copy it next to your script or put its
directory on PYTHONPATH (for example `env: {PYTHONPATH: ../python}` in the step).

    import athanor_log as athanor

    params = athanor.params()                 # the run's resolved parameters
    for epoch in range(params["epochs"]):
        ...
        athanor.log("loss", loss, step=epoch)  # a point of the series STEP.loss
    athanor.log("accuracy", accuracy)          # the final value STEP.accuracy
    with open(athanor.artifact_path("model.pkl"), "wb") as f:
        pickle.dump(model, f)                  # collected as an artifact

Run outside Athanor (no ATHANOR_* variables), `params()` is empty, metrics are
printed to standard error and artifacts go to `./athanor-output/`, so that the
script can be tried on its own.
"""

import json
import math
import os
import sys

__all__ = ["params", "log", "log_metrics", "artifact_path", "save_artifact", "run_id", "step_name"]


def params():
    """The run's parameters (name -> value) from ATHANOR_PARAMS; {} outside Athanor."""
    path = os.environ.get("ATHANOR_PARAMS")
    if not path:
        return {}
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def log(name, value, step=None):
    """Records a metric: with `step`, a point of a series; without, a final value.

    Athanor records it as STEP.NAME. The value must be a finite number: Athanor
    rejects NaN and infinities rather than chart them as nothing.
    """
    if not isinstance(name, str) or not name or any(c.isspace() for c in name):
        raise ValueError(f"metric name must be non-empty text without spaces, not {name!r}")
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
        raise TypeError(f"metric {name!r} must be a number, not {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"metric {name!r} is {value}; Athanor records finite numbers only")
    record = {"name": name, "value": value}
    if step is not None:
        if isinstance(step, bool) or int(step) != step:
            raise ValueError(f"step of metric {name!r} must be an integer, not {step!r}")
        record["step"] = int(step)
    line = json.dumps(record) + "\n"
    path = os.environ.get("ATHANOR_METRICS")
    if path:
        # One write per line in append mode, so that lines from several processes never mix.
        with open(path, "a", encoding="utf-8") as f:
            f.write(line)
    else:
        sys.stderr.write("metric " + line)


def log_metrics(values, step=None):
    """Records several metrics at once: a mapping of name to value."""
    for name, value in values.items():
        log(name, value, step=step)


def artifact_path(name):
    """Where to write the artifact `name` (a relative path) so that Athanor collects it."""
    if os.path.isabs(name) or ".." in name.split("/"):
        raise ValueError(f"artifact name must be a relative path inside the output directory, not {name!r}")
    directory = os.environ.get("ATHANOR_OUTPUT") or os.path.join(os.getcwd(), "athanor-output")
    path = os.path.join(directory, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    return path


def save_artifact(name, content):
    """Writes `content` (bytes or text) as the artifact `name`; returns its path."""
    path = artifact_path(name)
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    with open(path, "wb") as f:
        f.write(data)
    return path


def run_id():
    """The id of the run, or None outside Athanor."""
    return os.environ.get("ATHANOR_RUN_ID")


def step_name():
    """The name of the step being run, or None outside Athanor."""
    return os.environ.get("ATHANOR_STEP")
