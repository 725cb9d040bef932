// #/task/<id>: a task's detail, live from its stream (the backend's states and the events)
import { get, post, stream, enc } from './api.js';
import { el, time, seconds, notify } from './dom.js';

function field(label, id, cls = '') {
	return [el('dt', { text: label }), el('dd', { id, class: cls })];
}

export function taskView(settings, id) {
	const readOnly = settings.readOnly !== false;
	const progress = el('progress', { id: 'task-progress', hidden: true });
	const progressText = el('span', { class: 'progress-text' });
	const revoke = el('button', { id: 'revoke', type: 'button', class: 'secondary', text: 'Revoke', title: 'Workers will not run it', disabled: readOnly });
	const terminate = el('button', { id: 'terminate', type: 'button', class: 'danger', text: 'Terminate', title: 'Revoke it and interrupt it where it runs', disabled: readOnly });
	const traceback = el('pre', { id: 'task-traceback', hidden: true });
	const children = el('ul', { id: 'task-children', class: 'links' });
	const section = el('section', { id: 'task', class: 'view', 'data-task-id': id },
		el('div', { class: 'title' },
			el('h1', {}, el('span', { id: 'task-name', text: 'Task' }), ' ', el('span', { id: 'task-state', class: 'badge', text: 'PENDING' })),
			el('div', { class: 'actions' }, revoke, terminate)),
		el('p', { class: 'mono muted', text: id }),
		el('p', { id: 'task-unknown', class: 'empty', hidden: true, text: 'No event or stored state of this task is known (yet): it may not have been sent, or it was dropped.' }),
		el('div', { class: 'progress-row' }, progress, progressText),
		el('dl', { class: 'fields' },
			field('Worker', 'task-worker'), field('Received', 'task-received'), field('Started', 'task-started'),
			field('Runtime', 'task-runtime'), field('Retries', 'task-retries'),
			[el('dt', { text: 'Parent' }), el('dd', { id: 'task-parent', class: 'mono' })],
			[el('dt', { text: 'Root' }), el('dd', { id: 'task-root', class: 'mono' })],
			field('Args', 'task-args', 'mono'), field('Kwargs', 'task-kwargs', 'mono'),
			field('Result', 'task-result', 'mono'), field('Exception', 'task-exception', 'mono'),
			[el('dt', { text: 'Children' }), el('dd', {}, children)]),
		traceback);
	let hadProgress = false;
	let ready = false;

	const text = (fieldId, value) => { section.querySelector(`#${fieldId}`).textContent = value ?? ''; };
	const link = (fieldId, taskId) => {
		const dd = section.querySelector(`#${fieldId}`);
		dd.replaceChildren(taskId ? el('a', { href: `#/task/${encodeURIComponent(taskId)}`, text: taskId }) : '');
	};
	const render = (task) => {
		ready = task.ready;
		section.querySelector('#task-unknown').hidden = task.known;
		const state = section.querySelector('#task-state');
		state.textContent = task.state;
		state.dataset.state = task.state;
		text('task-name', task.name || 'Task');
		text('task-worker', task.worker);
		text('task-received', time(task.received));
		text('task-started', time(task.started));
		text('task-runtime', seconds(task.runtime));
		text('task-retries', task.retries ?? '');
		text('task-args', task.args);
		text('task-kwargs', task.kwargs);
		text('task-result', task.result);
		text('task-exception', task.exception);
		link('task-parent', task.parentId);
		link('task-root', task.rootId !== task.id ? task.rootId : null);
		children.replaceChildren(...task.children.map((child) =>
			el('li', {}, el('a', { href: `#/task/${encodeURIComponent(child)}`, text: child }))));
		if (task.progress && !task.ready) {
			hadProgress = true;
			progress.max = task.progress.total || 1;
			progress.value = Math.min(task.progress.current, progress.max);
			progressText.textContent = `${task.progress.current} / ${task.progress.total}`;
			progress.hidden = false;
		} else if (hadProgress && task.state === 'SUCCESS') {
			progress.value = progress.max;
			progressText.textContent = `${progress.max} / ${progress.max}`;
			progress.hidden = false;
		} else {
			progress.hidden = true;
			progressText.textContent = '';
		}
		traceback.textContent = task.traceback || '';
		traceback.hidden = !task.traceback;
		revoke.disabled = readOnly || ready;
		terminate.disabled = readOnly || ready;
	};
	const act = async (kill) => {
		const verb = kill ? 'Terminate' : 'Revoke';
		try {
			await post(`actions/tasks/${enc(id)}/revoke?terminate=${kill}`);
			notify(`${verb}d ${id}`);
		} catch (error) {
			notify(`${verb}: ${error.message}`, true);
		}
	};
	revoke.addEventListener('click', () => act(false));
	terminate.addEventListener('click', () => act(true));

	let close = () => {};
	let stopped = false;
	get(`data/tasks/${enc(id)}`).then((task) => {
		if (stopped) return;
		render(task);
		if (!task.ready) {
			close = stream(`stream/tasks/${enc(id)}`, {
				task: render,
				end: () => close(),
			});
		}
	}).catch((error) => notify(`Task: ${error.message}`, true));
	return { node: section, stop: () => { stopped = true; close(); } };
}
