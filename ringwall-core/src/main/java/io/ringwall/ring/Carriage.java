package io.ringwall.ring;

import java.util.Arrays;

/** One typed, versioned payload on the train (SPEC §4). Only the token holder creates new versions. */
public record Carriage(int type, long version, byte[] payload) {
    public static final int MAX_TYPE = 0xFFFF;
    public static final int MAX_PAYLOAD_BYTES = 4096;

    public Carriage {
        if (type < 0 || type > MAX_TYPE) {
            throw new IllegalArgumentException("carriage type must be 0..65535: " + type);
        }
        if (version < 0 || version > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("carriage version must fit 32 bits: " + version);
        }
        if (payload == null || payload.length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("carriage payload must be 0.." + MAX_PAYLOAD_BYTES + " bytes");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    /** Copies the payload into {@code out} at {@code offset} (an encoder's buffer), without a copy of its own. */
    public void copyPayloadTo(byte[] out, int offset) {
        System.arraycopy(payload, 0, out, offset, payload.length);
    }

    /** Whether the payload is exactly {@code in[from, from + size)}: a decoder can keep this carriage for a repeat. */
    boolean payloadEquals(byte[] in, int from, int size) {
        return Arrays.equals(payload, 0, payload.length, in, from, from + size);
    }

    /** Whether the payload is exactly {@code bytes}, without copying it (a reader can skip decoding a repeat). */
    public boolean payloadEquals(byte[] bytes) {
        return Arrays.equals(payload, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Carriage c && c.type == type && c.version == version && Arrays.equals(c.payload, payload);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type + Long.hashCode(version)) + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Carriage[type=" + type + ", version=" + version + ", bytes=" + payload.length + "]";
    }
}
