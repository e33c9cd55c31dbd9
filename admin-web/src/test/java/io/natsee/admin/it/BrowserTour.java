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
     * What looks unfinished at a width: the page scrolling sideways, a button cut off by the window
     * or by a scrolling box around it, and (at laptop width, {@code arguments[0]}) a table that
     * scrolls sideways instead of fitting.
     */
    private static final String LAYOUT_CHECK = """
            const laptop = arguments[0], problems = [], width = document.documentElement.clientWidth;
            const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && e.className.baseVal === undefined ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '');
            if (document.documentElement.scrollWidth > width + 1) {
              let widest = null;
              for (const e of document.querySelectorAll('body *')) {
                const right = e.getBoundingClientRect().right;
                if (right > width + 1 && (!widest || right > widest.right)) { widest = {right: right, name: name(e)}; }
              }
              problems.push('the page scrolls sideways (' + document.documentElement.scrollWidth + ' px in ' + width + ' px), widest: ' + (widest ? widest.name : '?'));
            }
            for (const b of document.querySelectorAll('button, input[type=submit], a.ui-button')) {
              if (!b.offsetParent) { continue; }
              const r = b.getBoundingClientRect();
              if (r.right > width + 1 || r.left < -1) { problems.push('button ' + (b.value || b.textContent).trim() + ' is outside the window'); continue; }
              for (let box = b.parentElement; box && box !== document.body; box = box.parentElement) {
                if (getComputedStyle(box).overflowX !== 'visible') {
                  const outer = box.getBoundingClientRect();
                  if (r.right > outer.right + 1 || r.left < outer.left - 1) { problems.push('button ' + (b.value || b.textContent).trim() + ' is cut off by ' + name(box)); }
                  break;
                }
              }
            }
            if (laptop) {
              for (const t of document.querySelectorAll('.ui-datatable-tablewrapper, .table-scroll')) {
                if (t.scrollWidth > t.clientWidth + 1) { problems.push('a table scrolls sideways: ' + name(t.closest('[id]') || t)); }
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
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1366,900");
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
     * Saves the whole page (not only the window) at laptop (1366 px) and phone (390 px) width as
     * {@code name-laptop.png}, {@code name-phone.png}, and notes what {@link #LAYOUT_CHECK} finds there.
     */
    void screenshots(String name) throws Exception {
        for (Object[] size : new Object[][] {{"laptop", 1366, 900}, {"phone", 390, 844}}) {
            driver.manage().window().setSize(new Dimension((Integer) size[1], (Integer) size[2]));
            Thread.sleep(300); // let the layout and the charts settle at the new width
            @SuppressWarnings("unchecked")
            java.util.List<Object> problems = (java.util.List<Object>) ((JavascriptExecutor) driver)
                    .executeScript(LAYOUT_CHECK, "laptop".equals(size[0]));
            for (Object problem : problems) {
                layoutProblems.add(name + " at " + size[0] + " width: " + problem);
            }
            Number height = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight;");
            Number width = (Number) ((JavascriptExecutor) driver).executeScript("return document.documentElement.clientWidth;");
            java.util.Map<String, Object> clip = java.util.Map.of("x", 0, "y", 0, "width", width,
                    "height", Math.min(height.intValue(), 6000), "scale", 1);
            java.util.Map<String, Object> shot = ((ChromeDriver) driver).executeCdpCommand("Page.captureScreenshot",
                    java.util.Map.of("format", "png", "captureBeyondViewport", true, "clip", clip));
            Files.write(screenshots.resolve(name + "-" + size[0] + ".png"), java.util.Base64.getDecoder().decode((String) shot.get("data")));
        }
        driver.manage().window().setSize(new Dimension(1366, 900));
    }

    /** What the screenshots so far found unfinished, one line each; empty when every page fitted. */
    java.util.List<String> layoutProblems() {
        return java.util.List.copyOf(layoutProblems);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
