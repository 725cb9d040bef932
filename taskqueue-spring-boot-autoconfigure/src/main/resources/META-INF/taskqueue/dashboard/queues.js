// #/queues: each queue's length, consumers and dead letters, every 10 s; pause, resume, requeue
import { get, post, enc } from './api.js';
import { el, table, cell, time, notify } from './dom.js';

export function queuesView(settings) {
	const readOnly = settings.readOnly !== false;
	const queues = table('queues', ['Queue', ['Length', 'num'], 'Consumers', ['Dead letters', 'num'], '']);
	const tbody = queues.tBodies[0];
	const letters = el('div', { class: 'dead-letter-list' });
	const empty = el('p', { class: 'empty', text: 'No queue is consumed.', hidden: true });
	let shown = null;

	const consume = async (queue, resume) => {
		try {
			const answer = await post(`actions/queues/${enc(queue)}/${resume ? 'resume' : 'pause'}`);
			notify(`${resume ? 'Resumed' : 'Paused'} ${queue}: ${Object.entries(answer.workers).map(([w, a]) => `${w} ${a}`).join(', ') || 'no worker answered'}`);
			setTimeout(load, 1500);
		} catch (error) {
			notify(`${resume ? 'Resume' : 'Pause'} ${queue}: ${error.message}`, true);
		}
	};
	const showDeadLetters = async (queue) => {
		shown = queue;
		try {
			const list = await get(`data/queues/${enc(queue)}/dead-letters`);
			const deadLetters = table('dead-letters', ['Task', 'Id', 'Reason', 'Moved aside', '']);
			deadLetters.tBodies[0].append(...list.map((letter) => {
				const requeue = el('button', { type: 'button', class: 'requeue', text: 'Requeue', disabled: readOnly || !letter.taskId });
				requeue.addEventListener('click', async () => {
					try {
						await post(`actions/queues/${enc(queue)}/dead-letters/${enc(letter.taskId)}/requeue`);
						notify(`Requeued ${letter.taskId} on ${queue}`);
						showDeadLetters(queue);
						load();
					} catch (error) {
						notify(`Requeue: ${error.message}`, true);
					}
				});
				return el('tr', { 'data-task-id': letter.taskId ?? '' },
					cell('name', letter.taskName),
					el('td', { class: 'id mono' }, letter.taskId ? el('a', { href: `#/task/${enc(letter.taskId)}`, text: letter.taskId }) : ''),
					cell('reason', letter.reason),
					cell('time', letter.time ? time(Date.parse(letter.time)) : ''),
					el('td', {}, requeue));
			}));
			letters.replaceChildren(el('h2', { text: `Dead letters of ${queue}` }), deadLetters,
				list.length ? '' : el('p', { class: 'empty', text: 'None.' }));
		} catch (error) {
			notify(`Dead letters: ${error.message}`, true);
		}
	};
	const render = (queue) => {
		const pause = el('button', { type: 'button', class: 'pause secondary', text: 'Pause', disabled: readOnly });
		const resume = el('button', { type: 'button', class: 'resume secondary', text: 'Resume', disabled: readOnly });
		pause.addEventListener('click', () => consume(queue.name, false));
		resume.addEventListener('click', () => consume(queue.name, true));
		const count = el('a', { href: '#/queues', text: queue.deadLetters ?? '?', title: 'Show the dead letters' });
		count.addEventListener('click', (event) => {
			event.preventDefault();
			showDeadLetters(queue.name);
		});
		return el('tr', { 'data-queue': queue.name },
			cell('name', queue.name),
			cell('length num', queue.length ?? '?'),
			cell('consumers', queue.consumers.join(', ') || 'none (paused)'),
			el('td', { class: `dead-letters num${queue.deadLetters ? ' warn' : ''}` }, count),
			el('td', { class: 'buttons' }, pause, resume));
	};
	const load = async () => {
		try {
			const list = await get('data/queues');
			tbody.replaceChildren(...list.map(render));
			empty.hidden = list.length > 0;
		} catch (error) {
			notify(`Queues: ${error.message}`, true);
		}
	};
	load();
	const refresh = setInterval(() => {
		load();
		if (shown) showDeadLetters(shown);
	}, 10000);
	const node = el('section', { class: 'view' }, el('h1', { text: 'Queues' }), queues, empty, letters);
	return { node, stop: () => clearInterval(refresh) };
}
