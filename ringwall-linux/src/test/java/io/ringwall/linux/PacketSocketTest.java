package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real AF_PACKET sockets on a veth pair that the test creates (root only). */
class PacketSocketTest {
    private static final int TEST_ETHERTYPE = 0x88b5; // IEEE local experimental
    private static final int EMSGSIZE = 90;
    private static final long RECEIVE_WAIT_NS = 2_000_000_000L;
    private static final long SILENCE_WAIT_NS = 300_000_000L;
    private static final String MAC_A = "02:00:00:77:01:01";
    private static final String MAC_B = "02:00:00:77:01:02";
    private static String vethA;
    private static String vethB;

    @BeforeAll
    static void createVethPair() {
        HostNetwork.assumeRootWithIp();
        String suffix = HostNetwork.uniqueSuffix();
        vethA = "rwtpa" + suffix;
        vethB = "rwtpb" + suffix;
        HostNetwork.ok("ip", "link", "add", vethA, "address", MAC_A, "mtu", "1400", "type", "veth",
                "peer", "name", vethB, "address", MAC_B);
        HostNetwork.ok("ip", "link", "set", vethA, "up");
        HostNetwork.ok("ip", "link", "set", vethB, "up");
    }

    @AfterAll
    static void deleteVethPair() {
        if (vethA != null) {
            HostNetwork.quietly("ip", "link", "del", vethA);
        }
    }

    private static byte[] literalFrame() {
        byte[] frame = new byte[60];
        byte[] header = {
            0x02, 0x00, 0x00, 0x77, 0x01, 0x02, // destination: B
            0x02, 0x00, 0x00, 0x77, 0x01, 0x01, // source: A
            (byte) 0x88, (byte) 0xb5,           // test ethertype
            'r', 'i', 'n', 'g', 'w', 'a', 'l', 'l', '-', 't', 'e', 's', 't'};
        System.arraycopy(header, 0, frame, 0, header.length);
        for (int i = header.length; i < frame.length; i++) {
            frame[i] = (byte) i;
        }
        return frame;
    }

    /** Receives until a test-ethertype frame arrives (other traffic such as IPv6 MLD is skipped); -1 on timeout. */
    private static int receiveTestFrame(PacketSocket socket, MemorySegment buffer, long waitNs) throws InterruptedException {
        long deadline = System.nanoTime() + waitNs;
        while (System.nanoTime() - deadline < 0) {
            int length = socket.receive(buffer);
            if (length == 0) {
                Thread.sleep(2);
            } else if (length >= 14 && (Short.toUnsignedInt(buffer.get(
                    ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 12)) == TEST_ETHERTYPE)) {
                return length;
            }
        }
        return -1;
    }

    @Test
    void literalFrameSentOnOneEndArrivesIntactWithoutOffloadAtTheOther() throws Exception {
        try (PacketSocket sender = PacketSocket.open(vethA); PacketSocket receiver = PacketSocket.open(vethB);
                Arena arena = Arena.ofConfined()) {
            byte[] frame = literalFrame();
            MemorySegment out = arena.allocate(frame.length);
            MemorySegment.copy(frame, 0, out, ValueLayout.JAVA_BYTE, 0, frame.length);
            MemorySegment in = arena.allocate(PacketSocket.MAX_FRAME_BYTES);

            assertThat(sender.send(out, frame.length, 0, null)).isTrue();
            int length = receiveTestFrame(receiver, in, RECEIVE_WAIT_NS);

            assertThat(length).isEqualTo(frame.length);
            assertThat(in.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE)).isEqualTo(frame);
            assertThat(receiver.lastHeader().offloadFlags()).isZero();
            assertThat(receiver.lastHeader().gsoType()).isEqualTo(VnetHeader.GSO_NONE);
        }
    }

    /** The kernel's receive time comes with every frame, so the loop can tell how long a frame waited to be read. */
    @Test
    void aReceivedFrameCarriesTheKernelsReceiveTime() throws Exception {
        try (PacketSocket sender = PacketSocket.open(vethA); PacketSocket receiver = PacketSocket.open(vethB)) {
            // The first socket that asks turns the kernel's receive timestamps on with deferred work; until then a
            // frame is stamped when it is read (net_enable_timestamp). A node's sockets are open seconds before.
            Thread.sleep(100);
            byte[] frame = literalFrame();
            long before = LinuxDriver.realtimeNs();
            assertThat(sender.send(MemorySegment.ofArray(frame), frame.length, 0, null)).isTrue();
            Thread.sleep(20); // the frame waits in the socket
            int length = receiveTestFrame(receiver, MemorySegment.ofArray(new byte[PacketSocket.MAX_FRAME_BYTES]),
                    RECEIVE_WAIT_NS);
            long read = LinuxDriver.realtimeNs();

            assertThat(length).isEqualTo(frame.length);
            long received = receiver.lastKernelReceiveRealtimeNs();
            assertThat(received).isBetween(before - 1_000_000L, read);
            assertThat(read - received).as("waited in the socket").isGreaterThanOrEqualTo(15_000_000L);
        }
    }

    /** struct cmsghdr (len 32, SOL_SOCKET, SCM_TIMESTAMPNS) and struct timespec, as recvmsg writes them (x86_64). */
    @Test
    void theTimestampControlMessageIsReadFromItsLiteralBytes() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment c = arena.allocate(PacketSocket.RX_CONTROL_BYTES, 8);
            byte[] bytes = {
                32, 0, 0, 0, 0, 0, 0, 0,                 // cmsg_len 32
                1, 0, 0, 0,                              // cmsg_level SOL_SOCKET
                35, 0, 0, 0,                             // cmsg_type SCM_TIMESTAMPNS
                (byte) 0x80, (byte) 0xd4, 0x03, 0x6b, 0, 0, 0, 0, // tv_sec 1795413120
                0x15, (byte) 0xcd, 0x5b, 0x07, 0, 0, 0, 0};        // tv_nsec 123456789
            MemorySegment.copy(bytes, 0, c, ValueLayout.JAVA_BYTE, 0, bytes.length);

            assertThat(PacketSocket.receiveTimestampNs(c, 32)).isEqualTo(1_795_413_120_123_456_789L);
            assertThat(PacketSocket.receiveTimestampNs(c, 16)).as("no room for the time").isZero();
            assertThat(PacketSocket.receiveTimestampNs(c, 0)).as("no control message").isZero();
            c.set(ValueLayout.JAVA_INT, 12, 29); // another message type first (SCM_TIMESTAMP in microseconds)
            assertThat(PacketSocket.receiveTimestampNs(c, 32)).isZero();
        }
    }

    @Test
    void heapSegmentsAreCopiedThroughNativeStaging() throws Exception {
        try (PacketSocket sender = PacketSocket.open(vethA); PacketSocket receiver = PacketSocket.open(vethB)) {
            byte[] frame = literalFrame();
            byte[] received = new byte[PacketSocket.MAX_FRAME_BYTES];
            assertThat(sender.send(MemorySegment.ofArray(frame), frame.length, 0, null)).isTrue();

            int length = receiveTestFrame(receiver, MemorySegment.ofArray(received), RECEIVE_WAIT_NS);

            assertThat(length).isEqualTo(frame.length);
            assertThat(Arrays.copyOf(received, length)).isEqualTo(frame);
        }
    }

    @Test
    void framesTheKernelDroppedForWantOfBufferAreCounted() throws Exception {
        try (PacketSocket sender = PacketSocket.open(vethA); PacketSocket receiver = PacketSocket.open(vethB)) {
            assertThat(receiver.kernelDrops()).isZero();
            byte[] frame = literalFrame();
            // 8 MiB asked for (the kernel doubles it): each small frame is charged its whole buffer (truesize, about
            // 1 KiB), so 100,000 unread frames overflow it; bounded in count, and the veth pair is this test's own
            int sent = 0;
            for (int i = 0; i < 100_000; i++) {
                sent += sender.send(MemorySegment.ofArray(frame), frame.length, 0, null) ? 1 : 0;
            }
            assertThat(sent).isPositive();
            assertThat(receiver.kernelDrops()).as("dropped before being read").isPositive();
            long seen = receiver.kernelDrops();
            assertThat(receiver.kernelDrops()).as("a running total, though the kernel resets its count").isEqualTo(seen);
        }
    }

    @Test
    void ownTransmissionsAreNotReceived() throws Exception {
        try (PacketSocket socket = PacketSocket.open(vethA); Arena arena = Arena.ofConfined()) {
            byte[] frame = literalFrame();
            MemorySegment in = arena.allocate(PacketSocket.MAX_FRAME_BYTES);
            assertThat(socket.send(MemorySegment.ofArray(frame), frame.length, 0, null)).isTrue();

            assertThat(receiveTestFrame(socket, in, SILENCE_WAIT_NS)).isEqualTo(-1);
        }
    }

    @Test
    void frameLongerThanTheMtuWithoutGsoIsRefusedNotSent() {
        try (PacketSocket socket = PacketSocket.open(vethA)) {
            byte[] frame = new byte[3000];
            System.arraycopy(literalFrame(), 0, frame, 0, 14);

            assertThat(socket.send(MemorySegment.ofArray(frame), frame.length, 0, null)).isFalse();
            assertThat(socket.lastSendErrno()).isEqualTo(EMSGSIZE);
        }
    }

    @Test
    void openingAMissingDeviceNamesIt() {
        assertThatThrownBy(() -> PacketSocket.open("rwtnosuch0"))
                .isInstanceOf(NoSuchDeviceException.class)
                .hasMessage("no such network device: rwtnosuch0");
    }
}
