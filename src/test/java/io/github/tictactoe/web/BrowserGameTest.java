package io.github.tictactoe.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.tictactoe.testing.HeadlessChromium;
import io.github.tictactoe.testing.TestServer;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.logging.Level;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Plays the game in a real headless Chromium (Debian's) against the real server. */
class BrowserGameTest {

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static ChromeDriver browser;

    /** Answers the first move request with a 503, as a replica that is shutting down would. */
    private final AtomicInteger moveRequests = new AtomicInteger();

    @RegisterExtension
    final TestServer server = new TestServer(context -> context.addFilter(new FilterHolder(new HttpFilter() {
        @Override
        protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (moveRequests.incrementAndGet() == 1 && "true".equals(request.getHeader("X-Test-Flaky"))) {
                response.sendError(503);
                return;
            }
            chain.doFilter(request, response);
        }
    }), "/api/move", EnumSet.of(DispatcherType.REQUEST)));

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = HeadlessChromium.start();
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void openThePage() {
        browser.manage().window().setSize(new Dimension(900, 1000));
        browser.get(server.uri("/").toString());
        // Each test starts from an empty score.
        ((JavascriptExecutor) browser).executeScript("localStorage.clear();");
        browser.navigate().refresh();
        waitUntilIdle();
    }

    @Test
    void playsAWholeGameAgainstThePerfectComputerByClicking() throws IOException {
        assertThat(status()).isEqualTo("Your turn (X).");

        while (!isOver()) {
            emptyCells().get(0).click();
            waitUntilIdle();
        }

        assertThat(status()).matches(".*(The computer wins \\(O\\)\\.|Draw\\.)");
        String board = board();
        assertThat(board.chars().filter(c -> c == 'X').count() - board.chars().filter(c -> c == 'O').count())
                .isBetween(0L, 1L);
        assertThat(text("score-first")).as("the person never wins against perfect play").isEqualTo("0");
        assertThat(Integer.parseInt(text("score-second")) + Integer.parseInt(text("score-draws"))).isEqualTo(1);
        assertThat(text("replica")).isEqualTo(TestServer.REPLICA);
        screenshot("vs-computer-finished.png");
    }

    @Test
    void playsATwoPlayerGameByKeyboardToAWinWithTheLineHighlighted() throws IOException {
        browser.findElement(By.cssSelector("input[name=mode][value=two-players]")).click();
        waitUntilIdle();
        WebElement firstCell = cell(0);
        firstCell.sendKeys(Keys.ENTER);                                   // X at 0
        waitUntilIdle();
        keys(Keys.ARROW_DOWN, Keys.ENTER);                                // O at 3
        keys(Keys.ARROW_UP, Keys.ARROW_RIGHT, Keys.ENTER);                // X at 1
        keys(Keys.ARROW_DOWN, Keys.SPACE);                                // O at 4
        keys(Keys.ARROW_UP, Keys.ARROW_RIGHT, Keys.ENTER);                // X at 2

        assertThat(board()).isEqualTo("XXXOO....");
        assertThat(status()).isEqualTo("X played row 1, column 3. X wins!");
        assertThat(List.of(0, 1, 2)).allMatch(i -> cell(i).getAttribute("class").contains("win"));
        assertThat(cell(3).getAttribute("class")).doesNotContain("win");
        assertThat(cell(2).getAttribute("aria-label")).isEqualTo("Row 1, column 3, X, winning line");
        assertThat(browser.switchTo().activeElement().getAttribute("data-cell")).isEqualTo("2");
        assertThat(List.of(3, 6, 8)).as("rows keep their height whatever they hold")
                .allMatch(i -> cell(i).getSize().equals(cell(0).getSize()));
        assertThat(text("score-first-label")).isEqualTo("X");
        assertThat(text("score-first")).isEqualTo("1");
        screenshot("two-players-x-wins.png");

        browser.navigate().refresh();
        browser.findElement(By.cssSelector("input[name=mode][value=two-players]")).click();
        assertThat(text("score-first")).as("the score survives a reload").isEqualTo("1");
    }

    @Test
    void runsUnderTheContentSecurityPolicyWithoutConsoleErrors() {
        browser.manage().logs().get(LogType.BROWSER); // drops what earlier tests left
        browser.navigate().refresh();
        waitUntilIdle();
        cell(4).click();
        waitUntilIdle();

        List<String> problems = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.WARNING.intValue())
                .map(LogEntry::getMessage).toList();
        assertThat(board().charAt(4)).isEqualTo('X');
        assertThat(problems).as("console warnings and errors, CSP violations among them").isEmpty();
    }

    @Test
    void theComputerOpensWhenAskedTo() {
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("level"))).selectByValue("easy");
        browser.findElement(By.id("computer-starts")).click();
        waitUntilIdle();

        assertThat(board().chars().filter(c -> c == 'X').count()).isEqualTo(1);
        assertThat(status()).endsWith("Your turn (O).");
    }

    @Test
    void retriesAMoveOnceWhenAReplicaAnswers503() {
        ((JavascriptExecutor) browser).executeScript(
                "const original = window.fetch; window.fetch = (url, init) => original(url, "
                        + "{...init, headers: {...init.headers, 'X-Test-Flaky': 'true'}});");
        cell(4).click();
        waitUntilIdle();

        assertThat(moveRequests).hasValue(2);
        assertThat(board().charAt(4)).isEqualTo('X');
        assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
    }

    @Test
    void showsAnErrorAndKeepsTheBoardWhenTheServerIsGone() throws Exception {
        cell(4).click();
        waitUntilIdle();
        String before = board();

        server.server().stop();
        emptyCells().get(0).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.id("error")).isDisplayed());

        assertThat(text("error")).isEqualTo("Could not reach the server. Check your connection and try again.");
        assertThat(board()).isEqualTo(before);
        assertThat(emptyCells()).isNotEmpty();
    }

    @Test
    void fitsAPhoneScreen() throws IOException {
        browser.manage().window().setSize(new Dimension(390, 844));
        browser.navigate().refresh();
        waitUntilIdle();

        JavascriptExecutor js = browser;
        long scrollWidth = (Long) js.executeScript("return document.documentElement.scrollWidth;");
        long viewport = (Long) js.executeScript("return window.innerWidth;");
        assertThat(scrollWidth).as("no sideways scrolling").isLessThanOrEqualTo(viewport);
        assertThat(cell(0).getSize().getWidth()).as("cells stay easy to tap").isGreaterThanOrEqualTo(44);
        screenshot("phone.png");
    }

    private void keys(CharSequence... keys) {
        new Actions(browser).sendKeys(keys).perform();
        waitUntilIdle();
    }

    private void waitUntilIdle() {
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d ->
                "false".equals(d.findElement(By.id("board")).getAttribute("aria-busy")));
    }

    private boolean isOver() {
        String status = status();
        return status.contains("win") || status.contains("Draw");
    }

    private WebElement cell(int index) {
        return browser.findElement(By.cssSelector(".cell[data-cell='" + index + "']"));
    }

    private List<WebElement> emptyCells() {
        return browser.findElements(By.cssSelector(".cell")).stream().filter(c -> c.getText().isEmpty()).toList();
    }

    private String board() {
        StringBuilder board = new StringBuilder();
        for (WebElement cell : browser.findElements(By.cssSelector(".cell"))) {
            board.append(cell.getText().isEmpty() ? "." : cell.getText());
        }
        return board.toString();
    }

    private String status() {
        return text("status");
    }

    private String text(String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
