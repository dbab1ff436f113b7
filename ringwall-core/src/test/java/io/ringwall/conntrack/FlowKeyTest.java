package io.ringwall.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlowKeyTest {
    @Test
    void bothDirectionsMapToSameKeyAndHash() {
        FlowKey out = new FlowKey();
        FlowKey back = new FlowKey();
        out.setV4(6, 0xC0A8_0001, 51000, 0x0808_0808, 443);
        back.setV4(6, 0x0808_0808, 443, 0xC0A8_0001, 51000);
        assertThat(out.sameAs(back)).isTrue();
        assertThat(out.symmetricHash()).isEqualTo(back.symmetricHash()).isNotNegative();
        assertThat(out.swapped()).isNotEqualTo(back.swapped());
        assertThat(out.protocol()).isEqualTo(6);
    }

    @Test
    void endpointsWithSameAddressAreOrderedByPort() {
        FlowKey a = new FlowKey();
        FlowKey b = new FlowKey();
        a.setV4(17, 0x7F00_0001, 5000, 0x7F00_0001, 53);
        b.setV4(17, 0x7F00_0001, 53, 0x7F00_0001, 5000);
        assertThat(a.sameAs(b)).isTrue();
        assertThat(a.swapped()).isTrue();
        assertThat(b.swapped()).isFalse();
    }

    @Test
    void differentPortsOrProtocolsGiveDifferentKeys() {
        FlowKey a = new FlowKey();
        FlowKey b = new FlowKey();
        a.setV4(6, 1, 1000, 2, 80);
        b.setV4(6, 1, 1001, 2, 80);
        assertThat(a.sameAs(b)).isFalse();
        b.setV4(17, 1, 1000, 2, 80);
        assertThat(a.sameAs(b)).isFalse();
    }

    @Test
    void ipv6KeysAreSymmetricAndDistinctFromMappedIpv4() {
        FlowKey a = new FlowKey();
        FlowKey b = new FlowKey();
        a.setV6(6, 0x2001_0db8_0000_0000L, 1L, 1234, 0x2001_0db8_0000_0000L, 2L, 80);
        b.setV6(6, 0x2001_0db8_0000_0000L, 2L, 80, 0x2001_0db8_0000_0000L, 1L, 1234);
        assertThat(a.sameAs(b)).isTrue();
        assertThat(a.symmetricHash()).isEqualTo(b.symmetricHash());
        FlowKey v4 = new FlowKey();
        v4.setV4(6, 1, 1234, 2, 80);
        assertThat(v4.sameAs(a)).isFalse();
        assertThat(a.toString()).contains("2001:db8:0:0:0:0:0:1");
    }

    @Test
    void copyFromMakesAnEqualKeyAndToStringShowsDottedQuads() {
        FlowKey a = new FlowKey();
        a.setV4(6, 0x0A00_0002, 80, 0x0A00_0001, 40000);
        FlowKey c = new FlowKey();
        c.copyFrom(a);
        assertThat(c.sameAs(a)).isTrue();
        assertThat(c.swapped()).isEqualTo(a.swapped());
        assertThat(a.toString()).isEqualTo("tcp 10.0.0.1:40000 <-> 10.0.0.2:80 (swapped)");
    }

    @Test
    void hashSpreadsAcrossBuckets() {
        FlowKey k = new FlowKey();
        int[] perBucket = new int[1024];
        for (int i = 0; i < 102_400; i++) {
            k.setV4(6, 0x0A00_0000 + (i >>> 8), 1024 + (i & 0xFF), 0x0A01_0001, 443);
            perBucket[k.symmetricHash() % 1024]++;
        }
        for (int n : perBucket) {
            assertThat(n).isBetween(50, 160); // mean 100
        }
    }
}
