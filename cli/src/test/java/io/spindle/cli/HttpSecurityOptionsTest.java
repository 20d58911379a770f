package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.spindle.http.HttpOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo's HTTP guard options: mapped onto HttpOptions, bad values are usage errors naming the option. */
class HttpSecurityOptionsTest {
    private static HttpOptions parse(String... args) {
        CommandLine cl = new CommandLine(new DemoCommand());
        cl.parseArgs(args);
        return ((DemoCommand) cl.getCommand()).httpSecurity.options();
    }

    @Test
    void mapsEveryOption() {
        HttpOptions o = parse("--http-token", "w-0123456789abcdef", "--http-read-token", "r-0123456789abcdef", "--http-tls-keystore", "/k.p12",
                "--http-tls-password", "pw", "--http-allow-origin", "https://grafana.example", "--http-allow-origin", "http://127.0.0.1:3000");
        assertThat(o.writeToken()).isEqualTo("w-0123456789abcdef");
        assertThat(o.readToken()).isEqualTo("r-0123456789abcdef");
        assertThat(o.tlsKeystore()).isEqualTo(Path.of("/k.p12"));
        assertThat(o.tlsPassword()).isEqualTo("pw");
        assertThat(o.allowedOrigins()).containsExactly("https://grafana.example", "http://127.0.0.1:3000");
        HttpOptions none = parse();
        assertThat(none.writeToken()).isNull();
        assertThat(none.allowedOrigins()).isEmpty();
        assertThat(none.tlsKeystore()).isNull();
    }

    @Test
    void badValuesAreUsageErrors() {
        Cli.Result shortToken = Cli.run("demo", "--no-shdr", "--duration", "1s", "--http-token", "short");
        assertThat(shortToken.exit()).isEqualTo(2);
        assertThat(shortToken.err()).contains("--http-token is shorter than 16");
        Cli.Result origin = Cli.run("demo", "--no-shdr", "--duration", "1s", "--http-allow-origin", "*");
        assertThat(origin.exit()).isEqualTo(2);
        assertThat(origin.err()).contains("--http-allow-origin '*'");
        Cli.Result pw = Cli.run("demo", "--no-shdr", "--duration", "1s", "--http-tls-password", "x");
        assertThat(pw.exit()).isEqualTo(2);
        assertThat(pw.err()).contains("--http-tls-password needs --http-tls-keystore");
        assertThat(List.of(shortToken.out(), origin.out())).allMatch(String::isEmpty);
    }
}
