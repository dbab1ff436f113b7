package io.ringwall.ring;

import static org.assertj.core.api.Assertions.assertThat;

import io.ringwall.time.Prng;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingCodecTest {
    private final byte[] buffer = new byte[RingCodec.MAX_MESSAGE_BYTES];

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    @Test
    void tokenEncodesToTheDocumentedBytes() {
        RingMessage.Token token = new RingMessage.Token(2, 0x0102030405060718L, 0x1122L, 0b10110, 4,
                List.of(new Carriage(7, 3, bytes(0xAA, 0xBB))));
        int length = RingCodec.encode(token, buffer);
        assertThat(Arrays.copyOf(buffer, length)).containsExactly(bytes(
                0x52, 0x01, 0x01, 0x02,                         // magic, version, kind TOKEN, sender 2
                0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x18, // epoch
                0, 0, 0, 0, 0, 0, 0x11, 0x22,                   // sequence
                0x00, 0x16,                                     // members {1, 2, 4}
                0x04,                                           // destination
                0x01,                                           // one carriage
                0x00, 0x07, 0, 0, 0, 0x03, 0x00, 0x02,          // type 7, version 3, 2 bytes
                0xAA, 0xBB));
        assertThat(RingCodec.decode(buffer, length)).isEqualTo(token);
    }

    @Test
    void ackAndNineOneOneEncodeToTheDocumentedBytes() {
        int length = RingCodec.encode(new RingMessage.Ack(3, 0x20, 9, false), buffer);
        assertThat(Arrays.copyOf(buffer, length)).containsExactly(bytes(
                0x52, 0x01, 0x02, 0x03, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0x09, 0x01));
        length = RingCodec.encode(new RingMessage.NineOneOne(1, 0x0A0B0C0D, 0x31, 0x40, true, false), buffer);
        assertThat(Arrays.copyOf(buffer, length)).containsExactly(bytes(
                0x52, 0x01, 0x03, 0x01, 0x0A, 0x0B, 0x0C, 0x0D,
                0, 0, 0, 0, 0, 0, 0, 0x31, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x01, 0x00));
    }

    @Test
    void everyMessageKindRoundTrips() {
        List<RingMessage> messages = List.of(
                new RingMessage.Token(15, Long.MAX_VALUE, -1L, 0xFFFF, 0, List.of()),
                new RingMessage.Ack(0, 1, 2, true),
                new RingMessage.NineOneOne(5, -7, 3, 4, false, true),
                new RingMessage.NineOneOneReply(6, 42, 3, 4, true, false),
                new RingMessage.Probe(7, 99, 100, 0x00F0),
                new RingMessage.Join(8, 17, 18));
        for (RingMessage m : messages) {
            assertThat(RingCodec.decode(buffer, RingCodec.encode(m, buffer))).isEqualTo(m);
        }
    }

    /** An idle ring sends the same train at every hop: a repeated carriage is the known instance, a changed one new. */
    @Test
    void aRepeatedCarriageDecodesToTheKnownInstance() {
        Carriage same = new Carriage(1, 4, bytes(1, 2, 3));
        Carriage known = new Carriage(2, 7, bytes(9, 9));
        List<Carriage> last = List.of(same, known);
        Carriage changedBytes = new Carriage(2, 7, bytes(9, 8));
        Carriage newVersion = new Carriage(1, 5, bytes(1, 2, 3));
        int length = RingCodec.encode(new RingMessage.Token(1, 16, 5, 3, 0, List.of(same, changedBytes)), buffer);
        var train = ((RingMessage.Token) RingCodec.decode(buffer, length, last)).train();
        assertThat(train.get(0)).isSameAs(same);
        assertThat(train.get(1)).isNotSameAs(known).isEqualTo(changedBytes);
        length = RingCodec.encode(new RingMessage.Token(1, 16, 6, 3, 0, List.of(newVersion)), buffer);
        assertThat(((RingMessage.Token) RingCodec.decode(buffer, length, last)).train().getFirst())
                .isNotSameAs(same).isEqualTo(newVersion);
    }

    @Test
    void truncatedOrExtendedMessagesDecodeToNull() {
        RingMessage.Token token = new RingMessage.Token(1, 16, 5, 3, 0, List.of(new Carriage(1, 1, new byte[10])));
        int length = RingCodec.encode(token, buffer);
        for (int cut = 0; cut < length; cut++) {
            assertThat(RingCodec.decode(buffer, cut)).as("cut at %d", cut).isNull();
        }
        assertThat(RingCodec.decode(buffer, length + 1)).isNull();
        assertThat(RingCodec.decode(null, 0)).isNull();
        assertThat(RingCodec.decode(new byte[4], 9)).isNull();
    }

    @Test
    void badHeaderFlagsAndBoundsDecodeToNull() {
        int length = RingCodec.encode(new RingMessage.Ack(3, 1, 1, true), buffer);
        buffer[length - 1] = 2; // status must be 0 or 1
        assertThat(RingCodec.decode(buffer, length)).isNull();
        length = RingCodec.encode(new RingMessage.Join(3, 1, 1), buffer);
        buffer[0] = 0x53;
        assertThat(RingCodec.decode(buffer, length)).isNull();
        buffer[0] = RingCodec.MAGIC;
        buffer[3] = 16; // sender outside the node map
        assertThat(RingCodec.decode(buffer, length)).isNull();
        buffer[3] = 3;
        buffer[2] = 9; // unknown kind
        assertThat(RingCodec.decode(buffer, length)).isNull();
        length = RingCodec.encode(new RingMessage.Token(1, 16, 5, 3, 0, List.of()), buffer);
        buffer[RingCodec.TOKEN_FIXED_BYTES - 1] = (byte) (RingCodec.MAX_CARRIAGES + 1);
        assertThat(RingCodec.decode(buffer, length)).isNull();
    }

    @Test
    void randomBytesNeverThrow() {
        Prng prng = new Prng(11);
        byte[] junk = new byte[300];
        int decoded = 0;
        for (int i = 0; i < 50_000; i++) {
            int length = prng.nextInt(junk.length);
            for (int j = 0; j < length; j++) {
                junk[j] = (byte) prng.nextInt(256);
            }
            if (prng.chance(0.5) && length >= 4) { // plausible header so the body parsers get exercised
                junk[0] = RingCodec.MAGIC;
                junk[1] = RingCodec.VERSION;
                junk[2] = (byte) (1 + prng.nextInt(6));
                junk[3] = (byte) prng.nextInt(16);
            }
            if (RingCodec.decode(junk, length) != null) {
                decoded++;
            }
        }
        assertThat(decoded).isLessThan(50_000);
    }
}
