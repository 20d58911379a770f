package io.spindle.lattice.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SubjectMatcherTest {
    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
            "a, a, true",
            "a, b, false",
            "a, ab, false",
            "ab, a, false",
            "a.b, a.b, true",
            "a.b, a, false",
            "a, a.b, false",
            "a.*, a.b, true",
            "a.*, a, false",
            "a.*, a.b.c, false",
            "*, a, true",
            "*, a.b, false",
            "*.b, a.b, true",
            "*.*, a.b, true",
            "a.*.c, a.b.c, true",
            "a.*.c, a.b.d, false",
            "a.>, a.b, true",
            "a.>, a.b.c.d, true",
            "a.>, a, false",
            ">, a, true",
            ">, a.b.c, true",
            "a.*.>, a.b.c, true",
            "a.*.>, a.b, false",
            "spindle.ctl.v1.L.host.get, spindle.ctl.v1.L.host.get, true",
            "spindle.ctl.v1.L.host.*, spindle.ctl.v1.L.host.get, true",
            "spindle.ctl.v1.*.host.inventory.*, spindle.ctl.v1.L.host.inventory.h1, true",
            "spindle.ctl.v1.*.host.inventory.*, spindle.ctl.v1.L.host.ping, false",
            "foo.bar, foo.baz, false",
            "foo.bar, foo.barx, false",
            "foo.barx, foo.bar, false",
    })
    void matches(String pattern, String subject, boolean expected) {
        assertThat(SubjectMatcher.matches(pattern, subject)).isEqualTo(expected);
        assertThat(SubjectMatcher.matches(SubjectMatcher.tokens(pattern), subject)).isEqualTo(expected);
    }

    @Test
    void validation() {
        for (String bad : new String[]{"", "a..b", ".a", "a.", "a b", "a\tb", "a.*", "a.>", ">"})
            assertThat(SubjectMatcher.isValid(bad, false)).as(bad).isFalse();
        for (String bad : new String[]{"", "a..b", ".a", "a.", "a b", "a.>.b", ">.a"})
            assertThat(SubjectMatcher.isValid(bad, true)).as(bad).isFalse();
        for (String ok : new String[]{"a", "a.b", "_INBOX.x1.2", "a-b_c.D9", "a*b", "a>b"})
            assertThat(SubjectMatcher.isValid(ok, false)).as(ok).isTrue();
        for (String ok : new String[]{"a.*", "a.>", ">", "*", "*.*.>"})
            assertThat(SubjectMatcher.isValid(ok, true)).as(ok).isTrue();
        assertThatThrownBy(() -> SubjectMatcher.checkSubject("a.*")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("wildcard");
        assertThatThrownBy(() -> SubjectMatcher.checkPattern("a.>.b")).hasMessageContaining("last token");
        assertThat(SubjectMatcher.hasWildcard("a.*")).isTrue();
        assertThat(SubjectMatcher.hasWildcard("a*.b")).isFalse();
    }

    /** Both matchers agree with a token-by-token reference on random subjects over a small alphabet. */
    @Property(tries = 2000)
    void agreesWithReference(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int seed) {
        java.util.Random r = new java.util.Random(seed);
        String subject = randomSubject(r, false);
        String pattern = randomSubject(r, true);
        boolean expected = reference(SubjectMatcher.tokens(pattern), SubjectMatcher.tokens(subject));
        assertThat(SubjectMatcher.matches(pattern, subject)).as(pattern + " ~ " + subject).isEqualTo(expected);
        assertThat(SubjectMatcher.matches(SubjectMatcher.tokens(pattern), subject)).as(pattern + " ~ " + subject).isEqualTo(expected);
    }

    private static String randomSubject(java.util.Random r, boolean wildcards) {
        int n = 1 + r.nextInt(4);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (i > 0) sb.append('.');
            int k = r.nextInt(wildcards ? 6 : 4);
            if (k == 4) sb.append('*');
            else if (k == 5 && i == n - 1) sb.append('>');
            else sb.append(new String[]{"a", "b", "ab", "a"}[k % 4]);
        }
        return sb.toString();
    }

    private static boolean reference(String[] p, String[] s) {
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) return s.length > i;
            if (i >= s.length) return false;
            if (!p[i].equals("*") && !p[i].equals(s[i])) return false;
        }
        return p.length == s.length;
    }
}
