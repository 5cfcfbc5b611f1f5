@_exported import Notebook
