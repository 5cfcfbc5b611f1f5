"""The matplotlib backend of a code step (MPLBACKEND=module://athanor_figures): Agg, whose `show()`
saves the open figures for the report instead of opening a window."""

from matplotlib.backend_bases import FigureManagerBase as FigureManager  # noqa: F401
from matplotlib.backends.backend_agg import FigureCanvasAgg as FigureCanvas  # noqa: F401


def show(*args, **kwargs):
    import athanor

    athanor._save_figures()
