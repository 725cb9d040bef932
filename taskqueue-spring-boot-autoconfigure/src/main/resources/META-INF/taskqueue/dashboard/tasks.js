// #/tasks: the tasks the fleet's events show, newest first, filtered; live rows from the stream
import { get, stream } from './api.js';
import { el, table, cell, time, seconds, stateBadge, notify } from './dom.js';

const STATES = ['PENDING', 'RECEIVED', 'STARTED', 'PROGRESS', 'RETRY', 'SUCCESS', 'FAILURE', 'REVOKED', 'REJECTED'];
const LIMIT = 100;
const MAX_ROWS = 1000;
let remembered = {};

function filterForm(values, onChange) {
	const input = (name, type, label, extra = {}) => el('label', {}, label,
		el('input', { name, type, value: values[name] || '', ...extra }));
	const state = el('select', { name: 'state' }, el('option', { value: '', text: 'any' }),
		STATES.map((s) => el('option', { value: s, text: s, selected: values.state === s })));
	const form = el('form', { id: 'task-filter', class: 'filters' },
		el('label', {}, 'State', state),
		input('taskname', 'text', 'Task', { list: 'task-types', placeholder: 'any' }),
		input('workername', 'text', 'Worker', { list: 'worker-names', placeholder: 'any' }),
		input('received_start', 'datetime-local', 'Received from', { step: 1 }),
		input('received_end', 'datetime-local', 'to', { step: 1 }),
		el('button', { type: 'submit', text: 'Filter' }),
		el('button', { type: 'reset', class: 'secondary', text: 'Clear' }),
		el('datalist', { id: 'task-types' }), el('datalist', { id: 'worker-names' }));
	form.addEventListener('submit', (event) => {
		event.preventDefault();
		onChange(Object.fromEntries(new FormData(form)));
	});
	form.addEventListener('reset', () => setTimeout(() => onChange({}), 0));
	return form;
}

// the filters as the server reads them: local dates as instants
function query(values) {
	const params = { limit: LIMIT, state: values.state, taskname: values.taskname, workername: values.workername };
	for (const name of ['received_start', 'received_end']) {
		if (values[name]) params[name] = new Date(values[name]).toISOString();
	}
	return params;
}

function matches(task, values) {
	if (values.state && task.state !== values.state) return false;
	if (values.taskname && task.name !== values.taskname) return false;
	if (values.workername && task.worker !== values.workername) return false;
	if (values.received_start && !(task.received >= new Date(values.received_start).getTime())) return false;
	if (values.received_end && !(task.received < new Date(values.received_end).getTime())) return false;
	return true;
}

function row(task) {
	const href = `#/task/${encodeURIComponent(task.id)}`;
	const tr = el('tr', { 'data-task-id': task.id, class: 'link' },
		el('td', { class: 'name' }, el('a', { href, text: task.name || '(unknown)' })),
		el('td', { class: 'id mono' }, el('a', { href, text: task.id })),
		stateBadge('state', task.state),
		cell('worker', task.worker),
		cell('received', time(task.received)),
		cell('runtime num', seconds(task.runtime)),
		cell('args mono', task.args));
	tr.dataset.received = task.received ?? '';
	tr.addEventListener('click', (event) => {
		if (!event.target.closest('a')) location.hash = href;
	});
	return tr;
}

export function tasksView() {
	let values = { ...remembered };
	const tasks = table('tasks', ['Name', 'Id', 'State', 'Worker', 'Received', ['Runtime', 'num'], 'Args']);
	const tbody = tasks.tBodies[0];
	const empty = el('p', { class: 'empty', text: 'No task matches.', hidden: true });
	const more = el('button', { type: 'button', class: 'secondary more', text: 'Older tasks', hidden: true });
	const load = async () => {
		try {
			const list = await get('data/tasks', query(values));
			tbody.replaceChildren(...list.map(row));
			empty.hidden = list.length > 0;
			more.hidden = list.length < LIMIT;
		} catch (error) {
			notify(`Tasks: ${error.message}`, true);
		}
	};
	more.addEventListener('click', async () => {
		try {
			const list = await get('data/tasks', { ...query(values), offset: tbody.rows.length });
			const shown = new Set([...tbody.rows].map((r) => r.dataset.taskId));
			tbody.append(...list.filter((task) => !shown.has(task.id)).map(row));
			more.hidden = list.length < LIMIT;
		} catch (error) {
			notify(`Tasks: ${error.message}`, true);
		}
	});
	const form = filterForm(values, (changed) => {
		values = changed;
		remembered = changed;
		load();
	});
	const node = el('section', { class: 'view' }, el('h1', { text: 'Tasks' }), form, tasks, empty, more);
	const upsert = (task) => {
		const old = [...tbody.rows].find((r) => r.dataset.taskId === task.id);
		if (!matches(task, values)) {
			if (old) old.remove();
			return;
		}
		const fresh = row(task);
		if (old) old.replaceWith(fresh);
		else {
			const next = [...tbody.rows].find((r) => Number(r.dataset.received || 0) <= (task.received || Infinity));
			tbody.insertBefore(fresh, next || null);
			while (tbody.rows.length > MAX_ROWS) tbody.deleteRow(-1);
		}
		empty.hidden = true;
	};
	load();
	get('data/task-types').then((names) => {
		form.querySelector('#task-types').replaceChildren(...names.map((n) => el('option', { value: n })));
	}).catch(() => {});
	get('data/workers').then((workers) => {
		form.querySelector('#worker-names').replaceChildren(...workers.map((w) => el('option', { value: w.hostname })));
	}).catch(() => {});
	const close = stream('stream', {
		update: (update) => {
			if (update.reload) load();
			else update.tasks.forEach(upsert);
		},
	}, load);
	return { node, stop: close };
}
