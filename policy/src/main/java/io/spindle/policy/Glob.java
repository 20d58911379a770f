package io.spindle.policy;

import java.util.regex.Pattern;

/** A pattern where {@code *} stands for any characters (none included) and everything else is literal. */
record Glob(String text, Pattern pattern) {
    static Glob of(String text) {
        StringBuilder re = new StringBuilder();
        for (String part : text.split("\\*", -1)) {
            if (!re.isEmpty()) re.append(".*");
            re.append(Pattern.quote(part));
        }
        return new Glob(text, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    boolean matches(String value) {
        return value != null && pattern.matcher(value).matches();
    }

    @Override
    public String toString() {
        return text;
    }
}
