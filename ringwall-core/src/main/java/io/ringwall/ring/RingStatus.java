package io.ringwall.ring;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot of one node's view of its ring, for the CLI / status API.
 *
 * @param members        bitmask over node-map positions (bit i = node i)
 * @param lastVisitNs    when the token last arrived here (or was regenerated here); -1 never
 * @param lastRotationNs time between the two latest visits; 0 until two visits happened
 */
public record RingStatus(int self, boolean inRing, long epoch, long sequence, int members, boolean holder,
                         boolean alone, boolean quorum, long lastVisitNs, long lastRotationNs) {
    public List<Integer> memberList() {
        List<Integer> list = new ArrayList<>();
        for (int m = members; m != 0; m &= m - 1) {
            list.add(Integer.numberOfTrailingZeros(m));
        }
        return list;
    }
}
