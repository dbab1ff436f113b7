"""Client of bench/defer.sh: N rounds, each one TCP connect to every port given (in turn, so both kinds see the
same host load), timing connect() — the SYN to SYN-ACK round trip through the cluster. Prints one JSON object:
{"PORT": [milliseconds, ...], ...}; failed connects are counted under "failed".

Usage: defer-connect.py SERVER ROUNDS PORT [PORT ...]
"""
import json
import socket
import sys
import time

server, rounds, ports = sys.argv[1], int(sys.argv[2]), [int(p) for p in sys.argv[3:]]
times = {str(p): [] for p in ports}
failed = 0
for _ in range(rounds):
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(2.0)
        t0 = time.perf_counter()
        try:
            s.connect((server, port))
            times[str(port)].append((time.perf_counter() - t0) * 1000.0)
        except OSError:
            failed += 1
        finally:
            s.close()
        time.sleep(0.002)
times["failed"] = failed
print(json.dumps(times))
