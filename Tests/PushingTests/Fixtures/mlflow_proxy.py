"""A proxy in front of an MLflow server for the tests: it records each request's method, path and
Authorization header, and can answer 503 for a window of requests (a server that fails mid-push).

Usage: python mlflow_proxy.py UPSTREAM_PORT LOG_FILE [FAIL_AFTER FAIL_COUNT]
Prints "ready PORT"; requests FAIL_AFTER+1 .. FAIL_AFTER+FAIL_COUNT get 503 without reaching MLflow.
Ends at the end of standard input.
"""

import http.client
import http.server
import sys
import threading

upstream = int(sys.argv[1])
log_path = sys.argv[2]
fail_after = int(sys.argv[3]) if len(sys.argv) > 3 else -1
fail_count = int(sys.argv[4]) if len(sys.argv) > 4 else 0
count = 0
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        global count
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with lock:
            count += 1
            number = count
            with open(log_path, "a") as log:
                log.write("%s %s %s\n" % (self.command, self.path, self.headers.get("Authorization", "-")))
        if fail_after >= 0 and fail_after < number <= fail_after + fail_count:
            payload = b'{"error_code": "INTERNAL_ERROR", "message": "injected failure"}'
            self.send_response(503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
            return
        connection = http.client.HTTPConnection("127.0.0.1", upstream, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
        connection.request(self.command, self.path, body=body, headers=headers)
        answer = connection.getresponse()
        payload = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        connection.close()

    do_GET = do_POST = do_PUT = forward


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("ready", server.server_address[1], flush=True)
sys.stdin.read()
server.shutdown()
