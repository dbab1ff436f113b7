package io.ringwall.node;

/**
 * Offload state of a frame, as the Linux driver learns it from {@code virtio_net_hdr}
 * ({@code PACKET_VNET_HDR}). The node passes the flags of a forwarded frame back unchanged,
 * so the driver can hand it to the kernel as GSO / checksum-offload again.
 */
public final class Offload {
    /** The L4 checksum is not computed yet (CHECKSUM_PARTIAL): do not verify it, do not trust it. */
    public static final int CSUM_PARTIAL = 1;
    /** The frame is a GSO super-frame (larger than the MTU), to be segmented on transmit. */
    public static final int GSO = 2;
    /** The kernel or NIC already verified the L4 checksum (VIRTIO_NET_HDR_F_DATA_VALID): no need to verify again. */
    public static final int CSUM_VALID = 4;

    private Offload() {
    }
}
