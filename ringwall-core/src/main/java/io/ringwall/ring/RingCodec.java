package io.ringwall.ring;

import static io.ringwall.wire.ByteArrays.getInt;
import static io.ringwall.wire.ByteArrays.getLong;
import static io.ringwall.wire.ByteArrays.getShort;
import static io.ringwall.wire.ByteArrays.putInt;
import static io.ringwall.wire.ByteArrays.putLong;
import static io.ringwall.wire.ByteArrays.putShort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Binary encoding of ring messages, big-endian. Layouts are tabulated in docs/membership.md.
 * Every message starts with a 4-byte header: magic 'R' (0x52), version 1, kind, sender node id.
 * Decoding never throws: anything short, oversized, unknown or inconsistent decodes to null.
 */
public final class RingCodec {
    public static final byte MAGIC = 0x52;
    public static final byte VERSION = 1;
    public static final int KIND_TOKEN = 1;
    public static final int KIND_ACK = 2;
    public static final int KIND_911 = 3;
    public static final int KIND_911_REPLY = 4;
    public static final int KIND_PROBE = 5;
    public static final int KIND_JOIN = 6;

    public static final int HEADER_BYTES = 4;
    public static final int TOKEN_FIXED_BYTES = HEADER_BYTES + 8 + 8 + 2 + 1 + 1;
    public static final int CARRIAGE_HEADER_BYTES = 2 + 4 + 2;
    public static final int MAX_CARRIAGES = 32;
    public static final int MAX_TRAIN_BYTES = 32 * 1024;
    /** Largest message the ring ever emits or accepts. */
    public static final int MAX_MESSAGE_BYTES = TOKEN_FIXED_BYTES + MAX_CARRIAGES * CARRIAGE_HEADER_BYTES + MAX_TRAIN_BYTES;
    public static final int ACK_BYTES = HEADER_BYTES + 8 + 8 + 1;
    public static final int NINE_ONE_ONE_BYTES = HEADER_BYTES + 4 + 8 + 8 + 1 + 1;
    public static final int PROBE_BYTES = HEADER_BYTES + 8 + 8 + 2;
    public static final int JOIN_BYTES = HEADER_BYTES + 8 + 8;

    private static final int NODE_MASK = (1 << RingConfig.MAX_NODES) - 1;

    private RingCodec() { }

    /** Encodes into {@code out} (at least {@link #MAX_MESSAGE_BYTES} long) and returns the length. */
    public static int encode(RingMessage message, byte[] out) {
        int p = header(out, message);
        switch (message) {
            case RingMessage.Token t -> {
                p = putLong(out, p, t.epoch());
                p = putLong(out, p, t.sequence());
                p = putShort(out, p, t.members());
                out[p++] = (byte) t.destination();
                out[p++] = (byte) t.train().size();
                for (Carriage c : t.train()) {
                    p = putShort(out, p, c.type());
                    p = putInt(out, p, (int) c.version());
                    p = putShort(out, p, c.payloadLength());
                    c.copyPayloadTo(out, p);
                    p += c.payloadLength();
                }
            }
            case RingMessage.Ack a -> {
                p = putLong(out, p, a.epoch());
                p = putLong(out, p, a.sequence());
                out[p++] = (byte) (a.accepted() ? 0 : 1);
            }
            case RingMessage.NineOneOne n -> {
                p = putInt(out, p, n.round());
                p = putLong(out, p, n.epoch());
                p = putLong(out, p, n.sequence());
                out[p++] = (byte) (n.permission() ? 1 : 0);
                out[p++] = (byte) (n.inRing() ? 1 : 0);
            }
            case RingMessage.NineOneOneReply r -> {
                p = putInt(out, p, r.round());
                p = putLong(out, p, r.epoch());
                p = putLong(out, p, r.sequence());
                out[p++] = (byte) (r.permission() ? 1 : 0);
                out[p++] = (byte) (r.live() ? 1 : 0);
            }
            case RingMessage.Probe pr -> {
                p = putLong(out, p, pr.epoch());
                p = putLong(out, p, pr.sequence());
                p = putShort(out, p, pr.members());
            }
            case RingMessage.Join j -> {
                p = putLong(out, p, j.epoch());
                p = putLong(out, p, j.sequence());
            }
        }
        return p;
    }

    /** Decodes {@code in[0, length)}; null when malformed. */
    public static RingMessage decode(byte[] in, int length) {
        return decode(in, length, List.of());
    }

    /**
     * As {@link #decode(byte[], int)}; a token's carriage equal in type, version and bytes to one of {@code known}
     * (the train of the last token) is that instance: a ring that changes nothing allocates no payloads.
     */
    public static RingMessage decode(byte[] in, int length, List<Carriage> known) {
        if (in == null || length < HEADER_BYTES || length > in.length || length > MAX_MESSAGE_BYTES
                || in[0] != MAGIC || in[1] != VERSION) {
            return null;
        }
        int kind = in[2] & 0xFF;
        int sender = in[3] & 0xFF;
        if (sender >= RingConfig.MAX_NODES) {
            return null;
        }
        int p = HEADER_BYTES;
        return switch (kind) {
            case KIND_TOKEN -> decodeToken(in, length, sender, known);
            case KIND_ACK -> length != ACK_BYTES || (in[p + 16] & 0xFE) != 0 ? null
                    : new RingMessage.Ack(sender, getLong(in, p), getLong(in, p + 8), in[p + 16] == 0);
            case KIND_911, KIND_911_REPLY -> {
                if (length != NINE_ONE_ONE_BYTES || !isFlag(in[p + 20]) || !isFlag(in[p + 21])) {
                    yield null;
                }
                int round = getInt(in, p);
                long epoch = getLong(in, p + 4);
                long seq = getLong(in, p + 12);
                yield kind == KIND_911
                        ? new RingMessage.NineOneOne(sender, round, epoch, seq, in[p + 20] == 1, in[p + 21] == 1)
                        : new RingMessage.NineOneOneReply(sender, round, epoch, seq, in[p + 20] == 1, in[p + 21] == 1);
            }
            case KIND_PROBE -> length != PROBE_BYTES ? null
                    : new RingMessage.Probe(sender, getLong(in, p), getLong(in, p + 8), getShort(in, p + 16));
            case KIND_JOIN -> length != JOIN_BYTES ? null
                    : new RingMessage.Join(sender, getLong(in, p), getLong(in, p + 8));
            default -> null;
        };
    }

    private static RingMessage decodeToken(byte[] in, int length, int sender, List<Carriage> known) {
        if (length < TOKEN_FIXED_BYTES) {
            return null;
        }
        int p = HEADER_BYTES;
        long epoch = getLong(in, p);
        long seq = getLong(in, p + 8);
        int members = getShort(in, p + 16);
        int dest = in[p + 18] & 0xFF;
        int count = in[p + 19] & 0xFF;
        if (dest >= RingConfig.MAX_NODES || count > MAX_CARRIAGES || (members & ~NODE_MASK) != 0) {
            return null;
        }
        p = TOKEN_FIXED_BYTES;
        List<Carriage> train = new ArrayList<>(count);
        int trainBytes = 0;
        for (int i = 0; i < count; i++) {
            if (length - p < CARRIAGE_HEADER_BYTES) {
                return null;
            }
            int type = getShort(in, p);
            long version = getInt(in, p + 2) & 0xFFFF_FFFFL;
            int size = getShort(in, p + 6);
            p += CARRIAGE_HEADER_BYTES;
            trainBytes += size;
            if (size > Carriage.MAX_PAYLOAD_BYTES || trainBytes > MAX_TRAIN_BYTES || length - p < size) {
                return null;
            }
            train.add(carriage(in, p, size, type, version, known));
            p += size;
        }
        return p != length ? null : new RingMessage.Token(sender, epoch, seq, members, dest, train);
    }

    private static Carriage carriage(byte[] in, int from, int size, int type, long version, List<Carriage> known) {
        for (Carriage c : known) {
            if (c.type() == type && c.version() == version && c.payloadEquals(in, from, size)) {
                return c;
            }
        }
        return new Carriage(type, version, Arrays.copyOfRange(in, from, from + size));
    }

    private static boolean isFlag(byte b) {
        return b == 0 || b == 1;
    }

    private static int header(byte[] out, RingMessage m) {
        out[0] = MAGIC;
        out[1] = VERSION;
        out[2] = (byte) switch (m) {
            case RingMessage.Token t -> KIND_TOKEN;
            case RingMessage.Ack a -> KIND_ACK;
            case RingMessage.NineOneOne n -> KIND_911;
            case RingMessage.NineOneOneReply r -> KIND_911_REPLY;
            case RingMessage.Probe p -> KIND_PROBE;
            case RingMessage.Join j -> KIND_JOIN;
        };
        out[3] = (byte) m.sender();
        return HEADER_BYTES;
    }
}
