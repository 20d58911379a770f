package io.spindle.lattice.transport;

/**
 * NATS subject rules: a subject is {@code .}-separated non-empty tokens without whitespace; in a pattern, a token
 * {@code *} matches exactly one token and a last token {@code >} matches one or more trailing tokens.
 */
public final class SubjectMatcher {
    private SubjectMatcher() {
    }

    /** True when subject (no wildcards) matches pattern (wildcards allowed). Both must be valid. */
    public static boolean matches(String pattern, String subject) {
        int p = 0, s = 0, pl = pattern.length(), sl = subject.length();
        while (true) { // p and s are at the start of a token of each
            int pe = tokenEnd(pattern, p), se = tokenEnd(subject, s), ptl = pe - p;
            if (ptl == 1 && pattern.charAt(p) == '>') return true; // the subject has at least this token left
            if (!(ptl == 1 && pattern.charAt(p) == '*') && (ptl != se - s || !pattern.regionMatches(p, subject, s, ptl)))
                return false;
            boolean pEnd = pe == pl, sEnd = se == sl;
            if (pEnd || sEnd) return pEnd && sEnd;
            p = pe + 1;
            s = se + 1;
        }
    }

    /** Pre-split form of matches, for callers that match one pattern against many subjects. */
    public static boolean matches(String[] patternTokens, String subject) {
        int s = 0, sl = subject.length();
        for (int i = 0; i < patternTokens.length; i++) {
            String t = patternTokens[i];
            if (s > sl) return false; // subject ran out of tokens
            if (t.equals(">")) return true; // s <= sl and a token remains (validated subjects have no empty tokens)
            int se = tokenEnd(subject, s);
            if (!t.equals("*") && (t.length() != se - s || !subject.regionMatches(s, t, 0, t.length()))) return false;
            s = se + 1;
        }
        return s > sl;
    }

    /** Splits a subject or pattern into its tokens. */
    public static String[] tokens(String subject) {
        return subject.split("\\.", -1);
    }

    private static int tokenEnd(String s, int from) {
        int i = s.indexOf('.', from);
        return i < 0 ? s.length() : i;
    }

    /** Throws IllegalArgumentException unless subject is a valid publish subject (no wildcards). */
    public static String checkSubject(String subject) {
        check(subject, false);
        return subject;
    }

    /** Throws IllegalArgumentException unless pattern is a valid subscription subject (wildcards allowed). */
    public static String checkPattern(String pattern) {
        check(pattern, true);
        return pattern;
    }

    /** True when subject is a valid subject (wildcards allowed when wildcards is true). */
    public static boolean isValid(String subject, boolean wildcards) {
        try {
            check(subject, wildcards);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void check(String subject, boolean wildcards) {
        if (subject == null || subject.isEmpty()) throw new IllegalArgumentException("subject is empty");
        int start = 0, n = subject.length();
        while (true) {
            int end = tokenEnd(subject, start);
            if (end == start) throw new IllegalArgumentException("subject '" + subject + "' has an empty token");
            for (int i = start; i < end; i++) {
                char c = subject.charAt(i);
                if (Character.isWhitespace(c) || c < 0x20)
                    throw new IllegalArgumentException("subject '" + subject + "' contains whitespace or a control character");
            }
            boolean single = end - start == 1;
            char c0 = subject.charAt(start);
            if (single && (c0 == '*' || c0 == '>')) {
                if (!wildcards) throw new IllegalArgumentException("subject '" + subject + "' contains a wildcard; publish needs a concrete subject");
                if (c0 == '>' && end != n) throw new IllegalArgumentException("subject '" + subject + "': '>' must be the last token");
            }
            if (end == n) return;
            start = end + 1;
        }
    }

    /** True when pattern contains a wildcard token. */
    public static boolean hasWildcard(String pattern) {
        for (String t : tokens(pattern)) if (t.equals("*") || t.equals(">")) return true;
        return false;
    }
}
