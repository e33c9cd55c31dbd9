package io.natsee.broker.auth;

import io.natsee.broker.subject.Subjects;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One client's permissions, compiled for fast checks, with the results for publish subjects
 * cached. Follows nats-server's rules: a subject passes when the allow list is absent or matches
 * it and the deny list does not; permission entries of the form {@code "subject queue"} apply to
 * queue subscriptions; {@code allow_responses} without publish rules denies all other publishes.
 * Used by the connection's own event loop (not thread safe).
 */
public final class PermissionChecker {

    /** Publish results kept before the cache is emptied. */
    private static final int CACHE_LIMIT = 1024;

    private final Permissions permissions;
    private final List<Entry> publishAllow;
    private final List<Entry> publishDeny;
    private final List<Entry> subscribeAllow;
    private final List<Entry> subscribeDeny;
    private final Map<String, Boolean> publishCache = new HashMap<>();
    private final Map<String, Boolean> deliveryDenyCache = new HashMap<>();

    public PermissionChecker(Permissions permissions) {
        this.permissions = permissions;
        List<String> allow = permissions.publish().allow();
        if (allow == null && permissions.responses() != null) {
            allow = List.of(); // allow_responses alone: only replies may be published
        }
        this.publishAllow = compile(allow);
        this.publishDeny = compile(permissions.publish().deny());
        this.subscribeAllow = compile(permissions.subscribe().allow());
        this.subscribeDeny = compile(permissions.subscribe().deny());
    }

    /** Whether nothing is restricted (no checks needed at all). */
    public static boolean unrestricted(Permissions permissions) {
        return permissions == null || permissions.equals(Permissions.ALL);
    }

    public Permissions permissions() {
        return permissions;
    }

    /** Whether the client may publish to the literal subject (reply permissions aside). */
    public boolean canPublish(String subject) {
        Boolean cached = publishCache.get(subject);
        if (cached != null) {
            return cached;
        }
        boolean allowed = (publishAllow == null || matchesPlain(publishAllow, subject))
                && !matchesPlain(publishDeny, subject);
        if (publishCache.size() >= CACHE_LIMIT) {
            publishCache.clear();
        }
        publishCache.put(subject, allowed);
        return allowed;
    }

    /** Whether the client may subscribe to {@code subject} (wildcards allowed), in {@code queue} if not null. */
    public boolean canSubscribe(String subject, String queue) {
        boolean allowed = true;
        if (subscribeAllow != null) {
            allowed = matchesPlain(subscribeAllow, subject);
            if (queue != null) {
                Boolean queueResult = matchesQueue(subscribeAllow, subject, queue);
                if (queueResult != null) {
                    allowed = queueResult;
                }
            }
        }
        if (allowed && !subscribeDeny.isEmpty()) {
            allowed = !matchesPlain(subscribeDeny, subject);
            if (queue != null) {
                Boolean queueResult = matchesQueue(subscribeDeny, subject, queue);
                if (queueResult != null) {
                    allowed = !queueResult;
                }
            }
        }
        return allowed;
    }

    /**
     * Whether messages delivered to the wildcard subscription {@code subject} must be checked
     * against the subscribe deny list one by one (a deny entry falls inside its scope).
     */
    public boolean needsDeliveryFilter(String subject) {
        if (subscribeDeny.isEmpty() || !Subjects.hasWildcard(subject)) {
            return false;
        }
        for (Entry deny : subscribeDeny) {
            if (deny.queue == null && Subjects.overlaps(deny.subject, subject)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a message on the literal subject must not be delivered (subscribe deny list).
     * Results are cached; the caller holds the subscriber's lock or is its only deliverer.
     */
    public boolean deniesDelivery(String subject) {
        Boolean cached = deliveryDenyCache.get(subject);
        if (cached != null) {
            return cached;
        }
        boolean denied = matchesPlain(subscribeDeny, subject);
        if (deliveryDenyCache.size() >= CACHE_LIMIT) {
            deliveryDenyCache.clear();
        }
        deliveryDenyCache.put(subject, denied);
        return denied;
    }

    /** {@code allow_responses}, or {@code null}. */
    public ResponsePermission responses() {
        return permissions.responses();
    }

    /** Like nats-server's sublist, a subject with an empty token matches no entry. */
    private static boolean matchesPlain(List<Entry> entries, String subject) {
        if (hasEmptyToken(subject)) {
            return false;
        }
        for (Entry entry : entries) {
            if (entry.queue == null && Subjects.matches(entry.subject, subject)) {
                return true;
            }
        }
        return false;
    }

    /** {@code null} when no queue entry covers the subject; else whether one names this queue. */
    private static Boolean matchesQueue(List<Entry> entries, String subject, String queue) {
        if (hasEmptyToken(subject)) {
            return null;
        }
        Boolean result = null;
        for (Entry entry : entries) {
            if (entry.queue != null && Subjects.matches(entry.subject, subject)) {
                if (Subjects.matches(entry.queue, queue)) {
                    return Boolean.TRUE;
                }
                result = Boolean.FALSE;
            }
        }
        return result;
    }

    private static boolean hasEmptyToken(String subject) {
        return subject.isEmpty() || subject.startsWith(".") || subject.endsWith(".") || subject.contains("..");
    }

    private static List<Entry> compile(List<String> subjects) {
        if (subjects == null) {
            return null;
        }
        List<Entry> entries = new ArrayList<>(subjects.size());
        for (String text : subjects) {
            String trimmed = text.trim();
            int space = indexOfWhitespace(trimmed);
            if (space < 0) {
                entries.add(new Entry(trimmed, null));
            } else {
                entries.add(new Entry(trimmed.substring(0, space), trimmed.substring(space).trim()));
            }
        }
        return entries;
    }

    private static int indexOfWhitespace(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.isWhitespace(text.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private record Entry(String subject, String queue) {
    }
}
