@_exported import Notebook
@_exported import Runs
