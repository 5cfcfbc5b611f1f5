"""Prints a local TCP port on which nothing listens (it was free a moment ago)."""
import socket

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    print(s.getsockname()[1])
