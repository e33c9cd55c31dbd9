package io.natsee.broker.server;

import io.natsee.broker.protocol.PublishedMessage;
import io.natsee.broker.subject.MatchResult;
import io.natsee.broker.subject.Subscription;

/**
 * Delivers one published message to what its subject matched: every plain subscription, and one
 * member of each queue group picked at random (skipping members that cannot take it), a local
 * member before one behind a route, so that each message reaches one member in the whole
 * cluster. Each route with matching interest gets one RMSG naming the queue groups it was picked
 * for. Honours echo: a connection that said {@code echo:false} does not get its own messages.
 * Messages that came from a route are delivered to local clients only (the one-hop rule).
 */
public final class MessageRouter {

    private MessageRouter() {
    }

    /** Returns the number of deliveries made (a route counts once). Runs on the publisher's event loop. */
    static int route(LoopContext loop, Connection publisher, MatchResult match, PublishedMessage message) {
        int delivered = 0;
        boolean noEcho = publisher.noEcho();
        RouteTargets routes = null;
        for (Subscription subscription : match.plain()) {
            Connection target = (Connection) subscription.owner();
            if (target.route) {
                if (routes == null) {
                    routes = loop.routeTargets;
                }
                routes.add(target, null);
                continue;
            }
            if (noEcho && target == publisher) {
                continue;
            }
            if (target.deliver(publisher, subscription, message)) {
                delivered++;
            }
        }
        for (Subscription[] group : match.queues()) {
            int members = group.length;
            int first = members == 1 ? 0 : loop.nextInt(members);
            Connection remote = null;
            boolean done = false;
            for (int k = 0; k < members; k++) {
                Subscription subscription = group[(first + k) % members];
                Connection target = (Connection) subscription.owner();
                if (target.route) {
                    if (remote == null && !target.closed) {
                        remote = target;
                    }
                    continue;
                }
                if (noEcho && target == publisher) {
                    continue;
                }
                if (target.deliver(publisher, subscription, message)) {
                    delivered++;
                    done = true;
                    break;
                }
            }
            if (!done && remote != null) {
                if (routes == null) {
                    routes = loop.routeTargets;
                }
                routes.add(pickRoute(group, remote, loop), group[0].queueName());
            }
        }
        if (routes != null) {
            for (int i = 0; i < routes.count(); i++) {
                if (routes.route(i).forward(publisher, message, routes.queues(i), routes.queueCount(i))) {
                    delivered++;
                }
            }
            routes.clear();
        }
        loop.outMsgs += delivered;
        loop.outBytes += (long) delivered * message.totalLength();
        return delivered;
    }

    /**
     * Delivers a message that came from a route to local clients only: every plain subscription,
     * and one local member of each queue group the route named. Returns the number of deliveries.
     */
    public static int routeFromRoute(Connection route, PublishedMessage message, String[] queues, int queueCount) {
        LoopContext loop = route.loop;
        MatchResult match = loop.matchCache.match(message.arguments(), message.subjectOffset(), message.subjectLength()).result();
        int delivered = 0;
        for (Subscription subscription : match.plain()) {
            Connection target = (Connection) subscription.owner();
            if (target.route) {
                continue;
            }
            if (target.deliver(route, subscription, message)) {
                delivered++;
            }
        }
        if (queueCount > 0) {
            for (Subscription[] group : match.queues()) {
                if (!named(group[0].queue(), queues, queueCount)) {
                    continue;
                }
                int members = group.length;
                int first = members == 1 ? 0 : loop.nextInt(members);
                for (int k = 0; k < members; k++) {
                    Subscription subscription = group[(first + k) % members];
                    Connection target = (Connection) subscription.owner();
                    if (target.route) {
                        continue;
                    }
                    if (target.deliver(route, subscription, message)) {
                        delivered++;
                        break;
                    }
                }
            }
        }
        loop.outMsgs += delivered;
        loop.outBytes += (long) delivered * message.totalLength();
        return delivered;
    }

    /**
     * The route a queue message goes to when no local member took it: one of the group's route
     * members, chosen in proportion to the weight each announced (its number of members), as
     * nats-server 2.9.10 does by counting a remote queue subscription weight times. With a
     * single route member, that one without drawing a number.
     */
    private static Connection pickRoute(Subscription[] group, Connection first, LoopContext loop) {
        Connection chosen = null;
        int total = 0;
        for (Subscription subscription : group) {
            Connection target = (Connection) subscription.owner();
            if (!target.route || target.closed) {
                continue;
            }
            int weight = subscription.weight();
            total += weight;
            if (chosen == null || loop.nextInt(total) < weight) {
                chosen = target;
            }
        }
        return chosen == null ? first : chosen;
    }

    private static boolean named(String queue, String[] queues, int count) {
        for (int i = 0; i < count; i++) {
            if (queues[i].equals(queue)) {
                return true;
            }
        }
        return false;
    }
}
