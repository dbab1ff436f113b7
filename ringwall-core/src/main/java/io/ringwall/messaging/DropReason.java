package io.ringwall.messaging;

/** Why an incoming packet (or one fragment of it) was dropped; each has its own counter. */
public enum DropReason {
    /** Shorter than header + tag, or length beyond the buffer. */
    TRUNCATED,
    /** Longer than the configured maximum packet size. */
    OVERSIZE,
    /** Header version byte is not {@link PacketHeader#VERSION}. */
    BAD_VERSION,
    /** Sender id is not a configured peer (or is ourselves). */
    UNKNOWN_SENDER,
    /** Receiver id in the header is not this node. */
    WRONG_RECEIVER,
    /** Sender boot id older than the one we already accepted from that sender. */
    STALE_BOOT,
    /** Sequence already seen or older than the replay window (includes multipath copies). */
    REPLAYED,
    /** AEAD tag did not verify: wrong key, tampering or garbage. */
    BAD_TAG,
    /** Authenticated but the body makes no sense (unknown kind, absurd fragment count/size, reserved bits). */
    MALFORMED,
    /** Reassembly limits (partial messages or bytes per peer, ordered hold) reached; not acked so it is resent later. */
    REASSEMBLY_FULL,
    /** Ordered message arriving after its gap was skipped by the receiver's gap timeout. */
    ORDERED_LATE
}
