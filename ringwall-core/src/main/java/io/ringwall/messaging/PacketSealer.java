package io.ringwall.messaging;

import io.ringwall.wire.ByteArrays;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM sealing of cluster packets. PRK = HKDF-Extract(SALT, cluster secret); each
 * (sender, boot) gets its own traffic key HKDF-Expand(PRK, INFO | sender | bootId, 32), so a
 * nonce only has to be unique within one boot of one sender: nonce = low 4 bytes of the boot
 * id | 64-bit packet sequence, and the sequence never repeats within a boot.
 *
 * <p>One decrypting {@link Cipher} per sender: the JDK's AES expands the key schedule again whenever a
 * cipher is initialised with a key other than its last, and with one shared cipher the packets of two
 * peers alternate, so every packet paid for an expansion (about a tenth of an idle node's Java time).
 */
final class PacketSealer {
    static final byte[] SALT = "ringwall-cluster-salt-v1".getBytes(StandardCharsets.US_ASCII);
    static final byte[] INFO = "ringwall cluster messaging v1".getBytes(StandardCharsets.US_ASCII);
    static final int NONCE_LENGTH = 12;

    private final byte[] prk;
    private final Cipher encrypt;
    /** By sender id, made on the sender's first packet (at most {@link MessagingConfig#MAX_NODES}). */
    private final Cipher[] decryptBySender = new Cipher[MessagingConfig.MAX_NODES];
    private final byte[] nonce = new byte[NONCE_LENGTH];

    PacketSealer(byte[] clusterSecret) {
        this.prk = Hkdf.extract(SALT, clusterSecret);
        this.encrypt = newGcm();
    }

    private static Cipher newGcm() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks AES/GCM", e);
        }
    }

    SecretKeySpec trafficKey(int sender, long bootId) {
        byte[] info = new byte[INFO.length + 9];
        System.arraycopy(INFO, 0, info, 0, INFO.length);
        info[INFO.length] = (byte) sender;
        ByteArrays.putLong(info, INFO.length + 1, bootId);
        return new SecretKeySpec(Hkdf.expand(prk, info, 32), "AES");
    }

    /** Writes header + sealed body into {@code out}; returns the packet length. */
    int seal(SecretKeySpec key, int sender, int receiver, long bootId, long seq,
             byte[] body, int bodyLength, byte[] out) {
        PacketHeader.write(out, sender, receiver, bootId, seq);
        try {
            encrypt.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce(bootId, seq)));
            encrypt.updateAAD(out, 0, PacketHeader.LENGTH);
            return PacketHeader.LENGTH + encrypt.doFinal(body, 0, bodyLength, out, PacketHeader.LENGTH);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing failed (buffer too small?)", e);
        }
    }

    /**
     * Verifies and decrypts a packet of {@code sender} (0..{@link MessagingConfig#MAX_NODES}-1, checked by the
     * caller); returns the body length in {@code plain} or -1 if the tag does not verify.
     */
    int open(int sender, SecretKeySpec key, byte[] packet, int length, byte[] plain) {
        long bootId = PacketHeader.bootId(packet);
        long seq = PacketHeader.sequence(packet);
        Cipher decrypt = decryptBySender[sender];
        if (decrypt == null) {
            decrypt = newGcm();
            decryptBySender[sender] = decrypt;
        }
        try {
            decrypt.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, nonce(bootId, seq)));
            decrypt.updateAAD(packet, 0, PacketHeader.LENGTH);
            return decrypt.doFinal(packet, PacketHeader.LENGTH, length - PacketHeader.LENGTH, plain, 0);
        } catch (GeneralSecurityException e) {
            return -1;
        }
    }

    private byte[] nonce(long bootId, long seq) {
        ByteArrays.putInt(nonce, 0, (int) bootId);
        ByteArrays.putLong(nonce, 4, seq);
        return nonce;
    }
}
