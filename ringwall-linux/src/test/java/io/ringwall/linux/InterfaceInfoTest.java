package io.ringwall.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InterfaceInfoTest {

    @Test
    void lookupReportsTheVethMacMtuIndexAndAdminState() {
        HostNetwork.assumeRootWithIp();
        String suffix = HostNetwork.uniqueSuffix();
        String veth = "rwtia" + suffix;
        try {
            HostNetwork.ok("ip", "link", "add", veth, "address", "02:00:00:77:02:0a", "mtu", "1234", "type", "veth",
                    "peer", "name", "rwtib" + suffix);
            InterfaceInfo down = InterfaceInfo.lookup(veth);
            HostNetwork.ok("ip", "link", "set", veth, "up");
            InterfaceInfo up = InterfaceInfo.lookup(veth);

            String index = HostNetwork.ok("cat", "/sys/class/net/" + veth + "/ifindex").trim();
            assertThat(down.mac()).isEqualTo(0x02_00_00_77_02_0aL);
            assertThat(down.macText()).isEqualTo("02:00:00:77:02:0a");
            assertThat(down.mtu()).isEqualTo(1234);
            assertThat(down.ifIndex()).isEqualTo(Integer.parseInt(index));
            assertThat(down.up()).isFalse();
            assertThat(up.up()).isTrue();
            assertThat(up.device()).isEqualTo(veth);
        } finally {
            HostNetwork.quietly("ip", "link", "del", veth);
        }
    }

    @Test
    void missingDeviceIsAClearError() {
        assertThatThrownBy(() -> InterfaceInfo.lookup("eth9"))
                .isInstanceOf(NoSuchDeviceException.class)
                .hasMessage("no such network device: eth9");
    }

    @Test
    void overlongDeviceNameIsNoSuchDevice() {
        assertThatThrownBy(() -> InterfaceInfo.lookup("a-name-longer-than-ifnamsiz"))
                .isInstanceOf(NoSuchDeviceException.class);
    }
}
