package io.ringwall.app;

/**
 * The Python programs the cluster netns tests run in the client and server namespaces. Addresses, counts and
 * durations are command-line arguments, so one text serves every topology.
 */
final class NetnsTraffic {
    private NetnsTraffic() {
    }

    /**
     * Client side of the UDP probe ({@code SECS SRC SERVER}): one datagram per ms from SRC:6000 to SERVER:7 for
     * SECS, echoes timed; prints sent, received, the longest gap between echoes and the time since the last one.
     */
    static final String PROBE = """
            import socket, time, sys, json
            secs = float(sys.argv[1]); src = sys.argv[2]; server = sys.argv[3]
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((src, 6000)); s.setblocking(False)
            start = time.monotonic(); nxt = start; seq = 0; last = None; gap = 0.0; got = 0
            while time.monotonic() - start < secs:
                now = time.monotonic()
                if now >= nxt:
                    s.sendto(seq.to_bytes(4, 'big'), (server, 7)); seq += 1; nxt += 0.001
                try:
                    while True:
                        s.recv(64); t = time.monotonic(); got += 1
                        if last is not None: gap = max(gap, t - last)
                        last = t
                except BlockingIOError:
                    pass
                time.sleep(0.0002)
            print(json.dumps({"sent": seq, "received": got, "max_gap_ms": round(gap * 1000, 1),
                              "tail_ms": round((time.monotonic() - last) * 1000, 1) if last else -1}))
            """;

    /** UDP echo server on {@code ADDRESS}:7 (the probe's other end). */
    static final String UDP_ECHO = """
            import socket, sys
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], 7)); s.settimeout(120)
            while True:
                d, a = s.recvfrom(64); s.sendto(d, a)
            """;

    /** TCP echo server on {@code ADDRESS}:9000 for the long-lived connections. */
    static final String TCP_ECHO = """
            import socket, sys, threading
            s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((sys.argv[1], 9000))
            s.listen(256)
            def serve(c):
                try:
                    while True:
                        d = c.recv(4096)
                        if not d: break
                        c.sendall(d)
                except OSError:
                    pass
            s.settimeout(120)
            while True:
                c, _ = s.accept(); threading.Thread(target=serve, args=(c,), daemon=True).start()
            """;

    /**
     * {@code N SECS SERVER SRC[,SRC...]}: N long-lived TCP connections to SERVER:9000, the i-th from the
     * (i mod k)-th source address, each echoing 64 bytes every 100 ms for SECS; prints how many survived (no reset
     * or close, and every byte sent echoed back, allowing up to 15 s after the load for TCP to deliver).
     */
    static final String TCP_CLIENTS = """
            import socket, time, sys, json, selectors
            n = int(sys.argv[1]); secs = float(sys.argv[2]); server = sys.argv[3]; srcs = sys.argv[4].split(',')
            sel = selectors.DefaultSelector(); conns = []
            for i in range(n):
                c = socket.create_connection((server, 9000), timeout=5, source_address=(srcs[i % len(srcs)], 0))
                c.setblocking(False)
                conns.append({"s": c, "last": time.monotonic(), "gap": 0.0, "dead": None, "pending": 0})
                sel.register(c, selectors.EVENT_READ, conns[-1])
            def receive(k, timed):
                try:
                    d = k["s"].recv(65536)
                    if not d:
                        k["dead"] = "closed"; sel.unregister(k["s"]); return
                    if timed:
                        t = time.monotonic(); k["gap"] = max(k["gap"], t - k["last"]); k["last"] = t
                    k["pending"] -= len(d)
                except BlockingIOError:
                    pass
                except OSError as e:
                    k["dead"] = str(e); sel.unregister(k["s"])
            start = time.monotonic(); nxt = start
            while time.monotonic() - start < secs:
                now = time.monotonic()
                if now >= nxt:
                    nxt += 0.1
                    for k in conns:
                        if k["dead"] is None:
                            try:
                                k["s"].send(b"x" * 64); k["pending"] += 64
                            except OSError as e:
                                k["dead"] = str(e)
                for key, _ in sel.select(timeout=0.01):
                    receive(key.data, True)
            # A connection that lost segments in the outage may sit in TCP's retransmission backoff for a while:
            # give it up to 15 s to deliver the rest.
            drain_until = time.monotonic() + 15
            while time.monotonic() < drain_until and any(k["dead"] is None and k["pending"] > 0 for k in conns):
                for key, _ in sel.select(timeout=0.05):
                    receive(key.data, False)
            alive = [k for k in conns if k["dead"] is None and k["pending"] == 0]
            print(json.dumps({"conns": n, "survived": len(alive), "dead": [k["dead"] for k in conns if k["dead"]],
                              "undelivered": sum(1 for k in conns if k["dead"] is None and k["pending"] > 0),
                              "max_gap_ms": round(max(k["gap"] for k in conns) * 1000, 1)}))
            """;

    /** Prints {@code GET /v1/status} of the ringwall node listening on 127.0.0.1:7480 in this namespace. */
    static final String STATUS_JSON = """
            import urllib.request
            print(urllib.request.urlopen('http://127.0.0.1:7480/v1/status', timeout=3).read().decode())
            """;
}
