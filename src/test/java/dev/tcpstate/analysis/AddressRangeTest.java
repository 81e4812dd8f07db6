package dev.tcpstate.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tcpstate.decode.IpAddresses;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class AddressRangeTest {
    private static boolean contains(String range, String address) throws Exception {
        byte[] bytes = InetAddress.getByName(address).getAddress();
        AddressRange parsed = AddressRange.parse(range);
        if (bytes.length == 4) {
            return parsed.contains(0, IpAddresses.ipv4Low(ByteBuffer.wrap(bytes).getInt()));
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        return parsed.contains(buffer.getLong(), buffer.getLong());
    }

    @Test
    void ipv4AddressesAndBlocks() throws Exception {
        assertThat(contains("10.0.0.7", "10.0.0.7")).isTrue();
        assertThat(contains("10.0.0.7", "10.0.0.8")).isFalse();
        assertThat(contains("10.0.0.0/8", "10.255.1.2")).isTrue();
        assertThat(contains("10.0.0.0/8", "11.0.0.1")).isFalse();
        assertThat(contains("10.1.2.3/8", "10.9.9.9")).as("host bits are ignored").isTrue();
        assertThat(contains("192.168.1.128/25", "192.168.1.200")).isTrue();
        assertThat(contains("192.168.1.128/25", "192.168.1.100")).isFalse();
        assertThat(contains("0.0.0.0/0", "203.0.113.9")).isTrue();
        assertThat(contains("0.0.0.0/0", "fd00::1")).as("IPv4's /0 is not all of IPv6").isFalse();
    }

    @Test
    void ipv6AddressesAndBlocks() throws Exception {
        assertThat(contains("fd00::1", "fd00:0::1")).isTrue();
        assertThat(contains("fd00::/64", "fd00::ffff:1")).isTrue();
        assertThat(contains("fd00::/64", "fd00:0:0:1::1")).isFalse();
        assertThat(contains("2001:db8::/32", "2001:db8:ffff::1")).isTrue();
        assertThat(contains("fd00:1:2:3:4:5:6:7/127", "fd00:1:2:3:4:5:6:6")).isTrue();
        assertThat(contains("fd00:1:2:3:4:5:6:7/127", "fd00:1:2:3:4:5:6:8")).isFalse();
        assertThat(contains("::/0", "10.0.0.1")).isTrue();
    }

    @Test
    void namesAndMalformedAddressesAreRejectedWithoutALookup() {
        for (String bad : new String[] {"notanip", "localhost", "10.0.0.256", "10.0.0", "10.0.0.1/", "10.0.0.1/x",
            "fd00::/129", "fd00:::1:2:3:4:5:6:7:8", "fe80::1%eth0", ""}) {
            assertThatThrownBy(() -> AddressRange.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("(expected: ");
        }
    }
}
