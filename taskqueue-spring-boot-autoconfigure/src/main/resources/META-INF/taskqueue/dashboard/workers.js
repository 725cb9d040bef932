// #/workers: the fleet's workers, live from their events; queues from remote control every 10 s
import { get, stream } from './api.js';
import { el, table, cell, ago, notify } from './dom.js';

const COLUMNS = ['Worker', 'Language', 'Status', 'Software', ['Active', 'num'], ['Processed', 'num'], ['Load', 'num'], 'Heartbeat', 'Queues'];

export function workersView() {
	const workers = table('workers', COLUMNS);
	const tbody = workers.tBodies[0];
	const empty = el('p', { class: 'empty', text: 'No worker heard of yet.', hidden: true });
	const node = el('section', { class: 'view' }, el('h1', { text: 'Workers' }), workers, empty);

	const render = (worker) => {
		const row = el('tr', { 'data-worker': worker.hostname },
			cell('hostname', worker.hostname),
			el('td', { class: 'language' }, el('span', { class: `lang lang-${(worker.language || '').toLowerCase()}`, text: worker.language || '' })),
			el('td', { class: 'status' }, el('span', { class: `status-${worker.status}`, text: worker.status })),
			cell('software', worker.software),
			cell('active num', worker.active),
			cell('processed num', worker.processed),
			cell('load num', (worker.load || []).map((l) => l.toFixed(2)).join(' ')),
			cell('heartbeat', ago(worker.heartbeat)),
			cell('queues', (worker.queues || []).join(', ')));
		row.dataset.heartbeatAt = worker.heartbeat === null ? '' : String(Date.now() - worker.heartbeat * 1000);
		return row;
	};
	const upsert = (worker, keepQueues) => {
		const old = [...tbody.rows].find((row) => row.dataset.worker === worker.hostname);
		if (old && keepQueues && (!worker.queues || worker.queues.length === 0)) {
			worker = { ...worker, queues: old.querySelector('td.queues').textContent.split(', ').filter(Boolean) };
		}
		const row = render(worker);
		if (old) old.replaceWith(row);
		else {
			const next = [...tbody.rows].find((r) => r.dataset.worker > worker.hostname);
			tbody.insertBefore(row, next || null);
		}
		empty.hidden = tbody.rows.length > 0;
	};
	const load = async () => {
		try {
			const list = await get('data/workers');
			tbody.replaceChildren(...list.map(render));
			empty.hidden = list.length > 0;
		} catch (error) {
			notify(`Workers: ${error.message}`, true);
		}
	};
	load();
	const refresh = setInterval(load, 10000);
	// heartbeat ages tick without asking the server
	const tick = setInterval(() => {
		for (const row of tbody.rows) {
			if (row.dataset.heartbeatAt) {
				row.querySelector('td.heartbeat').textContent = ago((Date.now() - Number(row.dataset.heartbeatAt)) / 1000);
			}
		}
	}, 5000);
	const close = stream('stream', {
		update: (update) => {
			if (update.reload) load();
			else update.workers.forEach((worker) => upsert(worker, true));
		},
	}, load);
	return { node, stop: () => { clearInterval(refresh); clearInterval(tick); close(); } };
}
