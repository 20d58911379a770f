package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code spindle policy validate} and the host's policy options (the server itself: policy and host tests). */
class PolicyCommandTest {
    @TempDir
    Path dir;

    @Test
    void validateListsEveryProblemWithItsPath() throws Exception {
        Path good = Files.writeString(dir.resolve("good.yaml"), "default: allow\nrules:\n  - {effect: deny, match: {kind: start_provider}}\n");
        Cli.Result r = Cli.run("policy", "validate", good.toString());
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo(good + ": valid (1 rules, default allow)");

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "default: nah\nrules:\n  - {effect: allow, match: {kind: run}}\n");
        r = Cli.run("policy", "validate", bad.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().lines()).containsExactly(bad + ": default: must be allow or deny, got 'nah'",
                bad + ": rules[0].match.kind: 'run' is not a kind (apply_link, start_component, start_provider)");
        r = Cli.run("policy", "validate", bad.toString(), "--json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().strip()).isEqualTo("{\"file\":\"" + bad + "\",\"valid\":false,\"problems\":[\"default: must be allow or deny, got 'nah'\","
                + "\"rules[0].match.kind: 'run' is not a kind (apply_link, start_component, start_provider)\"]}");

        r = Cli.run("policy", "validate", dir.resolve("none.yaml").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("none.yaml: no such file");
        assertThat(Cli.run("policy").exit()).isEqualTo(2);
    }

    @Test
    void serveRefusesABrokenRulesFileBeforeConnecting() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "rules: [{effect: maybe}]\n");
        Cli.Result r = Cli.run("policy", "serve", "--rules", bad.toString(), "--nats", "nats://127.0.0.1:1");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains(bad + ": 1 problem: rules[0].effect: must be allow or deny, got 'maybe'");
    }

    @Test
    void hostRefusesABadPolicyDefaultAsAUsageError() {
        Cli.Result r = Cli.run("host", "--policy-subject", "spindle.policy.x", "--policy-default", "maybe", "--nats", "nats://127.0.0.1:1");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--policy-default must be deny or allow, got 'maybe'");
        assertThat(Cli.run("host", "--help").out()).contains("--policy-subject", "--policy-timeout", "--policy-cache", "--policy-default");
    }
}
