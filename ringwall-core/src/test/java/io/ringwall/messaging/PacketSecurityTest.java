package io.ringwall.messaging;

import static io.ringwall.messaging.SimulatedNetwork.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketSecurityTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void hkdfMatchesRfc5869TestCase1() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        byte[] prk = Hkdf.extract(salt, ikm);
        assertThat(HEX.formatHex(prk)).isEqualTo("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        assertThat(HEX.formatHex(Hkdf.expand(prk, info, 42))).isEqualTo(
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void hkdfMatchesRfc5869TestCase3WithEmptySaltAndInfo() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] prk = Hkdf.extract(new byte[0], ikm);
        assertThat(HEX.formatHex(Hkdf.expand(prk, new byte[0], 42))).isEqualTo(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    @Test
    void headerLayoutIsVersionSenderReceiverReservedBootSequence() {
        byte[] b = new byte[PacketHeader.LENGTH];
        PacketHeader.write(b, 3, 12, 0x0102030405060708L, 0x1112131415161718L);
        assertThat(b).containsExactly(
                0x01, 0x03, 0x0C, 0x00,
                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
                0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18);
    }

    @Test
    void sealedPacketCarriesCleartextHeaderAndSixteenByteTag() {
        SimulatedNetwork net = new SimulatedNetwork(1, 2, 1, c -> c.withBootEpoch(0x0A0B0C0DL));
        net.nodes[0].sendDatagram(1, 0, 0, new byte[] {42}, 0, 1);
        byte[] p = net.sent.get(0).packet();
        assertThat(p).hasSize(PacketHeader.LENGTH + PacketBody.DATAGRAM_HEADER + 1 + PacketHeader.TAG_LENGTH);
        assertThat(java.util.Arrays.copyOf(p, 8)).containsExactly(1, 0, 1, 0, 0x0A, 0x0B, 0x0C, 0x0D);
        assertThat(PacketHeader.sequence(p)).isEqualTo(1);
        assertThat(PacketHeader.bootId(p)).isEqualTo(net.nodes[0].bootId());
        assertThat(p[PacketHeader.LENGTH + 4]).as("payload is encrypted").isNotEqualTo((byte) 42);
    }

    @Test
    void packetSealedWithOtherKeyIsDroppedAndCounted() {
        SimulatedNetwork net = new SimulatedNetwork(2, 2, 1, c -> c);
        MessageLayer foreign = new MessageLayer(
                MessagingConfig.defaults(0, "another-cluster-secret-entirely".getBytes(), new int[] {1, 1}),
                (peer, path, p, l) -> net.nodes[1].onPacket(net.nowNs, path, p, l), silent(), new Prng(9));
        foreign.send(net.nowNs, 1, 0, false, new byte[] {1, 2, 3});
        foreign.sendDatagram(1, 0, 0, new byte[] {4}, 0, 1);
        assertThat(net.nodes[1].counters().dropped(DropReason.BAD_TAG)).isEqualTo(2);
        assertThat(net.received.get(1)).isEmpty();
        // after the forgeries the real sender is still accepted
        net.nodes[0].send(net.nowNs, 1, 0, false, new byte[] {5});
        net.runFor(10 * MS);
        assertThat(net.received.get(1)).hasSize(1);
    }

    @Test
    void flippedCiphertextOrHeaderBitFailsTheTag() {
        SimulatedNetwork net = new SimulatedNetwork(3, 2, 1, c -> c);
        net.nodes[0].sendDatagram(1, 0, 0, new byte[] {1, 2, 3, 4}, 0, 4);
        byte[] p = net.sent.get(0).packet();
        for (int i : new int[] {5, 13, PacketHeader.LENGTH + 1, p.length - 1}) {
            byte[] t = p.clone();
            t[i] ^= 1;
            net.nodes[1].onPacket(net.nowNs, 0, t, t.length);
        }
        assertThat(net.nodes[1].counters().dropped(DropReason.BAD_TAG)).isEqualTo(4);
    }

    @Test
    void replayedPacketIsDropped() {
        SimulatedNetwork net = new SimulatedNetwork(4, 2, 1, c -> c);
        net.nodes[0].send(net.nowNs, 1, 0, false, new byte[] {7});
        net.runFor(10 * MS);
        assertThat(net.received.get(1)).hasSize(1);
        byte[] data = net.sent.stream().filter(s -> s.from() == 0).findFirst().orElseThrow().packet();
        net.nodes[1].onPacket(net.nowNs, 0, data, data.length);
        net.nodes[1].onPacket(net.nowNs, 0, data, data.length);
        assertThat(net.nodes[1].counters().dropped(DropReason.REPLAYED)).isEqualTo(2);
        net.runFor(10 * MS);
        assertThat(net.received.get(1)).hasSize(1);
    }

    @Test
    void packetForAnotherReceiverOrFromUnknownSenderIsDropped() {
        SimulatedNetwork net = new SimulatedNetwork(5, 3, 1, c -> c);
        net.nodes[0].sendDatagram(2, 0, 0, new byte[] {1}, 0, 1);
        byte[] toTwo = net.sent.get(0).packet();
        net.nodes[1].onPacket(net.nowNs, 0, toTwo, toTwo.length);
        byte[] fromNine = toTwo.clone();
        fromNine[PacketHeader.OFF_SENDER] = 9;
        net.nodes[1].onPacket(net.nowNs, 0, fromNine, fromNine.length);
        assertThat(net.nodes[1].counters().dropped(DropReason.WRONG_RECEIVER)).isEqualTo(1);
        assertThat(net.nodes[1].counters().dropped(DropReason.UNKNOWN_SENDER)).isEqualTo(1);
    }

    @Test
    void restartedSenderWithNewBootIsAccepted() {
        SimulatedNetwork net = new SimulatedNetwork(6, 2, 1, c -> c.withBootEpoch(1));
        net.nodes[0].send(net.nowNs, 1, 0, true, new byte[] {1});
        net.runFor(10 * MS);
        byte[] oldBootPacket = net.sent.get(0).packet();
        // node 0 restarts: sequence starts at 1 again under a newer boot id
        net.create(0, 1, SimulatedNetwork.config(0, 2, 1).withBootEpoch(2));
        net.nodes[0].send(net.nowNs, 1, 0, true, new byte[] {2});
        net.runFor(10 * MS);
        assertThat(net.received.get(1)).extracting(r -> r.message()[0]).containsExactly((byte) 1, (byte) 2);
        net.nodes[1].onPacket(net.nowNs, 0, oldBootPacket, oldBootPacket.length);
        assertThat(net.nodes[1].counters().dropped(DropReason.STALE_BOOT)).isEqualTo(1);
        assertThat(net.received.get(1)).hasSize(2);
    }

    @Test
    void senderResendsWholeMessageWhenReceiverRestartsMidway() {
        SimulatedNetwork net = new SimulatedNetwork(7, 2, 1, c -> c.withBootEpoch(1).withRetransmission(5 * MS, 50 * MS, 50));
        net.nodes[1].send(net.nowNs, 0, 0, false, new byte[] {0}); // node 0 learns node 1's first boot
        net.runFor(10 * MS);
        byte[] big = new byte[2_000_000];
        for (int i = 0; i < big.length; i++) big[i] = (byte) (i * 31);
        net.nodes[0].send(net.nowNs, 1, 0, false, big);
        net.runFor(2 * MS); // part of it is acked by the old incarnation, then node 1 restarts
        assertThat(net.received.get(1)).isEmpty();
        assertThat(net.nodes[1].counters().packetsReceived()).isGreaterThan(100);
        net.create(1, 1, SimulatedNetwork.config(1, 2, 1).withBootEpoch(2).withRetransmission(5 * MS, 50 * MS, 50));
        net.nodes[1].send(net.nowNs, 0, 0, false, new byte[] {1}); // announces the new boot
        net.runFor(2_000 * MS);
        List<SimulatedNetwork.Received> got = net.received.get(1);
        assertThat(got).singleElement().satisfies(r -> assertThat(r.message()).isEqualTo(big));
    }

    @Test
    void truncatedAndGarbagePacketsNeverThrow() {
        SimulatedNetwork net = new SimulatedNetwork(8, 2, 2, c -> c);
        net.nodes[0].send(net.nowNs, 1, 0, true, new byte[3000]);
        net.nodes[0].sendDatagram(1, 0, 0, new byte[] {1, 2}, 0, 2);
        MessageLayer rx = net.nodes[1];
        for (SimulatedNetwork.Sent s : List.copyOf(net.sent)) {
            for (int len = 0; len <= s.packet().length; len++) {
                rx.onPacket(net.nowNs, 0, s.packet(), len);
            }
            rx.onPacket(net.nowNs, 0, s.packet(), s.packet().length + 1); // length beyond buffer
            rx.onPacket(net.nowNs, 5, s.packet(), -1);
        }
        rx.onPacket(net.nowNs, 0, null, 0);
        Prng prng = new Prng(1234);
        for (int i = 0; i < 20_000; i++) {
            byte[] g = new byte[prng.nextInt(1300)];
            for (int k = 0; k < g.length; k++) g[k] = (byte) prng.nextLong();
            if (prng.chance(0.5) && g.length > 3) { g[0] = 1; g[1] = 0; g[2] = 1; g[3] = 0; }
            rx.onPacket(net.nowNs, prng.nextInt(4) - 1, g, g.length);
        }
        assertThat(rx.counters().dropped(DropReason.TRUNCATED)).isPositive();
        assertThat(rx.counters().dropped(DropReason.BAD_TAG)).isPositive();
        assertThat(rx.counters().droppedTotal()).isGreaterThan(20_000);
        // the full-length originals were accepted exactly once each (3 data fragments + 1 datagram)
        assertThat(rx.counters().messagesDelivered()).isEqualTo(1);
        assertThat(rx.counters().datagramsDelivered()).isEqualTo(1);
    }

    private static MessageListener silent() {
        return new MessageListener() {
            public void onMessage(int peer, int channel, byte[] message) {}
            public void onFailure(int peer, long messageId, byte[] message) {}
        };
    }
}
