package dev.taskqueue.dashboard;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who asked for an action, as the audit log names them: the authenticated user when the
 * application's security (such as Spring Security) authenticated the request, and the address
 * the request came from.
 *
 * @param user the user's name, or {@code anonymous}
 * @param address the client's address
 */
record Requester(String user, String address) {

	static Requester of(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return new Requester((principal != null) ? principal.getName() : "anonymous", request.getRemoteAddr());
	}

	@Override
	public String toString() {
		return this.user + " from " + this.address;
	}

}
