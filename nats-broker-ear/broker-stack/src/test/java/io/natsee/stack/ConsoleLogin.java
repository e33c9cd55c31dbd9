package io.natsee.stack;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Logs in to the stack's admin console over HTTP, as a browser does, and reads a page. */
final class ConsoleLogin {

    private static final Pattern VIEW_STATE = Pattern.compile("name=\"jakarta.faces.ViewState\" id=\"[^\"]*\" value=\"([^\"]*)\"");

    private ConsoleLogin() {
    }

    /**
     * Logs in at {@code base} ({@code http://host:port/admin/}) and returns the dashboard's HTML.
     *
     * @throws AssertionError when the login is refused
     */
    static String dashboard(URI base, String user, String password) throws Exception {
        HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(base).GET().build(), HttpResponse.BodyHandlers.ofString());
        Matcher viewState = VIEW_STATE.matcher(login.body());
        if (!login.uri().getPath().endsWith("/login.xhtml") || !viewState.find()) {
            throw new AssertionError("no login page at " + base + ": " + login.uri());
        }
        String form = "login=login&login%3Ausername=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&login%3Apassword=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&login%3Asubmit=Sign+in&jakarta.faces.ViewState=" + URLEncoder.encode(viewState.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> dashboard = http.send(HttpRequest.newBuilder(base.resolve("login.xhtml"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (dashboard.uri().getPath().endsWith("/login.xhtml")) {
            throw new AssertionError("login as " + user + " refused");
        }
        return dashboard.body();
    }
}
