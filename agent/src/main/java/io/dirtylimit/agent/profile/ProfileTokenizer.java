package io.dirtylimit.agent.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one profile line into tokens: blanks separate them, {@code #} starts a comment,
 * {@code "..."} quotes a token (only {@code \"} is an escape inside, so regular expressions are
 * written as they are), and a parenthesised parameter list is part of its token even with blanks.
 */
final class ProfileTokenizer {
    private ProfileTokenizer() {}

    /** The line's tokens, or null after reporting an unterminated quote or parenthesis. */
    static List<String> tokenize(String line, ProfileErrors errors) {
        List<String> tokens = new ArrayList<>();
        StringBuilder token = null;
        int depth = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"' && depth == 0) {
                int end = closingQuote(line, i + 1);
                if (end < 0) {
                    errors.error("unterminated quote");
                    return null;
                }
                token = token == null ? new StringBuilder() : token;
                token.append(line.substring(i + 1, end).replace("\\\"", "\""));
                i = end;
            } else if (Character.isWhitespace(c) && depth == 0) {
                if (token != null) {
                    tokens.add(token.toString());
                    token = null;
                }
            } else if (c == '#' && depth == 0 && token == null) {
                break;
            } else {
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
                if (depth < 0) {
                    errors.error("unbalanced ')'");
                    return null;
                }
                token = token == null ? new StringBuilder() : token;
                token.append(c);
            }
        }
        if (depth != 0) {
            errors.error("unbalanced '('");
            return null;
        }
        if (token != null) {
            tokens.add(token.toString());
        }
        return tokens;
    }

    private static int closingQuote(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            if (line.charAt(i) == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                i++;
            } else if (line.charAt(i) == '"') {
                return i;
            }
        }
        return -1;
    }
}
