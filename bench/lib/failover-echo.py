#!/usr/bin/env python3
"""UDP echo server for bench/failover.sh: echoes every datagram arriving on ADDR:7; exits after
IDLE_S seconds without traffic so a forgotten one cannot linger. Usage: failover-echo.py ADDR [IDLE_S]"""
import socket, sys

s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 7))
s.settimeout(float(sys.argv[2]) if len(sys.argv) > 2 else 600)
while True:
    try:
        d, a = s.recvfrom(64)
    except socket.timeout:
        break
    s.sendto(d, a)
