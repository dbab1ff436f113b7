package io.ringwall.conntrack;

import static io.ringwall.conntrack.PacketFacts.TCP_ACK;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ZeroAllocationTest {
    @Test
    void trackingPacketsOfAnEstablishedFlowAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Conntrack ct = new Conntrack(ConntrackConfig.defaults().withCapacities(1024, 16));
        TcpTestFlow flow = new TcpTestFlow(ct);
        flow.handshake();
        int c = 1001;
        int s = 5001;
        for (int round = 0; round < 3; round++) { // the first rounds warm up (class init, interpreter)
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                flow.client(TCP_ACK, c, s, 65535, 100);
                c += 100;
                flow.server(TCP_ACK, s, c, 65535, 0);
                ct.expire(flow.nowNs, 8);
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (round == 2) {
                assertThat(allocated).isLessThan(1024); // 40k packets: nothing per packet
            }
        }
        assertThat(ct.active().packets(flow.slot(), true)).isEqualTo(2 + 60_000);
    }
}
