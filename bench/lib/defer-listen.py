"""TCP listeners for bench/defer.sh: accept and close at once on every port given, until the time limit.

Usage: defer-listen.py ADDRESS SECONDS PORT [PORT ...]
"""
import selectors
import socket
import sys
import time

address, seconds, ports = sys.argv[1], float(sys.argv[2]), [int(p) for p in sys.argv[3:]]
sel = selectors.DefaultSelector()
for port in ports:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen(512)
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
end = time.monotonic() + seconds
while time.monotonic() < end:
    for key, _ in sel.select(timeout=0.5):
        try:
            conn, _ = key.fileobj.accept()
            conn.close()
        except OSError:
            pass
