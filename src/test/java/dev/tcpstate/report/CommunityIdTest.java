package dev.tcpstate.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The Community ID against the specification's published TCP vectors (corelight/community-id-spec,
 * baseline/baseline_deflt.json and baseline_seed1.json; the first and the 1.2.3.4 ones are also in
 * Zeek's community_id tests), each in both directions.
 */
class CommunityIdTest {
    private static String id(int seed, String a, int aPort, String b, int bPort) throws Exception {
        long[] x = address(a);
        long[] y = address(b);
        return new CommunityId(seed).tcp(x[0], x[1], aPort, y[0], y[1], bPort);
    }

    /** tcpstate's 128-bit form: IPv4 as IPv4-mapped. */
    private static long[] address(String text) throws Exception {
        byte[] raw = InetAddress.getByName(text).getAddress();
        if (raw.length == 4) {
            return new long[] {0, 0x0000_FFFF_0000_0000L | Integer.toUnsignedLong(ByteBuffer.wrap(raw).getInt())};
        }
        ByteBuffer buffer = ByteBuffer.wrap(raw);
        return new long[] {buffer.getLong(), buffer.getLong()};
    }

    private static void both(int seed, String a, int aPort, String b, int bPort, String expected) throws Exception {
        assertThat(id(seed, a, aPort, b, bPort)).isEqualTo(expected);
        assertThat(id(seed, b, bPort, a, aPort)).as("the other direction").isEqualTo(expected);
    }

    @Test
    void tcpOverIpv4() throws Exception {
        both(0, "128.232.110.120", 34855, "66.35.250.204", 80, "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        both(1, "128.232.110.120", 34855, "66.35.250.204", 80, "1:3V71V58M3Ksw/yuFALMcW0LAHvc=");
        both(0, "1.2.3.4", 1122, "5.6.7.8", 3344, "1:wCb3OG7yAFWelaUydu0D+125CLM=");
        both(1, "1.2.3.4", 1122, "5.6.7.8", 3344, "1:HhA1B+6CoLbiKPEs5nhNYN4XWfk=");
    }

    @Test
    void tcpOverIpv6() throws Exception {
        both(0, "2001:470:e5bf:dead:4957:2174:e82c:4887", 63943, "2607:f8b0:400c:c03::1a", 25,
                "1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=");
        both(1, "2001:470:e5bf:dead:4957:2174:e82c:4887", 63943, "2607:f8b0:400c:c03::1a", 25,
                "1:eJYTW6AOzFLlSUoESovMjnu7rMw=");
    }

    @Test
    void equalAddressesAreOrderedByPort() throws Exception {
        assertThat(id(0, "10.0.0.1", 5000, "10.0.0.1", 80)).isEqualTo(id(0, "10.0.0.1", 80, "10.0.0.1", 5000))
                .isNotEqualTo(id(0, "10.0.0.1", 80, "10.0.0.1", 5001));
    }

    @Test
    void theSeedIsSixteenBits() {
        assertThatThrownBy(() -> new CommunityId(65536)).hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> new CommunityId(-1)).hasMessageContaining("0 to 65535");
    }
}
