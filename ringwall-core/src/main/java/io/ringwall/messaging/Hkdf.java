package io.ringwall.messaging;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HKDF-SHA256 (RFC 5869) on javax.crypto.Mac; only used when keys are (re)derived, never per packet. */
public final class Hkdf {
    private static final String HMAC = "HmacSHA256";
    private static final int HASH_LEN = 32;
    /** RFC 5869 §2.3: L ≤ 255·HashLen. */
    public static final int MAX_OUTPUT = 255 * HASH_LEN;

    private Hkdf() {}

    /** HKDF-Extract: PRK = HMAC-Hash(salt, IKM); an empty salt means HashLen zero bytes. */
    public static byte[] extract(byte[] salt, byte[] ikm) {
        byte[] s = salt == null || salt.length == 0 ? new byte[HASH_LEN] : salt;
        Mac mac = mac(s);
        return mac.doFinal(ikm);
    }

    /** HKDF-Expand: T(1) | T(2) | ... truncated to {@code length} bytes. */
    public static byte[] expand(byte[] prk, byte[] info, int length) {
        if (length < 0 || length > MAX_OUTPUT) {
            throw new IllegalArgumentException("HKDF output length out of range: " + length);
        }
        Mac mac = mac(prk);
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int counter = 1; done < length; counter++) {
            mac.update(t);
            mac.update(info);
            mac.update((byte) counter);
            t = mac.doFinal();
            int n = Math.min(HASH_LEN, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        return out;
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks HmacSHA256", e);
        }
    }
}
