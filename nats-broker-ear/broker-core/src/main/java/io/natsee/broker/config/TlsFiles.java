package io.natsee.broker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks nats-server makes on TLS files when it reads its configuration (and its
 * {@code --tls*} flags): the certificate, key and CA files exist, can be read and hold PEM
 * blocks of the right kind, with nats-server's error texts. Whether the key belongs to the
 * certificate and the certificates parse is checked when the TLS context is built.
 * Paths are used as given: relative ones resolve against the working directory, as in
 * nats-server.
 */
public final class TlsFiles {

    private static final Pattern PEM_BEGIN = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----");
    private static final String PAIR = "error parsing X509 certificate/key pair: ";

    private TlsFiles() {
    }

    /**
     * The first problem nats-server would report for these files, or {@code null} if none.
     *
     * @param caFile {@code null} when no CA file is configured
     */
    public static String problem(Path certFile, Path keyFile, Path caFile) {
        List<String> certificate;
        try {
            certificate = pemLabels(certFile);
        } catch (IOException e) {
            return PAIR + openError(certFile, e);
        }
        if (certificate.isEmpty()) {
            return PAIR + "tls: failed to find any PEM data in certificate input";
        }
        if (!certificate.contains("CERTIFICATE")) {
            return PAIR + (certificate.stream().anyMatch(label -> label.endsWith("PRIVATE KEY"))
                    ? "tls: failed to find certificate PEM data in certificate input, but did find a private key;"
                    + " PEM inputs may have been switched"
                    : "tls: failed to find \"CERTIFICATE\" PEM block in certificate input");
        }
        List<String> key;
        try {
            key = pemLabels(keyFile);
        } catch (IOException e) {
            return PAIR + openError(keyFile, e);
        }
        if (key.isEmpty()) {
            return PAIR + "tls: failed to find any PEM data in key input";
        }
        if (key.stream().noneMatch(label -> label.endsWith("PRIVATE KEY"))) {
            return PAIR + (key.contains("CERTIFICATE")
                    ? "tls: found a certificate rather than a key in the PEM for the private key"
                    : "tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input");
        }
        if (caFile != null) {
            List<String> authorities;
            try {
                authorities = pemLabels(caFile);
            } catch (IOException e) {
                return openError(caFile, e);
            }
            if (!authorities.contains("CERTIFICATE")) {
                return "failed to parse root ca certificate";
            }
        }
        return null;
    }

    private static List<String> pemLabels(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<String> labels = new ArrayList<>();
        Matcher begin = PEM_BEGIN.matcher(text);
        while (begin.find()) {
            labels.add(begin.group(1));
        }
        return labels;
    }

    /** Go's {@code open <file>: <reason>} for a file that cannot be read. */
    private static String openError(Path file, IOException e) {
        String reason;
        if (e instanceof NoSuchFileException) {
            reason = "no such file or directory";
        } else if (e instanceof AccessDeniedException) {
            reason = "permission denied";
        } else if (Files.isDirectory(file)) {
            reason = "is a directory";
        } else {
            reason = e.getMessage();
        }
        return "open " + file + ": " + reason;
    }
}
