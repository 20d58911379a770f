package io.spindle.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Starting, binding and stopping the server. */
class ServerLifecycleTest {
    @Test
    void bindsLoopbackByDefaultRefusesABusyPortAndClosesTwice() {
        TestServer shared = TestServer.shared();
        HttpOptions defaults = new HttpOptions(null, 0, null);
        assertThat(defaults.bind().isLoopbackAddress()).isTrue();
        HttpServer a = HttpServer.start(defaults, shared.store, TestData.TIERS, new Metrics());
        try {
            assertThat(a.url()).isEqualTo("http://127.0.0.1:" + a.port() + "/");
            assertThat(a.port()).isPositive();
            assertThatThrownBy(() -> HttpServer.start(HttpOptions.loopback(a.port()), shared.store, TestData.TIERS, new Metrics()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + a.port());
        } finally {
            a.close();
            a.close(); // idempotent
        }
        assertThatThrownBy(() -> shared.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(a.url() + "healthz")).GET()))
                .hasCauseInstanceOf(java.net.ConnectException.class);
    }

    @Test
    void optionsAreChecked() throws Exception {
        assertThatThrownBy(() -> HttpOptions.loopback(70_000)).hasMessageContaining("port 70000 is outside 0..65535");
        assertThatThrownBy(() -> new HttpOptions(InetAddress.getLoopbackAddress(), 0, " ")).hasMessageContaining("writeToken is blank");
        assertThatThrownBy(() -> HttpServer.start(HttpOptions.loopback(0), null, TestData.TIERS, new Metrics()))
                .hasMessageContaining("store, tiers and metrics are required");
    }
}
