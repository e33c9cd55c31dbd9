package io.natsee.broker.server;

import io.natsee.broker.subject.MatchResult;
import io.natsee.broker.subject.Subscription;
import java.nio.ByteBuffer;

/**
 * Delivers one published message to what its subject matched: every plain subscription, and one
 * member of each queue group picked at random (skipping members that cannot take it). Honours
 * echo: a connection that said {@code echo:false} does not get its own messages.
 */
final class MessageRouter {

    private MessageRouter() {
    }

    /**
     * Where the size fields of the message being routed are in its arguments buffer, as the
     * client wrote them; a length of 0 means "format the number". One per event loop, reused.
     */
    static final class Sizes {
        /** Sizes that are always formatted (messages the server makes itself). */
        static final Sizes COMPUTED = new Sizes();

        int sizeOffset;
        int sizeLength;
        int headerSizeOffset;
        int headerSizeLength;
    }

    /** Returns the number of deliveries made. Runs on the publisher's event loop. */
    static int route(LoopContext loop, ClientConnection publisher, MatchResult match,
                     ByteBuffer args, int subjectOffset, int subjectLength, int replyOffset, int replyLength,
                     ByteBuffer payload, int payloadOffset, int headerLength, int totalLength, Sizes sizes) {
        int delivered = 0;
        boolean noEcho = !publisher.echo;
        for (Subscription subscription : match.plain()) {
            ClientConnection target = (ClientConnection) subscription.owner();
            if (noEcho && target == publisher) {
                continue;
            }
            if (target.deliver(publisher, subscription, args, subjectOffset, subjectLength, replyOffset, replyLength,
                    payload, payloadOffset, headerLength, totalLength, sizes)) {
                delivered++;
            }
        }
        for (Subscription[] group : match.queues()) {
            int members = group.length;
            int first = members == 1 ? 0 : loop.nextInt(members);
            for (int k = 0; k < members; k++) {
                Subscription subscription = group[(first + k) % members];
                ClientConnection target = (ClientConnection) subscription.owner();
                if (noEcho && target == publisher) {
                    continue;
                }
                if (target.deliver(publisher, subscription, args, subjectOffset, subjectLength, replyOffset,
                        replyLength, payload, payloadOffset, headerLength, totalLength, sizes)) {
                    delivered++;
                    break;
                }
            }
        }
        loop.outMsgs += delivered;
        loop.outBytes += (long) delivered * totalLength;
        return delivered;
    }
}
