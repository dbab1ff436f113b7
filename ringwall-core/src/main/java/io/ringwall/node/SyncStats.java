package io.ringwall.node;

/**
 * Totals of one member's flow replication and of the message layer under it (zeros in alone mode), so a
 * benchmark or an operator can tell where replication bytes go: first copies, retransmissions, bulk transfers.
 *
 * @param recordsSent       flow records put into batches (counted once however many peers got the batch)
 * @param batchesSent       batches sent (each one unfragmented reliable message)
 * @param bulkTransfers     bulk transfers started (a peer joined, a queue overflowed, a send failed, the safety net)
 * @param bulkCauses        the same, by cause
 * @param deletesSent       deletion records sent
 * @param recordsImported   records stored into the standby store from peers
 * @param packetsSent       sealed cluster packets sent (data, acks, ring tokens)
 * @param retransmissions   DATA fragments sent again after their retransmission timeout
 * @param duplicateFragments DATA fragments received that were already delivered (a resend whose first copy arrived)
 * @param retransmissionsHeld due resends not sent because the peer had acked nothing since (one probe went instead)
 * @param rtoNs             the largest current retransmission timeout towards any peer
 */
public record SyncStats(long recordsSent, long batchesSent, long bulkTransfers, BulkCauses bulkCauses, long deletesSent,
                        long recordsImported, long packetsSent, long retransmissions, long duplicateFragments,
                        long retransmissionsHeld, long rtoNs) {
    public static final SyncStats NONE = new SyncStats(0, 0, 0, BulkCauses.NONE, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Why bulk transfers started: a member (re)joined the ring, a peer became the backup of a bucket this node owns
     * (re-replication), the dirty or deletion queue overflowed, the periodic full sync, a send failed.
     */
    public record BulkCauses(long joined, long newBackup, long overflow, long fullSync, long sendFailure) {
        public static final BulkCauses NONE = new BulkCauses(0, 0, 0, 0, 0);

        public long total() {
            return joined + newBackup + overflow + fullSync + sendFailure;
        }
    }
}
