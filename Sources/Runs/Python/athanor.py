"""The `athanor` module of a code step (```` ```python step NAME ````).

Athanor puts this module on the path of every python code step; nothing needs installing:

    import athanor
    df = athanor.read("raw")                        # a pandas DataFrame (a dict of numpy arrays without pandas)
    athanor.write("table", df, target="cultivar")   # the dataset STEP.table, listed in `produces:`
    athanor.log("share", 0.25)                      # the metric STEP.share; with step=N, a series point
    path = athanor.artifact_path("model.pkl")       # a file collected as an artifact

The run's parameters are variables of the code already; `athanor.params()` gives them as a dict too.
Every matplotlib figure open when the code ends, or shown with `plt.show()`, goes in the report.
"""

import json
import os
import sys

from athanor_log import artifact_path, log, log_metrics, params, run_id, save_artifact, step_name

__all__ = [
    "read", "write", "log", "log_metrics", "params", "artifact_path", "save_artifact", "run_id", "step_name",
]

# What the step was told, from the file ATHANOR_CODE names: the code, where it sits in the notebook, and
# the datasets it reads and produces.
_context = None
_written = set()
_figures = 0
# A figure is drawn at most this many pixels on its longer side, so that a report stays light.
_LARGEST_SIDE = 1600


def _step():
    global _context
    if _context is None:
        path = os.environ.get("ATHANOR_CODE")
        if not path:
            raise RuntimeError("athanor.read and athanor.write work inside a code step of a notebook run by Athanor")
        with open(path, encoding="utf-8") as f:
            _context = json.load(f)
    return _context


def _listed(names):
    return "[" + ", ".join(names) + "]" if names else "nothing"


def read(reference):
    """The dataset `reference` (`STEP` or `STEP.OUTPUT`, listed in `reads:`): a pandas DataFrame, features
    and target, text columns as Categorical; a dict of read-only numpy arrays when pandas is missing."""
    reads = _step()["reads"]
    if reference not in reads:
        raise KeyError(f"athanor.read({reference!r}): the step's reads: lists {_listed(sorted(reads))}")
    import athanor_dataset

    try:
        import pandas  # noqa: F401
    except ImportError:
        return athanor_dataset.read(reads[reference], writable=True)
    return athanor_dataset.read_frame(reads[reference])


def write(name, frame, target=None):
    """Hands the dataset `name` (listed in `produces:`) back to the notebook as STEP.NAME: a pandas
    DataFrame or a dict of equal-length columns; `target` names the target column, if any. Numeric
    columns are kept as float64, others as text levels; missing values stay missing."""
    produces = _step()["produces"]
    if name not in produces:
        raise KeyError(f"athanor.write({name!r}): the step's produces: lists {_listed(sorted(produces))}")
    import athanor_dataset

    columns = list(frame.columns) if hasattr(frame, "columns") else list(frame)
    if target is not None and target not in columns:
        raise KeyError(f"athanor.write({name!r}, target={target!r}): no such column; the columns are {columns}")
    path = produces[name]
    temporary = path + ".partial"
    if hasattr(frame, "columns"):
        athanor_dataset.write_frame(temporary, frame, target=target)
    else:
        try:
            import pandas
        except ImportError:
            athanor_dataset.write(temporary, frame, target=target)
        else:
            athanor_dataset.write_frame(temporary, pandas.DataFrame(frame), target=target)
    os.replace(temporary, path)
    _written.add(name)


def _save_figures():
    """Saves every open matplotlib figure as a PNG in the step's output folder, and closes it."""
    global _figures
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is None:
        return
    for number in pyplot.get_fignums():
        figure = pyplot.figure(number)
        _figures += 1
        width, height = figure.get_size_inches()
        dpi = min(float(figure.get_dpi()), _LARGEST_SIDE / max(width, height, 1e-3))
        figure.savefig(artifact_path(f"figures/figure-{_figures}.png"), format="png", dpi=dpi)
    pyplot.close("all")


def _failing_line(traceback_, filename):
    """The notebook line of the innermost frame in the notebook's code, or None."""
    line = None
    while traceback_ is not None:
        if traceback_.tb_frame.f_code.co_filename == filename:
            line = traceback_.tb_lineno
        traceback_ = traceback_.tb_next
    return line


def _user_frames(traceback_, filename):
    """The traceback from the first frame of the notebook's code on, without this module's frames."""
    while traceback_ is not None and traceback_.tb_frame.f_code.co_filename != filename:
        traceback_ = traceback_.tb_next
    return traceback_


def _fail(context, line, message):
    with open(context["error"], "w", encoding="utf-8") as f:
        json.dump({"line": line, "message": message}, f)
    sys.exit(1)


def _main():
    """Runs the step's code as `__main__`, its parameters as variables, in the notebook's folder."""
    import traceback

    context = _step()
    filename = context["notebook"]
    # Blank lines before the code, so that every line number Python gives is the notebook's.
    source = "\n" * (context["first_line"] - 1) + context["code"]
    namespace = {"__name__": "__main__", "__file__": filename, "__builtins__": __builtins__}
    namespace.update(params())
    sys.argv = [filename]
    try:
        exec(compile(source, filename, "exec"), namespace)
        _save_figures()
    except SystemExit as exit:
        if exit.code not in (None, 0):
            _fail(context, None, f"the code called sys.exit({exit.code!r})")
        _save_figures()
    except SyntaxError as error:
        traceback.print_exception(type(error), error, None)
        _fail(context, error.lineno, f"SyntaxError: {error.msg}")
    except BaseException as error:
        traceback.print_exception(type(error), error, _user_frames(error.__traceback__, filename))
        message = traceback.format_exception_only(type(error), error)[-1].strip()
        _fail(context, _failing_line(error.__traceback__, filename), message)
    sys.stdout.flush()
