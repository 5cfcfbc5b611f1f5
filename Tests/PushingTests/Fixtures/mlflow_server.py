"""A real MLflow tracking server for the tests, controlled through standard input.

Usage: python mlflow_server.py MLFLOW_EXECUTABLE DIRECTORY
Prints "ready PORT" once /health answers. Then reads commands, one a line: "stop" (prints "stopped"),
"start" (same port and store; prints "ready PORT"). At the end of standard input (the test process is
gone) it stops the server, so that no server outlives its tests.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(mlflow, directory, port):
    env = dict(os.environ, MLFLOW_SERVER_ENABLE_JOB_EXECUTION="false")
    log = open(os.path.join(directory, "server.log"), "ab")
    process = subprocess.Popen(
        [mlflow, "server", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
         "--backend-store-uri", "sqlite:///" + os.path.join(directory, "mlflow.db"),
         "--artifacts-destination", os.path.join(directory, "artifacts")],
        env=env, stdout=log, stderr=log, stdin=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 300
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit("mlflow server ended with %s; see %s" % (process.returncode, log.name))
        try:
            with urllib.request.urlopen("http://127.0.0.1:%d/health" % port, timeout=2) as answer:
                if answer.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    stop(process)
    sys.exit("mlflow server did not answer /health within 300 s")


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    process.wait()


def main():
    mlflow, directory = sys.argv[1], sys.argv[2]
    port = free_port()
    process = start(mlflow, directory, port)
    print("ready", port, flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "stop" and process is not None:
            stop(process)
            process = None
            print("stopped", flush=True)
        elif command == "start" and process is None:
            process = start(mlflow, directory, port)
            print("ready", port, flush=True)
    if process is not None:
        stop(process)


main()
