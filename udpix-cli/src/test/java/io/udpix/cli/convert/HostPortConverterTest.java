package io.udpix.cli.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine.TypeConversionException;

class HostPortConverterTest {

    private final HostPortConverter converter = new HostPortConverter();

    @ParameterizedTest
    @CsvSource({
        "127.0.0.1:9000, 127.0.0.1, 9000",
        "localhost:1, localhost, 1",
        "example.com:65535, example.com, 65535",
        "my-host.lan.:8080, my-host.lan., 8080",
        "'[::1]:9000', ::1, 9000",
        "'[fe80::1%1]:9000', fe80::1%1, 9000",
        "my_service:9000, my_service, 9000",
        "'[::ffff:192.0.2.1]:53', ::ffff:192.0.2.1, 53",
        "' 10.0.0.1:80 ', 10.0.0.1, 80",
    })
    void parsesHostAndPort(String text, String host, int port) {
        assertThat(converter.convert(text)).isEqualTo(new HostPort(host, port));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost          | has no port",
        "localhost:         | has no port after ':'",
        ":9000              | has no host",
        "::1:9000           | IPv6 address without brackets",
        "'[::1]'            | has no port",
        "'[::1]9000'        | needs ':' after ']'",
        "'[::1:9000'        | no ']'",
        "'[zz::1]:9000'     | not a valid IPv6 address",
        "'[1.2.3.4]:9000'   | not a valid IPv6 address",
        "host:abc           | is not a number",
        "host:-1            | is not a number",
        "host:0             | out of range",
        "host:65536         | out of range",
        "host:123456        | is not a number",
        "999.1.1.1:80       | not a valid IPv4 address",
        "1.2.3:80           | not a valid IPv4 address",
        "010.0.0.1:80       | not a valid IPv4 address",
        "bad_host!:9000     | not a valid host name",
        "-leading:9000      | not a valid host name",
        "''                 | empty address",
    })
    void explainsWhatIsWrong(String text, String expectedMessagePart) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining(expectedMessagePart);
    }

    @Test
    void printsIpv6WithBracketsAndResolvesLiteralsWithoutLookup() throws Exception {
        HostPort v6 = HostPortConverter.parse("[::1]:9000");

        assertThat(v6).hasToString("[::1]:9000");
        assertThat(HostPortConverter.parse("127.0.0.1:5").resolve())
                .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5));
        assertThat(v6.resolve().getAddress().isLoopbackAddress()).isTrue();
    }
}
