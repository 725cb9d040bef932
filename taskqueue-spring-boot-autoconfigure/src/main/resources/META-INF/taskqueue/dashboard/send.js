// #/send: send a task by name; on success, its detail page
import { get, post, enc } from './api.js';
import { el, notify } from './dom.js';

function parse(text, what, check) {
	let value;
	try {
		value = JSON.parse(text.trim() || (what === 'args' ? '[]' : '{}'));
	} catch (error) {
		throw new Error(`${what} is not valid JSON: ${error.message}`);
	}
	if (!check(value)) throw new Error(what === 'args' ? 'args must be a JSON array' : 'kwargs must be a JSON object');
	return value;
}

export function sendView(settings) {
	const readOnly = settings.readOnly !== false;
	const error = el('p', { id: 'send-error', class: 'error-text', role: 'alert' });
	const form = el('form', { id: 'send-task', class: 'send' },
		el('label', {}, 'Task', el('input', { name: 'task', placeholder: 'tasks.add', autocomplete: 'off', list: 'send-task-types' })),
		el('datalist', { id: 'send-task-types' }),
		el('label', {}, 'Args (JSON array)', el('textarea', { name: 'args', rows: 3, spellcheck: 'false' })),
		el('label', {}, 'Kwargs (JSON object)', el('textarea', { name: 'kwargs', rows: 3, spellcheck: 'false' })),
		el('div', { class: 'row' },
			el('label', {}, 'Queue', el('input', { name: 'queue', placeholder: 'by routing' })),
			el('label', {}, 'Countdown (s)', el('input', { name: 'countdown', type: 'number', min: 0, step: 'any' }))),
		el('button', { type: 'submit', text: 'Send' }),
		readOnly ? el('p', { class: 'muted', text: 'Read-only: sending is off (taskqueue.dashboard.read-only).' }) : '',
		error);
	get('data/task-types').then((names) => {
		form.querySelector('#send-task-types').replaceChildren(...names.map((n) => el('option', { value: n })));
	}).catch(() => {});
	form.elements.args.value = '[]';
	form.elements.kwargs.value = '{}';
	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		error.textContent = '';
		let body;
		try {
			const options = {};
			const queue = form.elements.queue.value.trim();
			const countdown = form.elements.countdown.value.trim();
			if (queue) options.queue = queue;
			if (countdown) options.countdown = Number(countdown);
			body = {
				task: form.elements.task.value.trim(),
				args: parse(form.elements.args.value, 'args', Array.isArray),
				kwargs: parse(form.elements.kwargs.value, 'kwargs', (v) => v !== null && typeof v === 'object' && !Array.isArray(v)),
				options,
			};
			if (!body.task) throw new Error('Name the task to send');
		} catch (invalid) {
			error.textContent = invalid.message;
			return;
		}
		try {
			const sent = await post('actions/send', body);
			location.hash = `#/task/${encodeURIComponent(sent.task_id)}`;
		} catch (failed) {
			error.textContent = failed.message;
		}
	});
	return {
		node: el('section', { class: 'view' }, el('h1', { text: 'Send a task' }), form,
			el('h1', { class: 'second', text: 'Rate limit a task type' }), rateLimitForm()),
		stop: () => {},
	};
}

// sets a task type's rate limit on every worker that answers remote control (empty removes it)
function rateLimitForm() {
	const form = el('form', { id: 'rate-limit', class: 'send' },
		el('div', { class: 'row' },
			el('label', {}, 'Task', el('input', { name: 'task_name', placeholder: 'tasks.add', list: 'send-task-types', autocomplete: 'off' })),
			el('label', {}, 'Rate limit', el('input', { name: 'rate_limit', placeholder: '10/s, 100/m; empty for none' }))),
		el('button', { type: 'submit', class: 'secondary', text: 'Set rate limit' }));
	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		const name = form.elements.task_name.value.trim();
		if (!name) {
			notify('Name the task type to rate limit', true);
			return;
		}
		try {
			const answer = await post(`actions/task-types/${enc(name)}/rate-limit?rate_limit=${enc(form.elements.rate_limit.value.trim())}`);
			const workers = Object.entries(answer.workers).map(([w, a]) => `${w} ${a}`).join(', ');
			notify(`Rate limit of ${name}: ${workers || 'no worker answered'}`);
		} catch (error) {
			notify(`Rate limit: ${error.message}`, true);
		}
	});
	return form;
}
