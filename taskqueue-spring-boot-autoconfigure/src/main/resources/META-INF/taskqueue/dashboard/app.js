// the dashboard's router: #/workers, #/tasks, #/task/<id>, #/queues, #/charts, #/send
import { get } from './api.js';
import { notify } from './dom.js';
import { workersView } from './workers.js';
import { tasksView } from './tasks.js';
import { taskView } from './task.js';
import { queuesView } from './queues.js';
import { chartsView } from './charts.js';
import { sendView } from './send.js';

const settings = { readOnly: true };
let cleanup = null;

const routes = [
	[/^#\/workers$/, () => workersView(settings)],
	[/^#\/tasks$/, () => tasksView(settings)],
	[/^#\/task\/(.+)$/, (id) => taskView(settings, decodeURIComponent(id))],
	[/^#\/queues$/, () => queuesView(settings)],
	[/^#\/charts$/, () => chartsView(settings)],
	[/^#\/send$/, () => sendView(settings)],
];

function route() {
	const hash = location.hash || '#/workers';
	if (cleanup) cleanup();
	cleanup = null;
	const view = document.getElementById('view');
	view.replaceChildren();
	for (const link of document.querySelectorAll('nav a')) {
		const section = link.getAttribute('href');
		link.classList.toggle('active', hash === section || (section === '#/tasks' && hash.startsWith('#/task/')));
	}
	for (const [pattern, render] of routes) {
		const match = pattern.exec(hash);
		if (match) {
			const { node, stop } = render(...match.slice(1));
			view.append(node);
			cleanup = stop;
			return;
		}
	}
	location.hash = '#/workers';
}

async function start() {
	try {
		Object.assign(settings, await get('data/settings'));
	} catch (error) {
		notify(`Cannot read the dashboard's settings: ${error.message}`, true);
	}
	document.body.dataset.readOnly = String(settings.readOnly !== false);
	document.getElementById('mode').textContent = settings.readOnly !== false ? 'read-only' : '';
	window.addEventListener('hashchange', route);
	if (!location.hash) history.replaceState(null, '', '#/workers');
	route();
}

start();
