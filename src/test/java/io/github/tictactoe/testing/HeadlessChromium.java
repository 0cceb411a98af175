package io.github.tictactoe.testing;

import java.nio.file.Path;
import java.util.Map;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;

/** Debian's Chromium driven by Debian's chromedriver, headless, never reaching for the network on its own. */
public final class HeadlessChromium {

    private HeadlessChromium() {
    }

    /** Starts a browser; skipped (or failed under CI) where Chromium or its driver is missing. */
    public static ChromeDriver start() {
        Path chromium = ExternalTool.require("chromium", "chromium");
        Path chromedriver = ExternalTool.require("chromedriver", "chromium-driver");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // No background networking: this machine has no internet, and the browser must not try to reach it.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--window-size=900,1000");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        // An explicit driver path keeps Selenium Manager from trying to download one.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
