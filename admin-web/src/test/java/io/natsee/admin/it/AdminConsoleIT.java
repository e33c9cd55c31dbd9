package io.natsee.admin.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.natsee.admin.security.PasswordHash;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The console WAR, as built, inside Payara Micro 6.2025.10, reading a real broker's monitoring
 * port in the test JVM, driven over HTTP as a browser would: login, the pages, the live push,
 * who may close a connection.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class AdminConsoleIT {

    private static final int MONITOR_PORT = Integer.getInteger("it.monitor.port", 18222);
    private static final String TOKEN = "it-close-token";
    private static final Pattern CLOSE_BUTTON = Pattern.compile("name=\"(connections:table:\\d+:close)\"");

    private static final int STREAMING_PORT = Integer.getInteger("it.streaming.port", 18223);
    private static MonitoredBroker broker;
    private static MonitoredStreaming streaming;
    private static io.natsee.admin.NatsServerCluster cluster;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive console() {
        return ShrinkWrap.createFromZipFile(WebArchive.class, new File(System.getProperty("it.war", "target/natsee-admin.war")));
    }

    @BeforeAll
    static void brokerAndUsers() throws Exception {
        broker = new MonitoredBroker(MONITOR_PORT, TOKEN);
        streaming = new MonitoredStreaming(broker.natsUrl(), STREAMING_PORT, TOKEN);
        streaming.fill(broker.natsUrl(), "orders", 12);
        if (io.natsee.admin.NatsServerCluster.available()) {
            // Three Debian nats-servers in a mesh, on the monitoring ports the console was configured with (a, b, c).
            java.util.List<Integer> ports = new java.util.ArrayList<>();
            for (String port : System.getProperty("it.cluster.ports", "0,0,0").split(",")) {
                ports.add(Integer.parseInt(port.trim()));
            }
            cluster = new io.natsee.admin.NatsServerCluster("it-mesh", ports);
        }
        Path users = Path.of(System.getProperty("it.directory", "target/it"), "users.txt");
        Files.writeString(users, "# written by AdminConsoleIT\n"
                + "op natsee-operator " + PasswordHash.hash("op-password".toCharArray()) + "\n"
                + "view natsee-viewer " + PasswordHash.hash("view-password".toCharArray()) + "\n", StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopBroker() throws InterruptedException {
        if (cluster != null) {
            cluster.close();
        }
        if (streaming != null) {
            streaming.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private ConsoleSession session() throws Exception {
        return new ConsoleSession(base.toURI());
    }

    private ConsoleSession loggedIn(String user, String password) throws Exception {
        ConsoleSession session = session();
        HttpResponse<String> answer = session.login(user, password);
        assertEquals(302, answer.statusCode(), answer.body());
        assertFalse(answer.headers().firstValue("Location").orElseThrow().contains("login"));
        return session;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(250);
        }
    }

    private static String page(ConsoleSession session, String path) {
        try {
            HttpResponse<String> answer = session.open(path);
            assertEquals(200, answer.statusCode(), path);
            return answer.body();
        } catch (Exception e) {
            throw new AssertionError(path + ": " + e, e);
        }
    }

    private static String text(String page, String id) {
        Matcher matcher = Pattern.compile("id=\"" + Pattern.quote(id) + "\">([^<]*)<").matcher(page);
        return matcher.find() ? matcher.group(1) : null;
    }

    @Test
    void nothingButTheLoginPageAndItsResourcesIsReachableWithoutLogin() throws Exception {
        ConsoleSession anonymous = session();
        for (String path : new String[] {"", "index.xhtml", "connections.xhtml", "subscriptions.xhtml", "cluster.xhtml",
                "streaming.xhtml", "configuration.xhtml", "jakarta.faces.push/stats"}) {
            HttpResponse<String> answer = anonymous.get(path);
            assertEquals(302, answer.statusCode(), "/" + path + " without login");
            assertTrue(answer.headers().firstValue("Location").orElseThrow().endsWith("/login.xhtml"), path);
        }
        HttpResponse<String> login = anonymous.get("login.xhtml");
        assertEquals(200, login.statusCode());
        assertTrue(login.body().contains("<label for=\"login:username\""), "the fields are labelled");
        ConsoleSession fresh = session();
        java.util.List<String> setCookies = new java.util.ArrayList<>(fresh.get("index.xhtml").headers().allValues("Set-Cookie"));
        setCookies.addAll(fresh.get("login.xhtml").headers().allValues("Set-Cookie"));
        String cookie = setCookies.stream().filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElse("");
        assertTrue(cookie.contains("HttpOnly"), "the session cookie: " + cookie);
        // Payara takes SameSite from glassfish-web.xml (cookieSameSite), not from SessionCookieConfig.setAttribute.
        assertEquals(1, countOf(cookie, "SameSite="), "one SameSite attribute: " + cookie);
        assertTrue(cookie.toLowerCase(java.util.Locale.ROOT).contains("samesite=strict"), "the session cookie: " + cookie); // Payara writes "strict"
        assertEquals(200, anonymous.get("jakarta.faces.resource/admin/css/admin.css.xhtml").statusCode());

        HttpResponse<String> wrong = session().login("op", "not-the-password");
        assertEquals(200, wrong.statusCode());
        assertTrue(wrong.body().contains("Wrong user name or password."));
    }

    @Test
    void anOperatorSeesTheDashboardWithTheBrokersFiguresAndTheyMove() throws Exception {
        ConsoleSession operator = loggedIn("op", "op-password");
        await("the dashboard shows the broker", () -> "it-broker".equals(text(page(operator, ""), "server-name")));
        String dashboard = page(operator, "");
        assertEquals(broker.broker().serverId(), text(dashboard, "server-id"));
        assertTrue(dashboard.contains("<h1>Dashboard</h1>"));
        assertTrue(dashboard.contains("PrimeFaces.cw(\"Chart\""), "the charts are drawn");
        assertTrue(dashboard.contains("faces.push.init("), "the page listens for pushes");

        try (Connection nc = Nats.connect(broker.natsUrl())) {
            for (int i = 0; i < 500; i++) {
                nc.publish("it.load", "x".getBytes(StandardCharsets.UTF_8));
            }
            nc.flush(Duration.ofSeconds(5));
            // The broker counts every test's messages (and the streaming server's); the page must show the figure
            // the broker has now, these 500 included.
            long atLeast = broker.broker().statistics().inMsgs();
            io.natsee.admin.view.Formats formats = new io.natsee.admin.view.Formats();
            await("the connections and the messages are counted (at least " + atLeast + ")",
                    () -> {
                        String now = page(operator, "");
                        String connections = String.valueOf(broker.broker().monitor().varz().connections());
                        long inMsgs = broker.broker().statistics().inMsgs();
                        return inMsgs >= atLeast && connections.equals(text(now, "connections"))
                                && formats.count(inMsgs).equals(text(now, "in-msgs"));
                    });
        }
    }

    @Test
    void liveFiguresArePushedOverTheFacesWebsocket() throws Exception {
        ConsoleSession operator = loggedIn("op", "op-password");
        String dashboard = page(operator, "");
        Matcher push = Pattern.compile("faces\\.push\\.init\\('[^']*','(ws://[^']*)'").matcher(dashboard);
        assertTrue(push.find(), "the push URL is in the page");
        CompletableFuture<String> message = new CompletableFuture<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Cookie", "JSESSIONID=" + operator.sessionId())
                .buildAsync(URI.create(push.group(1)), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        message.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            assertEquals("{\"data\":\"tick\"}", message.get(15, TimeUnit.SECONDS));
        } finally {
            socket.abort();
        }
    }

    @Test
    void everyPageRendersForAViewer() throws Exception {
        ConsoleSession viewer = loggedIn("view", "view-password");
        try (Connection nc = Nats.connect(new Options.Builder().server(broker.natsUrl()).connectionName("listed").build())) {
            nc.subscribe("orders.*");
            nc.flush(Duration.ofSeconds(5));
            await("the connection is listed", () -> page(viewer, "connections.xhtml").contains("listed"));
            String subscriptions = page(viewer, "subscriptions.xhtml");
            assertTrue(subscriptions.contains("orders.*"));
            String clusterPage = page(viewer, "cluster.xhtml");
            if (cluster != null) {
                for (String name : new String[] {"it-mesh-a", "it-mesh-b", "it-mesh-c"}) {
                    assertTrue(clusterPage.contains(">" + name + "</text>"), name + " is drawn");
                }
                assertEquals(3, countOf(clusterPage, "class=\"mesh-route\""), "it, a, b, c: the three routes of the mesh and none to it");
                assertEquals(4, countOf(clusterPage, "class=\"mesh-node watched\""));
            }
            String streamingPage = page(viewer, "streaming.xhtml");
            assertTrue(streamingPage.contains(MonitoredStreaming.CLUSTER), "the streaming server is shown");
            assertTrue(streamingPage.contains(">orders</span>"), "its channel is listed");
            assertFalse(streamingPage.contains("Delete orders"), "no delete button for a viewer");
            String configuration = page(viewer, "configuration.xhtml");
            assertTrue(configuration.contains("max_payload"));
            assertTrue(page(viewer, "").contains("read-only"));
        }
    }

    @Test
    void aViewerCannotCloseAConnectionAndAnOperatorCan() throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        Options options = new Options.Builder().server(broker.natsUrl()).connectionName("victim").noReconnect()
                .connectionListener((connection, event) -> {
                    if (event == ConnectionListener.Events.CLOSED || event == ConnectionListener.Events.DISCONNECTED) {
                        closed.countDown();
                    }
                }).build();
        try (Connection victim = Nats.connect(options)) {
            victim.flush(Duration.ofSeconds(5));

            ConsoleSession viewer = loggedIn("view", "view-password");
            await("the viewer sees the victim", () -> page(viewer, "connections.xhtml").contains("victim"));
            String viewerPage = page(viewer, "connections.xhtml");
            assertFalse(CLOSE_BUTTON.matcher(viewerPage).find(), "no close button for a viewer");
            HttpResponse<String> forged = viewer.post("connections.xhtml", closeForm("connections:table:0:close", ConsoleSession.viewState(viewerPage)));
            assertEquals(200, forged.statusCode());
            assertFalse(closed.await(2, TimeUnit.SECONDS), "a viewer's forged close did nothing");
            assertEquals(Connection.Status.CONNECTED, victim.getStatus());

            ConsoleSession operator = loggedIn("op", "op-password");
            String operatorPage = page(operator, "connections.xhtml");
            // the victim's row (the streaming server and its test client are connected too)
            Matcher button = null;
            for (String row : operatorPage.split("<tr")) {
                Matcher inRow = CLOSE_BUTTON.matcher(row);
                if (row.contains("victim") && inRow.find()) {
                    button = inRow;
                }
            }
            assertTrue(button != null, "an operator has a close button on the victim's row");

            HttpResponse<String> csrf = operator.post("connections.xhtml", closeForm(button.group(1), "-1:-1"));
            assertFalse(closed.await(2, TimeUnit.SECONDS), "a POST without the page's view state closes nothing (" + csrf.statusCode() + ")");

            HttpResponse<String> done = operator.post("connections.xhtml", closeForm(button.group(1), ConsoleSession.viewState(operatorPage)));
            assertEquals(200, done.statusCode());
            assertTrue(done.body().contains("is being closed"), done.body());
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the client was disconnected");
        }
    }

    @Test
    void inARealBrowserTheDashboardMovesByPushAndEveryPageIsPhotographed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(BrowserTour.available(), "chromium and chromedriver are not installed");
        Path screenshots = Path.of(System.getProperty("it.screenshots", "target/screenshots"));
        try (BrowserTour browser = new BrowserTour(base.toString(), screenshots)) {
            browser.open("");
            assertTrue(browser.driver().getCurrentUrl().contains("login.xhtml"));
            browser.screenshots("login");
            browser.login("op", "op-password");
            org.openqa.selenium.WebDriver driver = browser.driver();
            browser.await().until(d -> "it-broker".equals(d.findElements(org.openqa.selenium.By.id("server-name")).stream()
                    .findFirst().map(org.openqa.selenium.WebElement::getText).orElse("")));
            String before = browser.await().until(d -> d.findElement(org.openqa.selenium.By.id("in-msgs")).getText());
            Object marker = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return window.natseeMarker = Math.random();");
            try (Connection nc = Nats.connect(new Options.Builder().server(broker.natsUrl()).connectionName("browser-load").build())) {
                for (int i = 0; i < 250; i++) {
                    nc.publish("it.browser", "x".getBytes(StandardCharsets.UTF_8));
                }
                nc.flush(Duration.ofSeconds(5));
                browser.await().until(d -> !before.equals(d.findElement(org.openqa.selenium.By.id("in-msgs")).getText()));
                assertEquals(marker, ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return window.natseeMarker;"),
                        "the figures moved without a page reload");
                browser.screenshots("dashboard");
                for (String page : new String[] {"connections", "subscriptions", "cluster", "streaming", "configuration"}) {
                    browser.open(page + ".xhtml");
                    assertEquals(1, driver.findElements(org.openqa.selenium.By.tagName("h1")).size(), page);
                    browser.screenshots(page);
                }
                browser.open("connections.xhtml");
                assertTrue(driver.getPageSource().contains("browser-load"));
            }
            browser.assertLayoutFits();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE) // last: it blocks this address's logins for a minute
    void afterFiveFailedSignInsTheFormAnswers429AndChecksNoPassword() throws Exception {
        int failures = 0;
        HttpResponse<String> answer = session().login("mallory", "guess0");
        while (answer.statusCode() != 429) {
            assertEquals(200, answer.statusCode());
            assertTrue(answer.body().contains("Wrong user name or password."));
            failures++;
            assertTrue(failures <= 5, "refused after five failures at most");
            answer = session().login("mallory", "guess" + failures);
        }
        assertTrue(failures >= 4, "not before four or five failures (one earlier test signs in wrongly once): " + failures);
        assertTrue(answer.body().contains("Too many failed sign-ins from this address or for this user. Try again in"), answer.body());
        long retryAfter = Long.parseLong(answer.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 60, "Retry-After " + retryAfter);
        assertEquals(429, session().login("op", "op-password").statusCode(), "from this address, not even the right password is checked");
    }

    /**
     * Measurements, off by default ({@code -Pconsole-measure} sets {@code it.measure.connections}):
     * the connections page with that many idle client connections (from a process of their own),
     * and what the console's sampling and an open dashboard cost the broker in monitoring requests.
     */
    @Test
    @org.junit.jupiter.api.Order(Integer.MAX_VALUE - 1)
    void measureTheConnectionsPageWithManyConnectionsAndTheDashboardsRequests() throws Exception {
        int count = Integer.getInteger("it.measure.connections", 0);
        org.junit.jupiter.api.Assumptions.assumeTrue(count > 0, "measurements run with -Pconsole-measure");
        ConsoleSession operator = loggedIn("op", "op-password");
        page(operator, "connections.xhtml");
        Path classes = Path.of(ConnectionFlood.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Process flood = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-cp", classes.toString(), ConnectionFlood.class.getName(), "127.0.0.1", Integer.toString(broker.broker().port()),
                Integer.toString(count), "600").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(flood.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertEquals("connected " + count, line);
            await("the broker has the connections", () -> broker.broker().monitor().varz().connections() >= count);
            HttpClient http = HttpClient.newHttpClient();
            URI connz = URI.create(broker.monitorUrl() + "/connz?sort=cid&state=open&offset=0&limit=25");
            URI connzByBytes = URI.create(broker.monitorUrl() + "/connz?sort=bytes_to&state=open&offset=0&limit=25");
            URI connzAll = URI.create(broker.monitorUrl() + "/connz?limit=" + count);
            for (int i = 0; i < 5; i++) { // warm-up
                page(operator, "connections.xhtml");
                http.send(java.net.http.HttpRequest.newBuilder(connz).build(), HttpResponse.BodyHandlers.discarding());
            }
            long[] pageNanos = new long[20];
            long[] connzNanos = new long[20];
            long[] sortedNanos = new long[20];
            String rendered = null;
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                rendered = page(operator, "connections.xhtml");
                pageNanos[i] = System.nanoTime() - start;
                start = System.nanoTime();
                http.send(java.net.http.HttpRequest.newBuilder(connz).build(), HttpResponse.BodyHandlers.discarding());
                connzNanos[i] = System.nanoTime() - start;
                start = System.nanoTime();
                http.send(java.net.http.HttpRequest.newBuilder(connzByBytes).build(), HttpResponse.BodyHandlers.discarding());
                sortedNanos[i] = System.nanoTime() - start;
            }
            assertTrue(rendered.contains("flood"), "the page lists the flood's connections");
            long start = System.nanoTime();
            HttpResponse<byte[]> all = http.send(java.net.http.HttpRequest.newBuilder(connzAll).build(), HttpResponse.BodyHandlers.ofByteArray());
            long allNanos = System.nanoTime() - start;
            System.out.printf("MEASURE connections=%d%n", count);
            System.out.printf("MEASURE connections.xhtml (console in Payara Micro, 25 rows): median %.1f ms, p90 %.1f ms%n",
                    median(pageNanos), percentile(pageNanos, 90));
            System.out.printf("MEASURE broker /connz limit=25 sort=cid: median %.1f ms; sort=bytes_to: median %.1f ms%n",
                    median(connzNanos), median(sortedNanos));
            System.out.printf("MEASURE broker /connz limit=%d (every connection): %.1f ms, %d bytes%n", count, allNanos / 1e6, all.body().length);
        } finally {
            flood.getOutputStream().close();
            if (!flood.waitFor(20, TimeUnit.SECONDS)) {
                flood.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        await("the flood's connections are gone", () -> broker.broker().monitor().varz().connections() < count);

        // The console's cost to the broker: monitoring requests while nobody looks, then with a dashboard open.
        long idle = varzRequestsOver(Duration.ofSeconds(20));
        long withDashboard;
        org.junit.jupiter.api.Assumptions.assumeTrue(BrowserTour.available(), "chromium and chromedriver are not installed");
        try (BrowserTour browser = new BrowserTour(base.toString(), Path.of(System.getProperty("it.screenshots", "target/screenshots")))) {
            browser.login("op", "op-password");
            browser.await().until(d -> !d.findElements(org.openqa.selenium.By.id("in-msgs")).isEmpty());
            withDashboard = varzRequestsOver(Duration.ofSeconds(20));
        }
        HttpClient http = HttpClient.newHttpClient();
        URI varz = URI.create(broker.monitorUrl() + "/varz");
        long[] varzNanos = new long[200];
        for (int i = 0; i < varzNanos.length; i++) {
            long start = System.nanoTime();
            http.send(java.net.http.HttpRequest.newBuilder(varz).build(), HttpResponse.BodyHandlers.discarding());
            varzNanos[i] = System.nanoTime() - start;
        }
        System.out.printf("MEASURE broker /varz requests per second: console sampling alone %.2f, with one dashboard open %.2f; one /varz: median %.2f ms%n",
                idle / 20.0, withDashboard / 20.0, median(varzNanos));
    }

    /** How many {@code /varz} requests the broker served during the period. */
    private static long varzRequestsOver(Duration period) throws InterruptedException {
        long before = broker.broker().monitor().varz().httpRequestStats().getOrDefault("/varz", 0L);
        Thread.sleep(period.toMillis());
        return broker.broker().monitor().varz().httpRequestStats().getOrDefault("/varz", 0L) - before;
    }

    private static double median(long[] nanos) {
        return percentile(nanos, 50);
    }

    private static double percentile(long[] nanos, int percent) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percent / 100)] / 1e6;
    }

    private static int countOf(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }

    @Test
    void aViewerCannotDeleteAChannelEvenByAForgedRequestAndAnOperatorDeletesItInTheBrowser() throws Exception {
        streaming.fill(broker.natsUrl(), "doomed", 5);
        assertTrue(streaming.hasChannel("doomed"));
        ConsoleSession viewer = loggedIn("view", "view-password");
        String viewerPage = page(viewer, "streaming.xhtml");
        assertTrue(viewerPage.contains(">doomed</span>"));
        // What an operator's delete button would post for the first rows, with the viewer's own view state.
        for (int row = 0; row < 3; row++) {
            String button = "streaming:channels:" + row + ":delete";
            Map<String, String> form = new LinkedHashMap<>();
            form.put("jakarta.faces.partial.ajax", "true");
            form.put("jakarta.faces.source", button);
            form.put("jakarta.faces.partial.execute", button);
            form.put("jakarta.faces.partial.render", "streaming");
            form.put(button, button);
            form.put("streaming", "streaming");
            form.put("jakarta.faces.ViewState", ConsoleSession.viewState(viewerPage));
            HttpResponse<String> forged = viewer.post("streaming.xhtml", form);
            assertEquals(200, forged.statusCode());
        }
        assertTrue(streaming.hasChannel("doomed"), "a viewer's forged delete did nothing");
        assertTrue(streaming.hasChannel("orders"), "a viewer's forged delete did nothing");

        org.junit.jupiter.api.Assumptions.assumeTrue(BrowserTour.available(), "chromium and chromedriver are not installed");
        Path screenshots = Path.of(System.getProperty("it.screenshots", "target/screenshots"));
        try (BrowserTour browser = new BrowserTour(base.toString(), screenshots)) {
            browser.login("op", "op-password");
            browser.open("streaming.xhtml");
            org.openqa.selenium.WebDriver driver = browser.driver();
            driver.findElement(org.openqa.selenium.By.cssSelector("[aria-label='Delete doomed']")).click();
            org.openqa.selenium.WebElement yes = browser.await().until(d -> {
                org.openqa.selenium.WebElement button = d.findElement(org.openqa.selenium.By.id("streaming:confirm-yes"));
                return button.isDisplayed() ? button : null;
            });
            String question = driver.findElement(org.openqa.selenium.By.cssSelector(".ui-confirm-dialog-message")).getText();
            assertTrue(question.contains("Delete channel doomed with its 5 messages? Its 1 subscriptions end"), question);
            browser.screenshots("streaming-delete-confirm");
            yes.click();
            browser.await().until(d -> d.getPageSource().contains("Channel doomed was deleted; 1 subscriptions ended."));
            assertFalse(streaming.hasChannel("doomed"), "the streaming server deleted the channel");
            assertTrue(streaming.hasChannel("orders"), "and only that one");
            assertFalse(driver.getPageSource().contains(">doomed</span>"), "the table was read again");
            browser.screenshots("streaming-deleted");
            browser.assertLayoutFits();
        }
    }

    /** A client named {@code name} with {@code subscriptions} subscriptions, flushed so the broker lists it. */
    private static Connection client(String name, int subscriptions, ConnectionListener listener) throws Exception {
        Options.Builder options = new Options.Builder().server(broker.natsUrl()).connectionName(name).noReconnect();
        if (listener != null) {
            options.connectionListener(listener);
        }
        Connection nc = Nats.connect(options.build());
        for (int i = 0; i < subscriptions; i++) {
            nc.subscribe(name + "." + i);
        }
        nc.flush(Duration.ofSeconds(5));
        return nc;
    }

    /** The rows of the connections table as the browser shows them: client name, then each cell's text. */
    private static java.util.List<java.util.List<String>> connectionRows(org.openqa.selenium.WebDriver driver) {
        java.util.List<java.util.List<String>> rows = new java.util.ArrayList<>();
        for (org.openqa.selenium.WebElement row : driver.findElements(org.openqa.selenium.By.cssSelector("[id='connections:table_data'] > tr"))) {
            java.util.List<String> cells = new java.util.ArrayList<>();
            java.util.List<org.openqa.selenium.WebElement> names = row.findElements(org.openqa.selenium.By.cssSelector(".client-name"));
            cells.add(names.isEmpty() ? "" : names.get(0).getText());
            for (org.openqa.selenium.WebElement cell : row.findElements(org.openqa.selenium.By.tagName("td"))) {
                cells.add(cell.getText().trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The names of the rows, in the table's order, that start with {@code prefix}. */
    private static java.util.List<String> namesStartingWith(org.openqa.selenium.WebDriver driver, String prefix) {
        return connectionRows(driver).stream().map(row -> row.get(0)).filter(name -> name.startsWith(prefix)).toList();
    }

    @Test
    void inARealBrowserAnOperatorSortsFiltersAndClosesConnectionsAndBrowsesAChannel() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(BrowserTour.available(), "chromium and chromedriver are not installed");
        streaming.fill(broker.natsUrl(), "browsed", 7);
        CountDownLatch disconnected = new CountDownLatch(1);
        // connected in this order, so the connection ids are not in the order of the subscription counts
        try (Connection one = client("sort-one", 1, null); Connection three = client("sort-three", 3, null);
                Connection two = client("sort-two", 2, null);
                Connection victim = client("sort-victim", 0, (connection, event) -> {
                    if (event == ConnectionListener.Events.CLOSED || event == ConnectionListener.Events.DISCONNECTED) {
                        disconnected.countDown();
                    }
                });
                BrowserTour browser = new BrowserTour(base.toString(), Path.of(System.getProperty("it.screenshots", "target/screenshots")))) {
            org.openqa.selenium.WebDriver driver = browser.driver();
            browser.login("op", "op-password");
            browser.open("connections.xhtml");
            assertEquals(java.util.List.of("sort-one", "sort-three", "sort-two", "sort-victim"), namesStartingWith(driver, "sort-"),
                    "by connection id at first");

            // Sort by subscriptions: fewest first on the first click, most first on the second, as the header's arrow says.
            java.util.function.Supplier<org.openqa.selenium.WebElement> subsHeader = () -> driver.findElements(
                    org.openqa.selenium.By.cssSelector("[id='connections:table'] th.ui-sortable-column")).stream()
                    .filter(th -> th.getText().contains("Subs")).findFirst().orElseThrow();
            subsHeader.get().click();
            browser.await().until(d -> namesStartingWith(d, "sort-").equals(java.util.List.of("sort-victim", "sort-one", "sort-two", "sort-three")));
            assertEquals("ascending", subsHeader.get().getAttribute("aria-sort"));
            java.util.List<Long> subs = connectionRows(driver).stream().map(row -> Long.parseLong(row.get(5))).toList();
            for (int i = 1; i < subs.size(); i++) {
                assertTrue(subs.get(i - 1) <= subs.get(i), "the Subs column goes up: " + subs);
            }
            subsHeader.get().click();
            browser.await().until(d -> namesStartingWith(d, "sort-").equals(java.util.List.of("sort-three", "sort-two", "sort-one", "sort-victim")));
            assertEquals("descending", subsHeader.get().getAttribute("aria-sort"));
            subs = connectionRows(driver).stream().map(row -> Long.parseLong(row.get(5))).toList();
            for (int i = 1; i < subs.size(); i++) {
                assertTrue(subs.get(i - 1) >= subs.get(i), "the Subs column goes down: " + subs);
            }
            browser.screenshots("connections-sorted");

            // Filter by the connection id of sort-two: only its row is left; Clear brings the others back.
            String cid = connectionRows(driver).stream().filter(row -> row.get(0).equals("sort-two")).findFirst().orElseThrow().get(1);
            driver.findElement(org.openqa.selenium.By.id("connections:cid")).sendKeys(cid);
            driver.findElement(org.openqa.selenium.By.id("connections:apply")).click();
            browser.await().until(d -> connectionRows(d).size() == 1);
            assertEquals("sort-two", connectionRows(driver).get(0).get(0));
            browser.screenshots("connections-filtered");
            // the paginator counts what the filter left (the table's header is written before the rows are read)
            assertEquals("1\u20131 of 1", driver.findElement(org.openqa.selenium.By.cssSelector("[id='connections:table'] .ui-paginator-current")).getText());
            driver.findElement(org.openqa.selenium.By.id("connections:clear")).click();
            browser.await().until(d -> namesStartingWith(d, "sort-").size() == 4);

            // Close sort-victim: the browser asks first, then the client finds itself disconnected.
            String victimCid = connectionRows(driver).stream().filter(row -> row.get(0).equals("sort-victim")).findFirst().orElseThrow().get(1);
            driver.findElement(org.openqa.selenium.By.cssSelector("input[aria-label='Close " + victimCid + "']")).click();
            org.openqa.selenium.Alert confirm = browser.await().until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent());
            assertTrue(confirm.getText().contains("The client will be disconnected"), confirm.getText());
            confirm.accept();
            browser.await().until(d -> d.getPageSource().contains("Connection " + victimCid + " is being closed."));
            assertTrue(disconnected.await(10, TimeUnit.SECONDS), "the client was disconnected");
            assertTrue(one.getStatus() == Connection.Status.CONNECTED && two.getStatus() == Connection.Status.CONNECTED
                    && three.getStatus() == Connection.Status.CONNECTED, "and only that client");
            browser.open("connections.xhtml");
            browser.await().until(d -> namesStartingWith(d, "sort-").equals(java.util.List.of("sort-one", "sort-three", "sort-two")));

            // Browse a streaming channel: its figures in the table, its subscriptions under it.
            browser.open("streaming.xhtml");
            driver.findElement(org.openqa.selenium.By.cssSelector("[aria-label='Subscriptions browsed']")).click();
            org.openqa.selenium.WebElement subscriptionsOfChannel = browser.await().until(d -> d.findElements(
                    org.openqa.selenium.By.cssSelector("[id='streaming:channel'] table.plain")).stream().findFirst().orElse(null));
            assertTrue(subscriptionsOfChannel.getText().contains("Subscriptions of browsed"), subscriptionsOfChannel.getText());
            java.util.List<org.openqa.selenium.WebElement> subscriptionRows = subscriptionsOfChannel.findElements(org.openqa.selenium.By.cssSelector("tbody tr"));
            assertEquals(1, subscriptionRows.size());
            assertTrue(subscriptionRows.get(0).getText().startsWith("it-streamer"), subscriptionRows.get(0).getText());
            String channelRow = driver.findElements(org.openqa.selenium.By.cssSelector("[id='streaming:channels_data'] > tr")).stream()
                    .map(org.openqa.selenium.WebElement::getText).filter(text -> text.startsWith("browsed")).findFirst().orElseThrow();
            assertTrue(channelRow.matches("(?s)browsed\\s+7\\s.*"), "seven messages: " + channelRow);
            browser.screenshots("streaming-browsed");
            browser.assertLayoutFits();
        }
    }

    @Test
    void inARealBrowserAViewerSeesTheConnectionsAndChannelsButNoCloseOrDeleteButton() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(BrowserTour.available(), "chromium and chromedriver are not installed");
        try (Connection watched = client("viewed", 1, null);
                BrowserTour browser = new BrowserTour(base.toString(), Path.of(System.getProperty("it.screenshots", "target/screenshots")))) {
            org.openqa.selenium.WebDriver driver = browser.driver();
            browser.login("view", "view-password");
            browser.open("connections.xhtml");
            browser.await().until(d -> namesStartingWith(d, "viewed").size() == 1);
            assertFalse(driver.findElements(org.openqa.selenium.By.cssSelector("[id='connections:table_data'] input[value='Details']")).isEmpty(),
                    "a viewer may look at a connection's details");
            assertEquals(java.util.List.of(), driver.findElements(org.openqa.selenium.By.cssSelector("[id='connections:table_data'] input[value='Close']")),
                    "but has no close button");
            browser.screenshots("connections-viewer");
            browser.open("streaming.xhtml");
            assertFalse(driver.findElements(org.openqa.selenium.By.cssSelector("[aria-label='Subscriptions orders']")).isEmpty());
            assertEquals(java.util.List.of(), driver.findElements(org.openqa.selenium.By.cssSelector("[aria-label^='Delete ']")), "no delete button");
            browser.assertLayoutFits();
            assertEquals(Connection.Status.CONNECTED, watched.getStatus());
        }
    }

    private static Map<String, String> closeForm(String button, String viewState) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("connections", "connections");
        form.put("connections:state", "open");
        form.put(button, "Close");
        form.put("jakarta.faces.ViewState", viewState);
        return form;
    }
}
