package io.ringwall.app.mgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
    @Test
    void hostAndPortAreSplitAtTheLastColon() {
        assertThat(HostPort.parse("10.0.0.1:7480")).isEqualTo(new HostPort("10.0.0.1", 7480));
        assertThat(HostPort.parse("gw2.lab:80").toString()).isEqualTo("gw2.lab:80");
    }

    @Test
    void missingOrOutOfRangePortIsExplained() {
        assertThatThrownBy(() -> HostPort.parse("10.0.0.1")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("10.0.0.1:")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("10.0.0.1:0")).hasMessageContaining("from 1 to 65535");
        assertThatThrownBy(() -> HostPort.parse("10.0.0.1:65536")).hasMessageContaining("from 1 to 65535");
        assertThatThrownBy(() -> HostPort.parse(":80")).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> HostPort.parse("a b:80")).hasMessageContaining("not a host name");
    }
}
