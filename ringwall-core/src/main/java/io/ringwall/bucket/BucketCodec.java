package io.ringwall.bucket;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The bucket map carriage. Big-endian: format (1), buckets (2), backup count (1), members (2), eligible (2),
 * generation (4), mode (1), then mode 0: count (2) and count × (bucket (2), owner (1)) for the buckets not owned
 * by their desired owner — nothing at all in a settled cluster — or mode 1: 4 bits per bucket (two per byte, high nibble first), whichever is shorter: at most 525 bytes for
 * 1024 buckets, so the token still fits one cluster packet. Owner 0xFF (0xF in mode 1) means none.
 */
public final class BucketCodec {
    static final int FORMAT = 1;
    private static final int HEADER = 1 + 2 + 1 + 2 + 2 + 4 + 1;
    private static final int MODE_EXCEPTIONS = 0;
    private static final int MODE_FULL = 1;

    private BucketCodec() {
    }

    public static byte[] encode(BucketMap map) {
        int exceptions = 0;
        for (int b = 0; b < map.buckets(); b++) {
            exceptions += map.ownerOf(b) != map.desiredOwnerOf(b) ? 1 : 0;
        }
        int fullBytes = (map.buckets() + 1) / 2;
        boolean full = 2 + 3 * exceptions > fullBytes;
        ByteBuffer out = ByteBuffer.allocate(HEADER + (full ? fullBytes : 2 + 3 * exceptions));
        out.put((byte) FORMAT).putShort((short) map.buckets()).put((byte) map.backupCount())
                .putShort((short) map.members()).putShort((short) map.eligible()).putInt((int) map.generation())
                .put((byte) (full ? MODE_FULL : MODE_EXCEPTIONS));
        if (full) {
            for (int b = 0; b < map.buckets(); b += 2) {
                int hi = map.ownerOf(b) & 0xF;
                int lo = b + 1 < map.buckets() ? map.ownerOf(b + 1) & 0xF : 0;
                out.put((byte) (hi << 4 | lo));
            }
        } else {
            out.putShort((short) exceptions);
            for (int b = 0; b < map.buckets(); b++) {
                if (map.ownerOf(b) != map.desiredOwnerOf(b)) {
                    out.putShort((short) b).put((byte) map.ownerOf(b));
                }
            }
        }
        return out.array();
    }

    /** The map, or null if the payload is malformed (never an exception: the train is input from the network). */
    public static BucketMap decode(byte[] payload) {
        try {
            ByteBuffer in = ByteBuffer.wrap(payload);
            if (in.get() != FORMAT) {
                return null;
            }
            int buckets = Short.toUnsignedInt(in.getShort());
            int backupCount = Byte.toUnsignedInt(in.get());
            int members = Short.toUnsignedInt(in.getShort());
            int eligible = Short.toUnsignedInt(in.getShort());
            long generation = Integer.toUnsignedLong(in.getInt());
            int mode = in.get();
            if (buckets < 1 || buckets > BucketMap.MAX_BUCKETS || backupCount >= BucketMap.MAX_NODES) {
                return null;
            }
            byte[] owners;
            BucketMap settled = null;
            if (mode == MODE_FULL) {
                owners = new byte[buckets];
                for (int b = 0; b < buckets; b += 2) {
                    int pair = Byte.toUnsignedInt(in.get());
                    owners[b] = nibbleOwner(pair >>> 4, members);
                    if (b + 1 < buckets) {
                        owners[b + 1] = nibbleOwner(pair & 0xF, members);
                    }
                }
            } else if (mode == MODE_EXCEPTIONS) {
                settled = BucketMap.balanced(buckets, backupCount, members, eligible, generation);
                owners = settled.owners();
                int count = Short.toUnsignedInt(in.getShort());
                for (int i = 0; i < count; i++) {
                    int b = Short.toUnsignedInt(in.getShort());
                    if (b >= buckets) {
                        return null;
                    }
                    owners[b] = in.get();
                }
            } else {
                return null;
            }
            if (in.hasRemaining() || !validOwners(owners, members)) {
                return null;
            }
            return settled != null ? settled.withOwners(owners, generation)
                    : new BucketMap(buckets, backupCount, members, eligible, generation, owners);
        } catch (BufferUnderflowException e) {
            return null;
        }
    }

    /** In full mode an owner is 4 bits; a ring without members has no owners (all bits set). */
    private static byte nibbleOwner(int nibble, int members) {
        return members == 0 && nibble == 0xF ? BucketMap.NONE : (byte) nibble;
    }

    private static boolean validOwners(byte[] owners, int members) {
        for (byte o : owners) {
            if (o != BucketMap.NONE && (o < 0 || o >= BucketMap.MAX_NODES || (members & (1 << o)) == 0)) {
                return false;
            }
        }
        return true;
    }
}
