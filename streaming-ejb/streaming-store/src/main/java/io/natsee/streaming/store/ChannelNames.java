package io.natsee.streaming.store;

/** Channel name rules: validity, literals, and the wildcard matching of limit overrides. */
public final class ChannelNames {

    private ChannelNames() {
    }

    /**
     * Whether {@code name} is a valid channel name: non-empty tokens separated by {@code .}, no
     * spaces; wildcards ({@code *} as a whole token, {@code >} as the whole last token) only when
     * {@code wildcardsAllowed}.
     */
    public static boolean isValid(String name, boolean wildcardsAllowed) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        String[] tokens = name.split("\\.", -1);
        for (int i = 0; i < tokens.length; i++) {
            String token = tokens[i];
            if (token.isEmpty()) {
                return false;
            }
            for (int c = 0; c < token.length(); c++) {
                char ch = token.charAt(c);
                if (Character.isWhitespace(ch)) {
                    return false;
                }
                if (ch == '*' || ch == '>') {
                    if (!wildcardsAllowed || token.length() != 1 || (ch == '>' && i != tokens.length - 1)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /** Whether {@code name} has no wildcard token. */
    public static boolean isLiteral(String name) {
        for (String token : name.split("\\.", -1)) {
            if (token.equals("*") || token.equals(">")) {
                return false;
            }
        }
        return true;
    }

    /** Whether the pattern (possibly with wildcards) matches the literal channel name. */
    public static boolean matches(String pattern, String channel) {
        String[] p = pattern.split("\\.", -1);
        String[] c = channel.split("\\.", -1);
        for (int i = 0; i < p.length; i++) {
            if (p[i].equals(">")) {
                return c.length > i;
            }
            if (i >= c.length || (!p[i].equals("*") && !p[i].equals(c[i]))) {
                return false;
            }
        }
        return p.length == c.length;
    }

    /**
     * Orders two patterns matching the same channel from the widest to the narrowest: at the first
     * token where they differ, {@code >} comes before {@code *}, which comes before a literal; a
     * pattern ending in {@code >} earlier is wider.
     */
    static int compareWidth(String a, String b) {
        String[] x = a.split("\\.", -1);
        String[] y = b.split("\\.", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int rankX = rank(x[i]);
            int rankY = rank(y[i]);
            if (rankX != rankY) {
                return Integer.compare(rankX, rankY);
            }
        }
        return Integer.compare(x.length, y.length);
    }

    private static int rank(String token) {
        return token.equals(">") ? 0 : token.equals("*") ? 1 : 2;
    }
}
