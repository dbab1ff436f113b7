package io.ringwall.dataplane;

/**
 * Gratuitous ARP announcements after a takeover: {@link #ANNOUNCEMENTS} per VIP, spaced by
 * {@link #SPACING_NS}, so hosts and switches that miss the first one still learn the new owner.
 */
public final class GratuitousArpSchedule {
    public static final int ANNOUNCEMENTS = 3;
    public static final long SPACING_NS = 200_000_000L;
    /** Bound on VIPs being announced at once (a node rarely takes over more). */
    public static final int MAX_PENDING = 256;

    private final int[] ifIndexes = new int[MAX_PENDING];
    private final int[] vips = new int[MAX_PENDING];
    private final int[] remaining = new int[MAX_PENDING];
    private final long[] dueNs = new long[MAX_PENDING];
    private int count;

    /** Schedules announcements starting now; a VIP already scheduled restarts its series. */
    public boolean schedule(int ifIndex, int vip, long nowNs) {
        for (int i = 0; i < count; i++) {
            if (ifIndexes[i] == ifIndex && vips[i] == vip) {
                remaining[i] = ANNOUNCEMENTS;
                dueNs[i] = nowNs;
                return true;
            }
        }
        if (count == MAX_PENDING) {
            return false;
        }
        ifIndexes[count] = ifIndex;
        vips[count] = vip;
        remaining[count] = ANNOUNCEMENTS;
        dueNs[count] = nowNs;
        count++;
        return true;
    }

    /** Stops announcing a VIP (it was released before its series ended). */
    public void cancel(int ifIndex, int vip) {
        for (int i = 0; i < count; i++) {
            if (ifIndexes[i] == ifIndex && vips[i] == vip) {
                removeAt(i);
                return;
            }
        }
    }

    private void removeAt(int i) {
        count--;
        ifIndexes[i] = ifIndexes[count];
        vips[i] = vips[count];
        remaining[i] = remaining[count];
        dueNs[i] = dueNs[count];
    }

    /** Receives each announcement that is due. */
    @FunctionalInterface
    public interface Announcer {
        void announce(int ifIndex, int vip);
    }

    public void onTick(long nowNs, Announcer announcer) {
        for (int i = 0; i < count; ) {
            if (dueNs[i] - nowNs <= 0) {
                announcer.announce(ifIndexes[i], vips[i]);
                if (--remaining[i] == 0) {
                    removeAt(i);
                    continue;
                }
                dueNs[i] = nowNs + SPACING_NS;
            }
            i++;
        }
    }

    public long nextDeadlineNs() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            min = Math.min(min, dueNs[i]);
        }
        return min;
    }

    public int pending() {
        return count;
    }
}
