package io.spindle.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** `spindle operator run` refuses bad usage before touching any cluster (the operator itself: operator/OperatorTest). */
class OperatorCommandTest {
    @Test
    void unreadableKubeconfigIsAUsageError() {
        Cli.Result r = Cli.run("operator", "run", "--kubeconfig", "/nonexistent/kubeconfig");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--kubeconfig /nonexistent/kubeconfig: not a readable file");
    }

    @Test
    void missingSubcommandIsAUsageError() {
        Cli.Result r = Cli.run("operator");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("subcommand");
    }
}
