package io.natsee.broker.config;

import io.natsee.broker.config.ConfigValue.ArrayValue;
import io.natsee.broker.config.ConfigValue.BooleanValue;
import io.natsee.broker.config.ConfigValue.MapValue;
import io.natsee.broker.config.ConfigValue.StringValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads nats-server's configuration format into a tree of {@link ConfigValue}s that remember
 * their position, collecting every error instead of stopping at the first.
 *
 * <p>The format, as nats-server 2.9's lexer reads it: {@code key: value}, {@code key = value}
 * or {@code key value}; blocks {@code name { ... }} and arrays {@code [ ... ]} whose items are
 * separated by commas or new lines; {@code #} and {@code //} comments; optional {@code ;} and
 * {@code ,} terminators; double-quoted strings with the escapes {@code \t \n \r \" \\ \xHH},
 * raw single-quoted strings, bare strings and {@code ( ... )} block strings closed by a
 * {@code )} alone on a line; booleans ({@code true yes on false no off}, any case); integers
 * with optional size suffixes ({@code K M G T P E} are powers of 1000, with {@code B} or
 * {@code i} after them powers of 1024); floats; Zulu dates; {@code include file} relative to
 * the including file; {@code $NAME} references to keys defined before in an enclosing block,
 * then to environment variables (whose text is parsed as a value, so {@code PORT=4222} gives
 * an integer). Durations stay strings. JSON is valid input.
 *
 * <p>Deliberate differences from nats-server: {@code \/ \b \f} and four-digit backslash-u
 * escapes are accepted so that any JSON file reads; numbers directly before {@code ]} parse as
 * numbers; a key without a value and an empty bare value are errors instead of being dropped
 * silently; an include cycle is an error instead of a crash. As in
 * nats-server, an included file does not see the variables of the file that includes it.
 *
 * <p>After a syntax error the parser skips to the end of the entry (the end of the line, or
 * further while brackets opened by the entry are still open) and goes on, so one pass reports
 * every problem. The parser is a recursive descent over the text rather than a byte state
 * machine: configuration files are small, and the recursion mirrors the nesting that error
 * recovery has to respect. Instances are immutable and may be shared between threads.
 */
public final class ConfigFileParser {

    private static final Set<String> BOOLEANS = Set.of("true", "false", "yes", "no", "on", "off");
    private static final Set<String> TRUE_WORDS = Set.of("true", "yes", "on");
    /** nats-server reads {@code $2a$...} as a bcrypt hash, not as a variable reference. */
    private static final String BCRYPT_PREFIX = "2a$";
    /** The key an environment variable's text is parsed under, as nats-server does. */
    private static final String ENVIRONMENT_KEY = "pk";

    private final Map<String, String> environment;

    /**
     * @param environment the variables {@code $NAME} falls back to, usually
     *     {@link System#getenv()}; tests pass their own map
     */
    public ConfigFileParser(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Parses a file and the files it includes.
     *
     * @return the top-level block
     * @throws ConfigException listing every syntax error, missing include and unknown variable
     */
    public MapValue parse(Path file) throws ConfigException {
        Run run = new Run(new HashSet<>());
        MapValue root = run.parseFile(file, null);
        run.throwIfErrors();
        return root;
    }

    /**
     * Parses text as if it were the content of {@code file}: errors name that file and
     * includes resolve against its directory; the file itself need not exist.
     */
    public MapValue parse(String text, Path file) throws ConfigException {
        Run run = new Run(new HashSet<>());
        MapValue root = run.parseText(text, file);
        run.throwIfErrors();
        return root;
    }

    /** How the value after a key ends: at the top level only a new line, in a block also ','. */
    private enum Context {
        TOP, BLOCK
    }

    /** A syntax error that abandons the current entry; carries no stack trace. */
    private static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient ConfigError error;

        SyntaxError(ConfigError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }
    }

    /** The state of one parse call: errors so far and the chain of files being included. */
    private final class Run {
        final List<ConfigError> errors = new ArrayList<>();
        final Deque<Path> includeChain = new ArrayDeque<>();
        final Set<String> resolvingEnvironment;

        Run(Set<String> resolvingEnvironment) {
            this.resolvingEnvironment = resolvingEnvironment;
        }

        MapValue parseFile(Path file, ConfigPosition includedFrom) {
            String text;
            try {
                text = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                if (includedFrom == null) {
                    errors.add(new ConfigError(file.toString(), 0, 0, "cannot read configuration file: " + describe(e)));
                } else {
                    errors.add(includedFrom.error("cannot read include file '" + file + "': " + describe(e)));
                }
                return new MapValue(Map.of(), new ConfigPosition(file.toString(), 1, 1));
            }
            return parseText(text, file);
        }

        MapValue parseText(String text, Path file) {
            includeChain.push(file.toAbsolutePath().normalize());
            try {
                return new FileParser(this, text, file, file.toString()).parseDocument();
            } finally {
                includeChain.pop();
            }
        }

        void throwIfErrors() throws ConfigException {
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof MalformedInputException) {
            return "not valid UTF-8 text";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** Builds a string from characters and from {@code \xHH} bytes, decoded together as UTF-8. */
    private static final class TextBuilder {
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        void append(char c) {
            flushBytes();
            text.append(c);
        }

        void appendByte(int b) {
            bytes.write(b);
        }

        private void flushBytes() {
            if (bytes.size() > 0) {
                text.append(bytes.toString(StandardCharsets.UTF_8));
                bytes.reset();
            }
        }

        @Override
        public String toString() {
            flushBytes();
            return text.toString();
        }
    }

    /** Parses the text of one file; includes get their own instance and their own scopes. */
    private final class FileParser {
        private final Run run;
        private final String text;
        private final Path file;
        private final String fileName;
        /** The blocks enclosing the current position, innermost first; variables resolve here. */
        private final Deque<Map<String, ConfigEntry>> scopes = new ArrayDeque<>();
        private int pos;
        private int line = 1;
        private int lineStart;
        /** Brackets and braces opened and not yet closed; recovery uses it to find an entry's end. */
        private int depth;

        FileParser(Run run, String text, Path file, String fileName) {
            this.run = run;
            this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
            this.file = file;
            this.fileName = fileName;
        }

        MapValue parseDocument() {
            ConfigPosition start = position();
            Map<String, ConfigEntry> root = new LinkedHashMap<>();
            scopes.push(root);
            while (true) {
                skipDocumentFiller();
                if (atEnd()) {
                    break;
                }
                parseEntryRecovering(root, Context.TOP);
            }
            scopes.pop();
            return new MapValue(root, start);
        }

        /** Parses one entry; on a syntax error records it and skips to where the next may start. */
        private void parseEntryRecovering(Map<String, ConfigEntry> block, Context context) {
            int entryDepth = depth;
            int entryStart = pos;
            try {
                String key = parseEntry(block, context);
                endValue(key, context);
            } catch (SyntaxError e) {
                run.errors.add(e.error);
                recover(entryDepth);
                if (pos == entryStart && !atEnd() && peek() != '}') {
                    advance();
                }
            }
        }

        /** Parses a key and its value (or an include) into the block; returns the key. */
        private String parseEntry(Map<String, ConfigEntry> block, Context context) {
            ConfigPosition keyPosition = position();
            char c = peek();
            if (c == ':' || c == '=' || c == '[' || c == ']') {
                throw syntax(keyPosition, "unexpected " + describe(c) + " where a key was expected");
            }
            String key;
            if (c == '"' || c == '\'') {
                key = quotedKey(c);
            } else {
                int start = pos;
                while (!atEnd() && !Character.isWhitespace(peek()) && peek() != ':' && peek() != '=') {
                    advance();
                }
                key = text.substring(start, pos);
                if (key.equalsIgnoreCase("include") && !atEnd() && Character.isWhitespace(peek())) {
                    parseInclude(block);
                    return key;
                }
            }
            skipWhitespace();
            if (atEnd()) {
                throw syntax(keyPosition, "key \"" + key + "\" has no value");
            }
            if (peek() == ':' || peek() == '=') {
                advance();
                if (context == Context.TOP) {
                    skipBlanks();
                } else {
                    skipWhitespace();
                }
            }
            if (atEnd()) {
                throw syntax(position(), "expected a value for \"" + key + "\" but found the end of the file");
            }
            ConfigValue value = parseValue(key);
            block.remove(key);
            block.put(key, new ConfigEntry(key, keyPosition, value));
            return key;
        }

        private String quotedKey(char quote) {
            ConfigPosition start = position();
            advance();
            int from = pos;
            while (!atEnd() && peek() != quote) {
                advance();
            }
            if (atEnd()) {
                throw syntax(start, "quoted key is not terminated: missing " + quote);
            }
            String key = text.substring(from, pos);
            advance();
            return key;
        }

        /** After a value: blanks, an optional comment, then a terminator, a new line or the end. */
        private void endValue(String key, Context context) {
            skipBlanks();
            if (isCommentStart()) {
                skipComment();
            }
            if (atEnd()) {
                return;
            }
            char c = peek();
            if (c == ';' || c == ',') {
                advance();
            } else if (!isNewLine(c) && c != '}') {
                String expected = context == Context.TOP
                        ? "a new line, ';' or a comment" : "',', ';', a new line or '}'";
                throw syntax(position(), "expected " + expected + " after the value of \"" + key
                        + "\" but found " + describe(c));
            }
        }

        private void parseInclude(Map<String, ConfigEntry> block) {
            skipBlanks();
            ConfigPosition at = position();
            if (atEnd() || isNewLine(peek())) {
                throw syntax(at, "expected an include file name but found " + (atEnd() ? "the end of the file" : "a new line"));
            }
            char c = peek();
            String name;
            if (c == '"' || c == '\'') {
                advance();
                int from = pos;
                while (!atEnd() && peek() != c) {
                    advance();
                }
                if (atEnd()) {
                    throw syntax(at, "include file name is not terminated: missing " + c);
                }
                name = text.substring(from, pos);
                advance();
            } else if (c == '[' || c == '{' || c == '(') {
                throw syntax(at, "expected an include file name but found " + describe(c));
            } else {
                int from = pos;
                while (!atEnd() && !Character.isWhitespace(peek()) && peek() != ';' && peek() != '}') {
                    advance();
                }
                name = text.substring(from, pos);
            }
            if (name.isEmpty()) {
                throw syntax(at, "include file name is empty");
            }
            Path target;
            try {
                Path named = Path.of(name);
                Path directory = file.getParent();
                target = (named.isAbsolute() || directory == null ? named : directory.resolve(named)).normalize();
            } catch (InvalidPathException e) {
                throw syntax(at, "include file name '" + name + "' is not a valid path: " + e.getReason());
            }
            if (run.includeChain.contains(target.toAbsolutePath().normalize())) {
                throw syntax(at, "include cycle: '" + target + "' is already being read");
            }
            MapValue included = run.parseFile(target, at);
            for (ConfigEntry entry : included.entries().values()) {
                block.remove(entry.key());
                block.put(entry.key(), entry);
            }
        }

        private ConfigValue parseValue(String key) {
            char c = peek();
            return switch (c) {
                case '[' -> parseArray(key);
                case '{' -> parseBlock();
                case '"' -> doubleQuoted();
                case '\'' -> singleQuoted();
                case '(' -> blockString();
                default -> bareValue(key);
            };
        }

        private ArrayValue parseArray(String key) {
            ConfigPosition start = position();
            advance();
            depth++;
            List<ConfigValue> elements = new ArrayList<>();
            while (true) {
                skipWhitespaceAndComments();
                if (atEnd()) {
                    throw syntax(start, "array is not terminated: missing ']'");
                }
                char c = peek();
                if (c == ']') {
                    advance();
                    depth--;
                    return new ArrayValue(elements, start);
                }
                if (c == ',') {
                    throw syntax(position(), "unexpected ',' in array");
                }
                elements.add(parseValue(key));
                skipBlanks();
                if (isCommentStart()) {
                    skipComment();
                }
                if (atEnd()) {
                    throw syntax(start, "array is not terminated: missing ']'");
                }
                c = peek();
                if (c == ',') {
                    advance();
                } else if (!isNewLine(c) && c != ']') {
                    throw syntax(position(), "expected ',' or ']' after an array element but found " + describe(c));
                }
            }
        }

        private MapValue parseBlock() {
            ConfigPosition start = position();
            advance();
            depth++;
            Map<String, ConfigEntry> entries = new LinkedHashMap<>();
            scopes.push(entries);
            try {
                while (true) {
                    skipBlockFiller();
                    if (atEnd()) {
                        throw syntax(start, "block is not terminated: missing '}'");
                    }
                    if (peek() == '}') {
                        advance();
                        depth--;
                        return new MapValue(entries, start);
                    }
                    parseEntryRecovering(entries, Context.BLOCK);
                }
            } finally {
                scopes.pop();
            }
        }

        private StringValue doubleQuoted() {
            ConfigPosition start = position();
            advance();
            TextBuilder value = new TextBuilder();
            while (true) {
                if (atEnd()) {
                    throw syntax(start, "string is not terminated: missing '\"'");
                }
                char c = peek();
                if (c == '"') {
                    advance();
                    return new StringValue(value.toString(), start);
                }
                if (c == '\\') {
                    escape(value);
                } else {
                    value.append(c);
                    advance();
                }
            }
        }

        private StringValue singleQuoted() {
            ConfigPosition start = position();
            advance();
            int from = pos;
            while (!atEnd() && peek() != '\'') {
                advance();
            }
            if (atEnd()) {
                throw syntax(start, "string is not terminated: missing \"'\"");
            }
            String value = text.substring(from, pos);
            advance();
            return new StringValue(value, start);
        }

        /** {@code (} then any text up to a line holding only {@code )}; the text keeps its new lines. */
        private StringValue blockString() {
            ConfigPosition start = position();
            advance();
            int from = pos;
            while (!atEnd()) {
                if (peek() == '\n' && pos + 1 < text.length() && text.charAt(pos + 1) == ')'
                        && (pos + 2 == text.length() || isNewLine(text.charAt(pos + 2)))) {
                    String value = text.substring(from, pos);
                    advance();
                    advance();
                    return new StringValue(value, start);
                }
                advance();
            }
            throw syntax(start, "block string is not terminated: ')' must stand alone on a line");
        }

        /** Reads one escape sequence, starting at the backslash, into the builder. */
        private void escape(TextBuilder value) {
            ConfigPosition at = position();
            advance();
            if (atEnd()) {
                throw syntax(at, "escape sequence is not complete at the end of the file");
            }
            char c = peek();
            advance();
            switch (c) {
                case 't' -> value.append('\t');
                case 'n' -> value.append('\n');
                case 'r' -> value.append('\r');
                case '"' -> value.append('"');
                case '\\' -> value.append('\\');
                case '/' -> value.append('/');
                case 'b' -> value.append('\b');
                case 'f' -> value.append('\f');
                case 'x' -> value.appendByte(hexDigits(at, 2, "\\x"));
                case 'u' -> value.append((char) hexDigits(at, 4, "\\u"));
                default -> throw syntax(at, "invalid escape character " + describe(c)
                        + "; allowed are \\xXX, \\t, \\n, \\r, \\\", \\\\ (and JSON's \\uXXXX, \\/, \\b, \\f)");
            }
        }

        private int hexDigits(ConfigPosition at, int count, String prefix) {
            int result = 0;
            for (int i = 0; i < count; i++) {
                int digit = atEnd() ? -1 : Character.digit(peek(), 16);
                if (digit < 0) {
                    throw syntax(at, "expected " + count + " hexadecimal digits after '" + prefix + "'");
                }
                result = result * 16 + digit;
                advance();
            }
            return result;
        }

        /** A bare word: a boolean, a number, a date, a variable reference or a string. */
        private ConfigValue bareValue(String key) {
            ConfigPosition start = position();
            TextBuilder word = new TextBuilder();
            boolean escaped = false;
            while (!atEnd() && !isBareTerminator(peek())) {
                if (peek() == '\\') {
                    escape(word);
                    escaped = true;
                } else {
                    word.append(peek());
                    advance();
                }
            }
            String value = word.toString();
            if (value.isEmpty()) {
                String found = atEnd() ? "the end of the file" : isNewLine(peek()) ? "a new line" : describe(peek());
                throw syntax(start, "expected a value for \"" + key + "\" but found " + found);
            }
            if (escaped) {
                return new StringValue(value, start);
            }
            String lower = value.toLowerCase(Locale.ROOT);
            if (BOOLEANS.contains(lower)) {
                return new BooleanValue(TRUE_WORDS.contains(lower), start);
            }
            if (value.charAt(0) == '$') {
                String name = value.substring(1);
                return name.startsWith(BCRYPT_PREFIX) ? new StringValue(value, start) : resolveVariable(name, start);
            }
            if (Character.isDigit(value.charAt(0)) || value.charAt(0) == '-' || value.charAt(0) == '.') {
                try {
                    return ConfigNumbers.classify(value, start);
                } catch (IllegalArgumentException e) {
                    throw syntax(start, e.getMessage());
                }
            }
            return new StringValue(value, start);
        }

        /** Finds {@code $name} in the enclosing blocks, innermost first, then in the environment. */
        private ConfigValue resolveVariable(String name, ConfigPosition at) {
            for (Iterator<Map<String, ConfigEntry>> it = scopes.iterator(); it.hasNext(); ) {
                ConfigEntry entry = it.next().get(name);
                if (entry != null) {
                    entry.markUsedAsVariable();
                    return entry.value().withPosition(at);
                }
            }
            String raw = environment.get(name);
            if (raw == null) {
                throw syntax(at, "variable reference for '" + name + "' can not be found");
            }
            if (raw.isEmpty()) {
                return new StringValue("", at);
            }
            if (!run.resolvingEnvironment.add(name)) {
                throw syntax(at, "environment variable " + name + " refers to itself");
            }
            try {
                Run sandbox = new Run(run.resolvingEnvironment);
                String source = "environment variable " + name;
                MapValue parsed = new FileParser(sandbox, ENVIRONMENT_KEY + "=" + raw, Path.of(""), source).parseDocument();
                ConfigValue value = parsed.get(ENVIRONMENT_KEY);
                if (!sandbox.errors.isEmpty() || value == null || parsed.entries().size() != 1) {
                    String reason = sandbox.errors.isEmpty() ? "it is not a single value" : sandbox.errors.get(0).message();
                    throw syntax(at, "environment variable " + name + " has a value that is not valid here: " + reason);
                }
                return value.withPosition(at);
            } finally {
                run.resolvingEnvironment.remove(name);
            }
        }

        /**
         * Skips the rest of a broken entry: to the end of the line once the brackets the entry
         * opened are closed, but never past a '}' closing the enclosing block.
         */
        private void recover(int entryDepth) {
            int open = depth - entryDepth;
            while (!atEnd()) {
                char c = peek();
                if (isNewLine(c) && open <= 0) {
                    break;
                }
                if (isCommentStart()) {
                    skipComment();
                    continue;
                }
                if (c == '"' || c == '\'') {
                    advance();
                    while (!atEnd() && peek() != c && !isNewLine(peek())) {
                        advance();
                    }
                    if (!atEnd() && peek() == c) {
                        advance();
                    }
                    continue;
                }
                if (c == '[' || c == '{') {
                    open++;
                } else if (c == ']' || c == '}') {
                    if (open <= 0 && c == '}') {
                        break;
                    }
                    open = Math.max(0, open - 1);
                }
                advance();
            }
            depth = entryDepth;
        }

        private void skipDocumentFiller() {
            while (!atEnd()) {
                char c = peek();
                if (Character.isWhitespace(c) || c == '{' || c == '}' || c == ';' || c == ',') {
                    advance();
                } else if (isCommentStart()) {
                    skipComment();
                } else {
                    return;
                }
            }
        }

        private void skipBlockFiller() {
            while (!atEnd()) {
                char c = peek();
                if (Character.isWhitespace(c) || c == ';' || c == ',') {
                    advance();
                } else if (isCommentStart()) {
                    skipComment();
                } else {
                    return;
                }
            }
        }

        private void skipWhitespaceAndComments() {
            while (!atEnd()) {
                if (Character.isWhitespace(peek())) {
                    advance();
                } else if (isCommentStart()) {
                    skipComment();
                } else {
                    return;
                }
            }
        }

        private void skipWhitespace() {
            while (!atEnd() && Character.isWhitespace(peek())) {
                advance();
            }
        }

        private void skipBlanks() {
            while (!atEnd() && (peek() == ' ' || peek() == '\t')) {
                advance();
            }
        }

        private boolean isCommentStart() {
            return !atEnd() && (peek() == '#'
                    || (peek() == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/'));
        }

        /** Skips to the end of the line, leaving the new line itself. */
        private void skipComment() {
            while (!atEnd() && !isNewLine(peek())) {
                advance();
            }
        }

        private boolean atEnd() {
            return pos >= text.length();
        }

        private char peek() {
            return text.charAt(pos);
        }

        private void advance() {
            if (text.charAt(pos) == '\n') {
                line++;
                lineStart = pos + 1;
            }
            pos++;
        }

        private ConfigPosition position() {
            return new ConfigPosition(fileName, line, pos - lineStart + 1);
        }

        private SyntaxError syntax(ConfigPosition at, String message) {
            return new SyntaxError(at.error(message));
        }
    }

    private static boolean isNewLine(char c) {
        return c == '\n' || c == '\r';
    }

    private static boolean isBareTerminator(char c) {
        return c == ' ' || c == '\t' || isNewLine(c) || c == ',' || c == ';' || c == ']' || c == '}';
    }

    private static String describe(char c) {
        return switch (c) {
            case '\n', '\r' -> "a new line";
            case '\t' -> "a tab";
            default -> "'" + c + "'";
        };
    }
}
