package io.ringwall.sim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Running 64-bit FNV-1a hash over every traced event (time, actor, event, bytes). Two runs of the
 * same seed must produce the same {@link #hash()}; any hidden nondeterminism changes it. The last
 * {@link #RECENT_LINES_MAX} events are kept as text to show what happened just before a failure.
 */
public final class Trace {
    public static final int RECENT_LINES_MAX = 256;
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private long hash = FNV_OFFSET;
    private long events;
    private final ArrayDeque<String> recent = new ArrayDeque<>();

    public void record(long timeNs, String actor, String event, byte[] bytes, int length) {
        mixLong(timeNs);
        mixString(actor);
        mixString(event);
        mixLong(length);
        for (int i = 0; i < length; i++) {
            mixByte(bytes[i]);
        }
        events++;
        remember(timeNs + " " + actor + " " + event + " len=" + length);
    }

    public void record(long timeNs, String actor, String event, String detail) {
        byte[] b = detail.getBytes(StandardCharsets.UTF_8);
        mixLong(timeNs);
        mixString(actor);
        mixString(event);
        for (byte x : b) {
            mixByte(x);
        }
        events++;
        remember(timeNs + " " + actor + " " + event + " " + detail);
    }

    public long hash() {
        return hash;
    }

    public long events() {
        return events;
    }

    public List<String> recentLines() {
        return List.copyOf(recent);
    }

    private void remember(String line) {
        if (recent.size() == RECENT_LINES_MAX) {
            recent.removeFirst();
        }
        recent.addLast(line);
    }

    private void mixString(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            mixByte((byte) c);
            mixByte((byte) (c >>> 8));
        }
        mixByte((byte) 0);
    }

    private void mixLong(long v) {
        for (int i = 0; i < 8; i++) {
            mixByte((byte) (v >>> (8 * i)));
        }
    }

    private void mixByte(byte b) {
        hash ^= b & 0xFF;
        hash *= FNV_PRIME;
    }
}
