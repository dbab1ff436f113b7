#!/usr/bin/env python3
"""TCP echo server for bench/failover.sh (the long-lived connections): echoes everything arriving on ADDR:PORT,
one selector loop for all connections; exits after IDLE_S seconds without any event so a forgotten one cannot
linger. Prints a JSON line whenever its own loop was not run for over 50 ms (it asks to wake every 10 ms), so an
echo gap on the client can be told from a pause of this server. Usage: failover-tcp-echo.py ADDR PORT [IDLE_S]"""
import json, selectors, socket, sys, time

addr, port = sys.argv[1], int(sys.argv[2])
idle = float(sys.argv[3]) if len(sys.argv) > 3 else 600
sel = selectors.DefaultSelector()
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind((addr, port)); ls.listen(1024); ls.setblocking(False)
sel.register(ls, selectors.EVENT_READ, None)
last_event = time.monotonic()
while True:
    before = time.monotonic()
    events = sel.select(timeout=0.01)
    now = time.monotonic()
    if now - before > 0.05:  # asked to wake within 10 ms: the server itself was not run (logged, not a path gap)
        print(json.dumps({"paused_ms": round((now - before) * 1000, 1), "end_unix": round(time.time(), 3)}),
              flush=True)
    if events:
        last_event = now
    elif now - last_event > idle:
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
