package io.natsee.streaming.compat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the streaming server's monitoring endpoints over HTTP (status and body; numbers by field name). */
final class Monitor {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final int port;

    Monitor(int port) {
        this.port = port;
    }

    /** A GET answer. */
    record Answer(int status, String body) {
        /** The first number given to {@code "field":} in the JSON body, or -1 when absent. */
        long number(String field) {
            Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(-?\\d+)").matcher(body);
            return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
        }

        /** The first boolean given to {@code "field":}, or null when absent. */
        Boolean bool(String field) {
            Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(true|false)").matcher(body);
            return matcher.find() ? Boolean.valueOf(matcher.group(1)) : null;
        }
    }

    Answer get(String pathAndQuery) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + pathAndQuery)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** Polls an endpoint until the answer satisfies the condition or the timeout passes; returns the last answer. */
    Answer await(String pathAndQuery, Duration timeout, Predicate<Answer> condition)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Answer answer = get(pathAndQuery);
        while (!condition.test(answer) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            answer = get(pathAndQuery);
        }
        return answer;
    }
}
