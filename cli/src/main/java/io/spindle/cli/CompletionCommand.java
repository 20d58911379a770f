package io.spindle.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints the bash/zsh completion script of the whole command tree. */
@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print a bash/zsh completion script.",
                "bash: source <(spindle completion)",
                "zsh:  autoload -U +X compinit && compinit; source <(spindle completion)"})
final class CompletionCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("spindle", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
