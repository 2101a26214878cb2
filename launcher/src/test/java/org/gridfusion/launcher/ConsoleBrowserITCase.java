package org.gridfusion.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import org.gridfusion.console.ConsoleServer;
import org.gridfusion.testkit.EmbeddedStackExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console as a person uses it, in a real headless Chromium (Debian's {@code chromium} and
 * {@code chromedriver}, which {@code .ci/services.sh} installs): signed in with the token, a water
 * gauge reading goes in through the real ingress (MQTT), the grid turns HIGH on the map and the
 * alert appears in the feed without a reload; the work order is grabbed and fed back by clicking; a
 * record is found by search; the language switches; and the browser's console shows no error.
 * Screenshots of each step go to {@code target/console-screenshots/}.
 */
@ExtendWith(EmbeddedStackExtension.class)
class ConsoleBrowserITCase {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final Duration WITHIN = Duration.ofSeconds(45);
  static final Path SHOTS = Path.of("target", "console-screenshots");

  private ChromeDriverService service;
  private Path profile;
  private WebDriver browser;
  private WebDriverWait await;
  private int step;

  @BeforeEach
  void startBrowser() throws Exception {
    assertThat(new File(CHROMIUM))
        .as("Debian's chromium (apt-get install chromium chromium-driver, or run .ci/services.sh)")
        .exists();
    assertThat(new File(CHROMEDRIVER)).as("Debian's chromium-driver").exists();
    Files.createDirectories(SHOTS);
    profile = Files.createTempDirectory("gridfusion-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    // as root, in a container, with no network: no sandbox, no GPU, nothing phoning home
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--lang=en-US",
        "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    browser = new ChromeDriver(service, options);
    viewport(1366, 768);
    await = new WebDriverWait(browser, WITHIN, Duration.ofMillis(200));
  }

  @AfterEach
  void stopBrowser() {
    if (browser != null) browser.quit();
    if (service != null) service.stop();
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // a profile left in the temporary directory harms nothing
      }
    }
  }

  @Test
  void anIncidentFromTheMapToAHandledWorkOrderByClicking() throws Exception {
    try {
      walkThrough();
    } catch (Throwable e) {
      shot("failure");
      throw new AssertionError(
          e.getMessage()
              + "\npanel: "
              + js(
                  "return document.querySelector('#side [role=tabpanel]:not([hidden])')?.innerText")
              + "\nbrowser log: "
              + browser.manage().logs().get(LogType.BROWSER).getAll(),
          e);
    }
  }

  private void walkThrough() throws Exception {
    TestPipeline gf = TestPipeline.get();
    ConsoleServer console = gf.console();
    String grid = TestPipeline.CONSOLE_GRID;
    By gridOnMap = By.cssSelector("path.grid[data-grid='" + grid + "']");

    // sign in with the token, as the login page asks
    browser.get(console.url());
    WebElement token =
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("login-token")));
    shot("login");
    token.sendKeys(TestPipeline.CONSOLE_OPERATOR);
    browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
    await.until(d -> "true".equals(js("return document.body.dataset.ready || ''")));
    assertThat(browser.findElement(gridOnMap).getAttribute("data-level")).isEqualTo("LOW");
    js("window.gfNoReload = true"); // gone if the page reloads
    shot("signed-in");

    // a water level of 62 cm on the gauge: WATERLOGGING, URGENT (contract §5), so the grid is HIGH
    Instant at = Instant.now();
    gf.reading("WATER_LEVEL", TestPipeline.CONSOLE_WATER, 62, at);
    await.until(
        d ->
            List.of("HIGH", "CRITICAL")
                .contains(d.findElement(gridOnMap).getAttribute("data-level")));
    shot("map-high");

    // the alert is in the live feed, newest first, without a reload
    By alertItem =
        By.cssSelector(".alert-item[data-grid='" + grid + "'][data-rule='WATERLOGGING']");
    click(By.id("tab-alerts"));
    WebElement alert = await.until(ExpectedConditions.elementToBeClickable(alertItem));
    assertThat(js("return window.gfNoReload === true")).isEqualTo(true);
    assertThat(alert.getAttribute("data-severity")).isEqualTo("URGENT");
    shot("alert-feed");
    // the flood tilts a manhole cover a minute later: the same incident, so the same order
    gf.reading("MANHOLE_TILT", TestPipeline.CONSOLE_MANHOLE, 20, at.plusSeconds(60));
    await.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector(
                ".alert-item[data-grid='" + grid + "'][data-rule='MANHOLE_DISPLACED']")));

    // the grid panel says why
    click(gridOnMap);
    await.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("grid-name"), "Console test"));
    await.until(
        ExpectedConditions.textToBePresentInElementLocated(By.id("panel-grid"), "Waterlogging"));
    shot("grid-panel");

    // the alert's detail: evidence, rule version, its work order
    click(By.id("tab-alerts"));
    click(alertItem);
    await.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.id("dialog-body"), TestPipeline.CONSOLE_WATER));
    shot("alert-detail");
    assertThat(browser.findElement(By.id("alert-incident")).getText())
        .startsWith("WATERLOGGING." + grid);
    click(await.until(ExpectedConditions.elementToBeClickable(By.id("alert-open-order"))));

    // grab it, then feed back, by clicking what the loop allows
    command("GRAB", null, "Grabbed");
    assertThat(browser.findElements(By.cssSelector("#order-actions [data-action]")))
        .extracting(e -> e.getAttribute("data-action"))
        .containsExactly("SPLIT", "JOIN", "RETURN", "FEEDBACK");
    command("FEEDBACK", "Pumps in place, water gone", "Handled");
    shot("work-order");
    browser.findElement(By.id("dialog-close")).click();

    click(By.id("tab-orders"));
    // one card for the flood and the manhole, saying so
    await.until(
        ExpectedConditions.presenceOfElementLocated(
            By.cssSelector(
                "[data-lane='HANDLED'] .card[data-alert^='WATERLOGGING."
                    + grid
                    + "'] .attached[data-alerts='2']")));
    assertThat(
            browser.findElements(
                By.cssSelector(".card[data-alert^='MANHOLE_DISPLACED." + grid + "']")))
        .isEmpty();
    shot("work-order-board");

    // find the reading by search
    click(By.id("tab-records"));
    browser.findElement(By.id("records-q")).sendKeys(TestPipeline.CONSOLE_WATER);
    By found =
        By.cssSelector("#records-table tr[data-record*='" + TestPipeline.CONSOLE_WATER + "']");
    await.until(
        d -> {
          // searched again, as a person would, until the reading is searchable
          click(By.id("records-search"));
          try {
            return new WebDriverWait(d, Duration.ofSeconds(3))
                .until(ExpectedConditions.presenceOfElementLocated(found));
          } catch (TimeoutException e) {
            return null;
          }
        });
    assertThat(browser.findElement(By.id("records-total")).getText()).contains("of 1");
    shot("record-search");

    // Chinese, every label
    click(By.id("lang-toggle"));
    await.until(ExpectedConditions.textToBe(By.cssSelector("#tab-alerts [data-i18n]"), "告警"));
    assertThat(js("return document.documentElement.lang")).isEqualTo("zh-CN");
    assertThat(browser.findElement(By.id("tab-records")).getText()).isEqualTo("数据检索");
    click(By.id("tab-health"));
    await.until(ExpectedConditions.presenceOfElementLocated(By.id("health-components")));
    shot("health-zh");

    // the page logged no error on the way
    List<LogEntry> errors =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(errors).as("errors in the browser's console").isEmpty();
  }

  /** Opens the action's form in the order's detail, sends it, and waits for the loop's answer. */
  private void command(String action, String comment, String newStatus) {
    click(
        await.until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("#order-actions [data-action='" + action + "']"))));
    WebElement form =
        await.until(ExpectedConditions.visibilityOfElementLocated(By.id("command-form")));
    assertThat(form.getAttribute("data-action")).isEqualTo(action);
    if (comment != null) browser.findElement(By.id("command-comment")).sendKeys(comment);
    click(By.id("command-send"));
    await.until(
        d -> {
          WebElement o = d.findElement(By.id("command-outcome"));
          String state = o.getAttribute("data-state");
          if ("REFUSED".equals(state) || "ERROR".equals(state))
            throw new AssertionError(action + " not applied: " + o.getText());
          return "APPLIED".equals(state) ? o : null;
        });
    assertThat(browser.findElement(By.id("command-outcome")).getText()).contains(newStatus);
  }

  private void click(By by) {
    click(await.until(ExpectedConditions.elementToBeClickable(by)));
  }

  private void click(WebElement e) {
    // SVG shapes and elements under the dialog take a script click as a person's
    js("arguments[0].dispatchEvent(new MouseEvent('click', {bubbles: true}))", e);
  }

  private Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  /** Makes the page itself width x height (the window adds its frame). */
  private void viewport(int width, int height) {
    browser.manage().window().setSize(new Dimension(width, height));
    @SuppressWarnings("unchecked")
    List<Long> inner = (List<Long>) js("return [innerWidth, innerHeight]");
    browser
        .manage()
        .window()
        .setSize(
            new Dimension(
                width + (width - inner.get(0).intValue()),
                height + (height - inner.get(1).intValue())));
  }

  private void shot(String name) throws Exception {
    Path file = SHOTS.resolve(String.format("%02d-%s.png", ++step, name));
    Files.copy(
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(),
        file,
        StandardCopyOption.REPLACE_EXISTING);
  }
}
