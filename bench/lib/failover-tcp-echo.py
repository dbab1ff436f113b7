#!/usr/bin/env python3
"""TCP echo server for bench/failover.sh (the long-lived connections): echoes everything arriving on ADDR:PORT,
one selector loop for all connections; exits after IDLE_S seconds without any event so a forgotten one cannot
linger. Usage: failover-tcp-echo.py ADDR PORT [IDLE_S]"""
import selectors, socket, sys

addr, port = sys.argv[1], int(sys.argv[2])
idle = float(sys.argv[3]) if len(sys.argv) > 3 else 600
sel = selectors.DefaultSelector()
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((addr, port)); ls.listen(1024); ls.setblocking(False)
sel.register(ls, selectors.EVENT_READ, None)
while True:
    events = sel.select(timeout=idle)
    if not events:
        break
    for key, _ in events:
        if key.data is None:
            try:
                c, _ = ls.accept()
            except OSError:
                continue
            c.setblocking(False)
            sel.register(c, selectors.EVENT_READ, c)
            continue
        c = key.data
        try:
            d = c.recv(65536)
            if d:
                c.sendall(d)  # 16-byte messages: the send buffer never fills
                continue
        except BlockingIOError:
            continue
        except OSError:
            pass
        sel.unregister(c); c.close()
