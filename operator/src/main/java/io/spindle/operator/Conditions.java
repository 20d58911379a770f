package io.spindle.operator;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Kubernetes-style conditions: one per type, lastTransitionTime kept while the status stays the same. */
final class Conditions {
    private Conditions() {
    }

    static void set(List<Condition> list, long generation, String type, boolean status, String reason, String message) {
        String s = status ? "True" : "False";
        Condition old = list.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
        String since = old != null && s.equals(old.getStatus()) && old.getLastTransitionTime() != null
                ? old.getLastTransitionTime() : Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        list.removeIf(c -> type.equals(c.getType()));
        list.add(new ConditionBuilder().withType(type).withStatus(s).withReason(reason).withMessage(message == null ? "" : message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build());
        list.sort((a, b) -> a.getType().compareTo(b.getType()));
    }

    static Condition get(List<Condition> list, String type) {
        return list.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
