package io.ringwall.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ringwall.time.Prng;
import javax.crypto.spec.SecretKeySpec;

/**
 * Fuzz targets for {@link MessageLayer#onPacket}. Under plain {@code mvn test} Jazzer runs them in
 * regression mode (seed inputs only). The property: nothing escapes onPacket/onTick, and every
 * packet is either counted as dropped or accepted. The second target seals fuzzer-chosen bodies
 * with the real key so the parser behind the AEAD gets exercised too.
 */
class MessageLayerFuzzTest {
    private static final MessageListener SILENT = new MessageListener() {
        public void onMessage(int peer, int channel, byte[] message) {}
        public void onFailure(int peer, long messageId, byte[] message) {}
    };

    private final MessageLayer layer = new MessageLayer(SimulatedNetwork.config(1, 3, 2),
            (peer, path, p, l) -> {}, SILENT, new Prng(1));
    private final PacketSealer sealer = new PacketSealer(SimulatedNetwork.SECRET);
    private final SecretKeySpec key = sealer.trafficKey(0, 77);
    private long seq = 1;

    @FuzzTest(maxDuration = "10s")
    void rawBytes(FuzzedDataProvider in) {
        int path = in.consumeInt(-2, 9);
        int length = in.consumeInt(-4, 1400);
        byte[] data = in.consumeRemainingAsBytes();
        layer.onPacket(1_000, path, data, length);
        layer.onTick(2_000);
        MessagingCounters c = layer.counters();
        assertThat(c.droppedTotal()).isLessThanOrEqualTo(c.packetsReceived());
    }

    @FuzzTest(maxDuration = "10s")
    void authenticatedBodies(FuzzedDataProvider in) {
        long now = 1_000;
        int packets = in.consumeInt(1, 8);
        byte[] out = new byte[1200];
        for (int i = 0; i < packets && in.remainingBytes() > 0; i++) {
            byte[] body = in.consumeBytes(in.consumeInt(0, 1200 - PacketHeader.OVERHEAD));
            int n = sealer.seal(key, 0, 1, 77, seq++, body, body.length, out);
            layer.onPacket(now, in.consumeInt(0, 1), out, n);
            now += in.consumeLong(0, 3_000_000_000L);
            layer.onTick(now);
        }
        assertThat(layer.counters().dropped(DropReason.BAD_TAG)).isZero();
    }
}
