// DOM helpers: every text goes through textContent, never innerHTML (task data is untrusted)

export function el(tag, attrs = {}, ...children) {
	const node = document.createElement(tag);
	for (const [name, value] of Object.entries(attrs)) {
		if (value === undefined || value === null || value === false) continue;
		if (name === 'text') node.textContent = value;
		else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
		else node.setAttribute(name, value === true ? '' : String(value));
	}
	for (const child of children.flat()) {
		if (child === null || child === undefined) continue;
		node.append(child instanceof Node ? child : document.createTextNode(String(child)));
	}
	return node;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, text) {
	const node = document.createElementNS(SVG, tag);
	for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
	if (text !== undefined) node.textContent = text;
	return node;
}

// columns are labels, or [label, class] such as ['Length', 'num']
export function table(id, columns) {
	const head = columns.map((c) => (Array.isArray(c) ? el('th', { text: c[0], class: c[1] }) : el('th', { text: c })));
	return el('table', { id }, el('thead', {}, el('tr', {}, head)), el('tbody'));
}

export function cell(cls, text) {
	return el('td', { class: cls, text: text ?? '' });
}

export function time(millis) {
	if (millis === null || millis === undefined) return '';
	const date = new Date(millis);
	const today = new Date();
	return date.toDateString() === today.toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
}

export function seconds(value) {
	if (value === null || value === undefined) return '';
	return value < 1 ? `${(value * 1000).toFixed(1)} ms` : `${value.toFixed(value < 10 ? 3 : 1)} s`;
}

export function ago(secs) {
	if (secs === null || secs === undefined) return '';
	if (secs < 60) return `${Math.round(secs)} s ago`;
	if (secs < 3600) return `${Math.round(secs / 60)} min ago`;
	return `${Math.round(secs / 3600)} h ago`;
}

export function stateBadge(cls, state) {
	const td = cell(cls, state);
	td.dataset.state = state ?? '';
	return td;
}

// a message under the header, gone after a few seconds
export function notify(message, error = false) {
	const notice = document.getElementById('notice');
	notice.textContent = message;
	notice.className = error ? 'error' : 'ok';
	notice.hidden = false;
	clearTimeout(notify.timer);
	notify.timer = setTimeout(() => { notice.hidden = true; }, error ? 8000 : 4000);
}
