package io.ringwall.filter;

/** An inclusive port range; a single port N is the range N-N. */
public record PortRange(int low, int high) {
    public static final int MAX_PORT = 65535;

    public PortRange {
        if (low < 0 || high > MAX_PORT || low > high) {
            throw new IllegalArgumentException("bad port range " + low + "-" + high);
        }
    }

    public boolean contains(int port) {
        return port >= low && port <= high;
    }

    @Override
    public String toString() {
        return low == high ? Integer.toString(low) : low + "-" + high;
    }
}
