package io.ringwall.wire;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/**
 * Literal frames used across the wire tests. The ARP request is from Wireshark's arp sample
 * capture; the others were composed like real Linux traffic with checksums computed by an
 * independent (Python) implementation, not by the code under test.
 */
final class SampleFrames {
    /** Who has 24.166.173.159? Tell 24.166.172.1 (00:07:0d:af:f4:54), broadcast. */
    static final String ARP_REQUEST =
            "ffffffffffff00070daff4540806"
            + "0001080006040001" + "00070daff454" + "18a6ac01" + "000000000000" + "18a6ad9f";

    /** 192.168.1.10:51234 -> 93.184.216.34:443 SYN, Linux option layout: MSS 1460, SACK_PERM, TS, NOP, WS 7. */
    static final String TCP_SYN =
            "00163e5a7b013c22fb1a2b3c0800"
            + "4500003c1c464000400626e9c0a8010a5db8d822"
            + "c82201bb3b9aca0700000000a002faf0e2070000"
            + "020405b40402080a0009a3f10000000001030307";

    /** 10.0.0.5:53001 -> 8.8.8.8:53 DNS query for example.com A. */
    static final String UDP_DNS =
            "00163e5a7b013c22fb1a2b3c0800"
            + "450000394d2a40004011d3750a00000508080808"
            + "cf09003500259b15"
            + "abcd01000001000000000000076578616d706c6503636f6d0000010001";

    /** 10.0.0.5 -> 10.0.0.1 echo request id 0x1f2e seq 1, 48 data bytes (ping -s 48: timestamp then a counting pattern). */
    static final String ICMP_ECHO =
            "00163e5a7b013c22fb1a2b3c0800"
            + "4500004ca1b24000400184f90a0000050a000001"
            + "080023831f2e0001"
            + "6a1b8c5f00000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";

    /** 10.0.0.1 -> 10.0.0.5 time exceeded (TTL) quoting a traceroute UDP probe to 203.0.113.9:33435. */
    static final String ICMP_TIME_EXCEEDED =
            "3c22fb1a2b3c00163e5a7b010800"
            + "4500003800010000400166bf0a0000010a000005"
            + "0b00dd6d00000000"
            + "4500003c777700000111fc2b0a000005cb007109" + "829a829b00281234";

    static final String[] ALL = {ARP_REQUEST, TCP_SYN, UDP_DNS, ICMP_ECHO, ICMP_TIME_EXCEEDED};

    private SampleFrames() {}

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static MemorySegment segment(String hex) {
        return MemorySegment.ofArray(bytes(hex));
    }

    static int ip(String a) {
        return Ipv4Address.parse(a);
    }
}
