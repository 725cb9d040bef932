package dev.taskqueue.interop;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;

/**
 * The dashboard as its users see it, through its DOM contract: the nav links, the send form,
 * the task page.
 */
final class DashboardUi {

	static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final HeadlessChromium browser;

	private final String baseUrl;

	DashboardUi(HeadlessChromium browser, String baseUrl) {
		this.browser = browser;
		this.baseUrl = baseUrl;
	}

	/** Load the dashboard on a route, such as {@code #/workers}. */
	void open(String route) {
		this.browser.driver().get(this.baseUrl + "/taskqueue/" + route);
		this.browser.await(TIMEOUT, "the dashboard's body with data-read-only",
				(driver) -> this.browser.find("body[data-read-only]") != null);
	}

	/** Follow the nav link of a route, such as {@code #/queues}. */
	void follow(String route) {
		this.browser.await(TIMEOUT, "a nav link to " + route, (driver) -> {
			WebElement link = this.browser.find("a[href=\"" + route + "\"]");
			if (link == null) {
				return false;
			}
			link.click();
			return this.browser.url().endsWith(route);
		});
	}

	/**
	 * Send a task through the form of {@code #/send}, and land on its page.
	 * @param task the task's name
	 * @param args its positional arguments, a JSON array
	 * @param queue the queue
	 * @param countdown the countdown in seconds, or {@code null} for none
	 * @param screenshot the name of a screenshot of the filled form, or {@code null}
	 * @return the new task's id, read from the page it landed on
	 */
	String send(String task, String args, String queue, @Nullable Integer countdown, @Nullable String screenshot)
			throws Exception {
		follow("#/send");
		this.browser.await(TIMEOUT, "form#send-task", (driver) -> this.browser.find("form#send-task") != null);
		fill("form#send-task input[name=task]", task);
		fill("form#send-task textarea[name=args]", args);
		fill("form#send-task textarea[name=kwargs]", "{}");
		fill("form#send-task input[name=queue]", queue);
		fill("form#send-task input[name=countdown]", (countdown != null) ? countdown.toString() : "");
		if (screenshot != null) {
			this.browser.screenshot(screenshot);
		}
		this.browser.find("form#send-task button[type=submit]").click();
		String id = this.browser.await(TIMEOUT, "the page of the task sent (" + task + ")", (driver) -> {
			String error = this.browser.text("#send-error");
			if (error != null && !error.isEmpty()) {
				throw new AssertionError("#send-error says: " + error);
			}
			String url = this.browser.url();
			int at = url.indexOf("#/task/");
			return (at >= 0 && url.length() > at + 7) ? url.substring(at + 7) : null;
		});
		this.browser.await(TIMEOUT, "section#task of " + id,
				(driver) -> this.browser.find("section#task[data-task-id=\"" + id + "\"]") != null);
		return id;
	}

	/** Wait until {@code #task-state} says the given state. */
	void awaitState(String state) {
		this.browser.await(TIMEOUT, "#task-state " + state, (driver) -> state.equals(this.browser.text("#task-state")));
	}

	/** Click a button, accepting the confirmation it may ask for. */
	void click(String css) {
		WebElement button = this.browser.await(TIMEOUT, css + " enabled", (driver) -> {
			WebElement found = this.browser.find(css);
			return (found != null && found.isDisplayed() && found.isEnabled()) ? found : null;
		});
		button.click();
		try {
			this.browser.driver().switchTo().alert().accept();
		}
		catch (NoAlertPresentException ex) {
			// no confirm() dialog
		}
	}

	// replaces the value of a form field
	private void fill(String css, String value) {
		WebElement field = this.browser.await(TIMEOUT, css, (driver) -> this.browser.find(css));
		field.clear();
		if (!value.isEmpty()) {
			field.sendKeys(value);
		}
	}

}
