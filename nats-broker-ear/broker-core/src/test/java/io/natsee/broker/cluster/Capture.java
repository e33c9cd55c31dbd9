package io.natsee.broker.cluster;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A route exchange recorded between two Debian nats-server 2.9.10 processes by a TCP proxy on
 * 127.0.0.1 (test resources {@code *.capture}): the reads in order, each as
 * {@code <direction> <length>\n<bytes>}, direction {@code B>A} (dialler to acceptor) or
 * {@code A>B}.
 */
record Capture(List<Chunk> chunks) {

    /** One read the proxy forwarded. */
    record Chunk(String direction, byte[] bytes) {
        String text() {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    static Capture load(String resource) throws IOException {
        byte[] all;
        try (InputStream in = Capture.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            all = in.readAllBytes();
        }
        List<Chunk> chunks = new ArrayList<>();
        int i = 0;
        while (i < all.length) {
            int lineFeed = i;
            while (all[lineFeed] != '\n') {
                lineFeed++;
            }
            String[] header = new String(all, i, lineFeed - i, StandardCharsets.US_ASCII).split(" ");
            int length = Integer.parseInt(header[1]);
            byte[] bytes = new byte[length];
            System.arraycopy(all, lineFeed + 1, bytes, 0, length);
            chunks.add(new Chunk(header[0], bytes));
            i = lineFeed + 1 + length;
        }
        return new Capture(chunks);
    }

    /** Every byte sent in one direction, in order. */
    byte[] stream(String direction) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Chunk chunk : chunks) {
            if (chunk.direction().equals(direction)) {
                out.writeBytes(chunk.bytes());
            }
        }
        return out.toByteArray();
    }

    /** The reads of one direction, as the peer's socket delivered them. */
    List<byte[]> reads(String direction) {
        return chunks.stream().filter(chunk -> chunk.direction().equals(direction)).map(Chunk::bytes).toList();
    }
}
