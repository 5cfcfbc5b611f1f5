import Runs
