package io.natsee.admin.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Debian chromium driven by Selenium: login, pages, screenshots at laptop and phone widths. */
final class BrowserTour implements AutoCloseable {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    /**
     * What looks unfinished at a width: the page scrolling sideways, an element sticking out of the
     * window, a control (button, field, link of the top bar or of a table) outside the window or cut
     * off by a scrolling box around it, and a data table that scrolls sideways instead of fitting
     * (a plain table too at laptop width, {@code arguments[0]}). One line per problem.
     */
    private static final String LAYOUT_CHECK = """
            const laptop = arguments[0], problems = [], width = document.documentElement.clientWidth;
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined && String(e.className).trim() ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '');
            const shown = e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
            const boxOf = e => { for (let box = e.parentElement; box && box !== document.body; box = box.parentElement) {
                if (getComputedStyle(box).overflowX !== 'visible') { return box; } } return null; };
            const hiddenOnPurpose = e => e.closest('.skip-link, .visually-hidden, .ui-helper-hidden-accessible, caption') !== null;
            const out = r => r.right > width + 1 || r.left < -1;
            if (document.documentElement.scrollWidth > width + 1) {
              problems.push('the page scrolls sideways (' + document.documentElement.scrollWidth + ' px in ' + width + ' px)');
            }
            for (const e of document.querySelectorAll('body *')) {
              if (!shown(e) || hiddenOnPurpose(e) || boxOf(e)) { continue; }
              const r = e.getBoundingClientRect();
              if (r.width > 0 && out(r) && !(e.parentElement && e.parentElement !== document.body && out(e.parentElement.getBoundingClientRect()))) {
                problems.push(name(e) + ' sticks out of the window (' + Math.round(r.left) + ' to ' + Math.round(r.right) + ' px of ' + width + ')');
              }
            }
            for (const b of document.querySelectorAll('button, input, select, a.ui-button, nav a, td a, th a')) {
              if (!shown(b) || hiddenOnPurpose(b) || b.type === 'hidden') { continue; }
              const r = b.getBoundingClientRect(), label = (b.value || b.textContent || b.id || b.name || '').trim();
              if (out(r)) { problems.push(b.tagName.toLowerCase() + ' ' + label + ' is outside the window'); continue; }
              const box = boxOf(b);
              if (box) {
                const outer = box.getBoundingClientRect();
                if (r.right > outer.right + 1 || r.left < outer.left - 1) { problems.push(b.tagName.toLowerCase() + ' ' + label + ' is cut off by ' + name(box)); }
              }
            }
            for (const t of document.querySelectorAll('.ui-datatable-tablewrapper' + (laptop ? ', table.plain' : ''))) {
              if (shown(t) && t.scrollWidth > t.clientWidth + 1) {
                problems.push('a table scrolls sideways (' + t.scrollWidth + ' px in ' + t.clientWidth + ' px): ' + name(t.closest('[id]') || t));
              }
            }
            return problems;
            """;

    private final java.util.List<String> layoutProblems = new java.util.ArrayList<>();
    private final WebDriver driver;
    private final String base;
    private final Path screenshots;

    /** Whether the system browser and its driver are installed. */
    static boolean available() {
        return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    }

    BrowserTour(String base, Path screenshots) throws Exception {
        this.base = base;
        this.screenshots = Files.createDirectories(screenshots);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toString())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--hide-scrollbars", "--window-size=1366,768");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    }

    WebDriver driver() {
        return driver;
    }

    void open(String path) {
        driver.get(base + path);
    }

    void login(String user, String password) {
        open("");
        driver.findElement(By.id("login:username")).sendKeys(user);
        driver.findElement(By.id("login:password")).sendKeys(password);
        driver.findElement(By.id("login:submit")).click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().contains("login"));
    }

    WebDriverWait await() {
        // the dashboard's figures are re-rendered by every push: an element read a moment ago may be gone
        return (WebDriverWait) new WebDriverWait(driver, Duration.ofSeconds(30))
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    }

    /**
     * Saves the whole page (not only the window) at two laptop widths (1366x768, 1280x800) and a
     * phone's (390x844) as {@code name-1366.png}, {@code name-1280.png}, {@code name-390.png}, and
     * notes what {@link #LAYOUT_CHECK} finds there. Scrollbars take no room (as on phones and in
     * macOS), so the window's width is the page's.
     */
    void screenshots(String name) throws Exception {
        for (int[] size : new int[][] {{1366, 768}, {1280, 800}, {390, 844}}) {
            driver.manage().window().setSize(new Dimension(size[0], size[1]));
            Thread.sleep(300); // let the layout and the charts settle at the new width
            boolean laptop = size[0] >= 1024;
            @SuppressWarnings("unchecked")
            java.util.List<Object> problems = (java.util.List<Object>) ((JavascriptExecutor) driver)
                    .executeScript(LAYOUT_CHECK, laptop);
            for (Object problem : problems) {
                layoutProblems.add(name + " at " + size[0] + " px: " + problem);
            }
            Number height = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight;");
            Number width = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.clientWidth;");
            java.util.Map<String, Object> clip = java.util.Map.of("x", 0, "y", 0, "width", width,
                    "height", Math.min(height.intValue(), 6000), "scale", 1);
            java.util.Map<String, Object> shot = ((ChromeDriver) driver).executeCdpCommand("Page.captureScreenshot",
                    java.util.Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
            Files.write(screenshots.resolve(name + "-" + size[0] + ".png"), java.util.Base64.getDecoder().decode((String) shot.get("data")));
        }
        driver.manage().window().setSize(new Dimension(1366, 768));
    }

    /** Fails with every problem the screenshots so far found, one a line; passes when every page fitted. */
    void assertLayoutFits() {
        if (!layoutProblems.isEmpty()) {
            throw new AssertionError(layoutProblems.size() + " layout problems:\n" + String.join("\n", layoutProblems));
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
