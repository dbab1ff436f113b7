package io.ringwall.messaging;

import static io.ringwall.wire.ByteArrays.getInt;
import static io.ringwall.wire.ByteArrays.getLong;
import static io.ringwall.wire.ByteArrays.putInt;
import static io.ringwall.wire.ByteArrays.putLong;

/**
 * Cleartext header of every cluster packet; all of it is AEAD additional data. Big-endian:
 * <pre>
 *  0  version (1)      1  sender id (1)     2  receiver id (1)   3  reserved, 0 (1)
 *  4  sender boot id (8)
 * 12  packet sequence (8)
 * 20  ciphertext ... | 16-byte GCM tag
 * </pre>
 */
public final class PacketHeader {
    public static final int VERSION = 1;
    public static final int LENGTH = 20;
    public static final int TAG_LENGTH = 16;
    public static final int OVERHEAD = LENGTH + TAG_LENGTH;

    static final int OFF_VERSION = 0;
    static final int OFF_SENDER = 1;
    static final int OFF_RECEIVER = 2;
    static final int OFF_RESERVED = 3;
    static final int OFF_BOOT = 4;
    static final int OFF_SEQ = 12;

    private PacketHeader() {}

    static void write(byte[] b, int sender, int receiver, long bootId, long seq) {
        b[OFF_VERSION] = VERSION;
        b[OFF_SENDER] = (byte) sender;
        b[OFF_RECEIVER] = (byte) receiver;
        b[OFF_RESERVED] = 0;
        putLong(b, OFF_BOOT, bootId);
        putLong(b, OFF_SEQ, seq);
    }

    static int version(byte[] b) { return b[OFF_VERSION] & 0xFF; }
    static int sender(byte[] b) { return b[OFF_SENDER] & 0xFF; }
    static int receiver(byte[] b) { return b[OFF_RECEIVER] & 0xFF; }
    static int reserved(byte[] b) { return b[OFF_RESERVED] & 0xFF; }
    static long bootId(byte[] b) { return getLong(b, OFF_BOOT); }
    static long sequence(byte[] b) { return getLong(b, OFF_SEQ); }
}
