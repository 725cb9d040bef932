package dev.taskqueue.interop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.util.FileSystemUtils;

/**
 * Debian's headless Chromium driven through its own ChromeDriver, both named explicitly so
 * that Selenium Manager never looks for (or downloads) a browser or a driver; a fresh profile
 * per run, screenshots in {@code target/dashboard-screenshots}.
 */
final class HeadlessChromium implements AutoCloseable {

	static final Path BINARY = Path.of("/usr/bin/chromium");

	static final Path DRIVER = Path.of("/usr/bin/chromedriver");

	static final String MISSING = "The dashboard's browser test needs " + BINARY + " and " + DRIVER
			+ ": install Debian's chromium and chromium-driver packages (.ci/run installs them)";

	private static final Path SCREENSHOTS = Path.of("target/dashboard-screenshots");

	private final Path profile;

	private final ChromeDriver driver;

	HeadlessChromium() throws IOException {
		FileSystemUtils.deleteRecursively(SCREENSHOTS);
		this.profile = Files.createTempDirectory("dashboard-chromium");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.withLogFile(Interop.logFile("chromedriver").toFile())
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BINARY.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
				"--disable-sync", "--window-size=1400,1000", "--user-data-dir=" + this.profile);
		LoggingPreferences logs = new LoggingPreferences();
		logs.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logs);
		try {
			this.driver = new ChromeDriver(service, options);
		}
		catch (RuntimeException ex) {
			FileSystemUtils.deleteRecursively(this.profile.toFile());
			throw ex;
		}
	}

	/** Whether Chromium and its driver are installed where the test looks for them. */
	static boolean installed() {
		return Files.isExecutable(BINARY) && Files.isExecutable(DRIVER);
	}

	WebDriver driver() {
		return this.driver;
	}

	/**
	 * Wait until a condition holds, re-reading the page on each poll (the dashboard redraws
	 * its elements, so an element found once may be gone by the next poll).
	 * @param <T> what the condition returns when it holds
	 * @param timeout how long to wait
	 * @param message what was expected, for the failure
	 * @param condition the condition, {@code null} or {@code false} while it does not hold
	 * @return what the condition returned
	 */
	<T> T await(Duration timeout, String message, Function<WebDriver, T> condition) {
		WebDriverWait wait = new WebDriverWait(this.driver, timeout, Duration.ofMillis(50));
		wait.ignoring(StaleElementReferenceException.class).withMessage(() -> message + " (at " + url() + ")");
		return wait.until(condition);
	}

	/** The first element matching a CSS selector, or {@code null}. */
	@Nullable WebElement find(String css) {
		List<WebElement> found = this.driver.findElements(By.cssSelector(css));
		return found.isEmpty() ? null : found.get(0);
	}

	/**
	 * The trimmed text of the first element matching a CSS selector, or {@code null}; found
	 * again when the page replaced it meanwhile.
	 */
	@Nullable String text(String css) {
		for (int attempt = 1;; attempt++) {
			try {
				WebElement element = find(css);
				return (element != null) ? element.getText().strip() : null;
			}
			catch (StaleElementReferenceException ex) {
				if (attempt == 5) {
					throw ex;
				}
			}
		}
	}

	String url() {
		return this.driver.getCurrentUrl();
	}

	/**
	 * Save what the window shows as {@code target/dashboard-screenshots/<name>.png}.
	 * @param name the file's name without extension
	 * @return the file
	 * @throws IOException when it cannot be written
	 */
	Path screenshot(String name) throws IOException {
		Files.createDirectories(SCREENSHOTS);
		Path file = SCREENSHOTS.resolve(name + ".png");
		Files.write(file, this.driver.getScreenshotAs(OutputType.BYTES));
		return file;
	}

	/** What the page logged on the console since the last call, when the driver keeps it. */
	List<String> consoleLog() {
		try {
			return this.driver.manage()
				.logs()
				.get(LogType.BROWSER)
				.getAll()
				.stream()
				.map(LogEntry::toString)
				.toList();
		}
		catch (RuntimeException ex) {
			return List.of("(no console log: " + ex.getMessage() + ")");
		}
	}

	@Override
	public void close() {
		try {
			this.driver.quit();
		}
		finally {
			FileSystemUtils.deleteRecursively(this.profile.toFile());
		}
	}

}
