package io.ringwall.messaging;

/**
 * Layout of the encrypted body (big-endian). Byte 0 is the kind.
 * <pre>
 * DATA     0 kind=1  1 channel  2 flags (bit0 ordered; others 0)  3 reserved 0
 *          4 message id (8)  12 message length (4)  16 fragment index (4)  20 fragment count (4)
 *         24 fragment offset (4)  28 order seq (8)  36 order floor (8)  44 fragment bytes...
 * ACK      0 kind=2  1 entry count n (1..MAX_ACK_ENTRIES)  2 reserved (2)
 *          4 n × { message id (8), fragment index (4) }
 * DATAGRAM 0 kind=3  1 datagram kind (the upper layer's: 0 token ring)  2..3 reserved 0   4 data...
 * </pre>
 */
final class PacketBody {
    static final int KIND_DATA = 1;
    static final int KIND_ACK = 2;
    static final int KIND_DATAGRAM = 3;

    static final int DATA_HEADER = 44;
    static final int FLAG_ORDERED = 1;
    static final int OFF_CHANNEL = 1, OFF_FLAGS = 2, OFF_MSG_ID = 4, OFF_MSG_LEN = 12, OFF_FRAG_INDEX = 16,
            OFF_FRAG_COUNT = 20, OFF_FRAG_OFFSET = 24, OFF_ORDER_SEQ = 28, OFF_ORDER_FLOOR = 36;

    static final int ACK_HEADER = 4;
    static final int ACK_ENTRY = 12;
    static final int MAX_ACK_ENTRIES = 64;

    static final int DATAGRAM_HEADER = 4;
    static final int OFF_DATAGRAM_KIND = 1;

    /** A message needs at most this many fragments even at the smallest allowed packet size. */
    static final int MAX_FRAGMENTS = MessagingConfig.MAX_MESSAGE_BYTES / 64 + 1;

    private PacketBody() {}
}
