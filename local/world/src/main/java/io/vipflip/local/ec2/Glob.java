package io.vipflip.local.ec2;

import java.util.List;
import java.util.regex.Pattern;

/** EC2 filter values: '*' matches any run of characters, '?' one character; a filter matches if any value does. */
final class Glob {
    private Glob() {
    }

    static boolean anyMatches(List<String> patterns, String value) {
        if (value == null) {
            return false;
        }
        for (String pattern : patterns) {
            StringBuilder regex = new StringBuilder();
            for (char c : pattern.toCharArray()) {
                regex.append(switch (c) {
                    case '*' -> ".*";
                    case '?' -> ".";
                    default -> Pattern.quote(String.valueOf(c));
                });
            }
            if (value.matches(regex.toString())) {
                return true;
            }
        }
        return false;
    }
}
