package io.ringwall.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressesTest {
    @Test
    void dottedQuadRoundTrips() {
        assertThat(Ipv4Address.parse("192.168.1.10")).isEqualTo(0xC0A8010A);
        assertThat(Ipv4Address.parse("255.255.255.255")).isEqualTo(-1);
        assertThat(Ipv4Address.parse("0.0.0.0")).isZero();
        assertThat(Ipv4Address.format(0xC0A8010A)).isEqualTo("192.168.1.10");
        assertThat(Ipv4Address.format(-1)).isEqualTo("255.255.255.255");
    }

    @Test
    void malformedAddressesAreRefusedWithAReason() {
        assertThatThrownBy(() -> Ipv4Address.parse("256.1.1.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'256.1.1.1'").hasMessageContaining("above 255");
        assertThatThrownBy(() -> Ipv4Address.parse("1.2.3")).hasMessageContaining("expected '.'");
        assertThatThrownBy(() -> Ipv4Address.parse("1.2.3.4.5")).hasMessageContaining("after the fourth octet");
        assertThatThrownBy(() -> Ipv4Address.parse("01.2.3.4")).hasMessageContaining("leading zero");
        assertThatThrownBy(() -> Ipv4Address.parse("1..3.4")).hasMessageContaining("digits");
        assertThatThrownBy(() -> Ipv4Address.parse("1.2.3.1234")).hasMessageContaining("digits");
        assertThatThrownBy(() -> Ipv4Address.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ipv4Address.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void masksAndSubnetMembership() {
        assertThat(Ipv4Address.mask(0)).isZero();
        assertThat(Ipv4Address.mask(24)).isEqualTo(Ipv4Address.parse("255.255.255.0"));
        assertThat(Ipv4Address.mask(32)).isEqualTo(-1);
        assertThat(Ipv4Address.inSubnet(Ipv4Address.parse("10.1.2.3"), Ipv4Address.parse("10.1.0.0"), 16)).isTrue();
        assertThat(Ipv4Address.inSubnet(Ipv4Address.parse("10.2.2.3"), Ipv4Address.parse("10.1.0.0"), 16)).isFalse();
        assertThat(Ipv4Address.inSubnet(Ipv4Address.parse("1.2.3.4"), 0, 0)).isTrue();
        assertThatThrownBy(() -> Ipv4Address.mask(33)).hasMessageContaining("0..32");
    }

    @Test
    void macAddressesRoundTrip() {
        assertThat(MacAddress.parse("02:00:5e:10:00:01")).isEqualTo(0x02005e100001L);
        assertThat(MacAddress.parse("FF-FF-FF-FF-FF-FF")).isEqualTo(EthernetFrame.BROADCAST);
        assertThat(MacAddress.format(0x02005e100001L)).isEqualTo("02:00:5e:10:00:01");
        assertThatThrownBy(() -> MacAddress.parse("02:00:5e:10:00")).hasMessageContaining("invalid MAC");
        assertThatThrownBy(() -> MacAddress.parse("02:00:5e:10:00:0g")).hasMessageContaining("hex digit");
    }
}
