// the dashboard's data, actions and live streams, relative to the page (works under any path)

export class HttpError extends Error {
	constructor(status, message) {
		super(message);
		this.status = status;
	}
}

async function answer(response) {
	const body = await response.text();
	let json = null;
	try {
		json = body ? JSON.parse(body) : null;
	} catch {
		json = null;
	}
	if (!response.ok) {
		throw new HttpError(response.status, (json && json.error) || `${response.status} ${response.statusText}`);
	}
	return json;
}

export async function get(path, params = {}) {
	const query = new URLSearchParams();
	for (const [name, value] of Object.entries(params)) {
		if (value !== undefined && value !== null && value !== '') query.set(name, value);
	}
	const search = query.toString();
	return answer(await fetch(search ? `${path}?${search}` : path, { headers: { Accept: 'application/json' } }));
}

// Spring Security's CookieCsrfTokenRepository puts the token in the XSRF-TOKEN cookie
function csrf() {
	for (const part of document.cookie.split(';')) {
		const [name, ...value] = part.trim().split('=');
		if (name === 'XSRF-TOKEN') return { 'X-XSRF-TOKEN': decodeURIComponent(value.join('=')) };
	}
	return {};
}

export async function post(path, body) {
	const headers = { Accept: 'application/json', ...csrf() };
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	return answer(await fetch(path, {
		method: 'POST', headers, credentials: 'same-origin',
		body: body === undefined ? undefined : JSON.stringify(body),
	}));
}

export function enc(value) {
	return encodeURIComponent(value);
}

// an EventSource that marks the live indicator; the browser reconnects it by itself, and this
// after 15 s when the server refused it (too many streams); opened() runs each time the server
// has registered the stream, so that a list read again then misses no change
export function stream(path, handlers, opened = () => {}) {
	const live = document.getElementById('live');
	let source = null;
	let retry = null;
	const open = () => {
		source = new EventSource(path);
		source.onopen = () => {
			live.classList.add('on');
			opened();
		};
		source.onerror = () => {
			live.classList.remove('on');
			if (source.readyState === EventSource.CLOSED) retry = setTimeout(open, 15000);
		};
		for (const [name, handler] of Object.entries(handlers)) {
			source.addEventListener(name, (event) => handler(JSON.parse(event.data)));
		}
	};
	live.hidden = false;
	open();
	return () => {
		live.hidden = true;
		clearTimeout(retry);
		source.close();
		live.classList.remove('on');
	};
}
