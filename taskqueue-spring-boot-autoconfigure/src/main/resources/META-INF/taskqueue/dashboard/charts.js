// #/charts: succeeded and failed tasks per minute and runtime percentiles, last hour; every 10 s
import { get } from './api.js';
import { el, svg, notify } from './dom.js';

const W = 900;
const H = 240;
const PAD = { left: 56, right: 24, top: 30, bottom: 26 };

// the smallest of 1, 2, 5 times a power of ten at or above the value, at least the floor
function niceMax(value, floor) {
	const wanted = Math.max(value, floor);
	const power = 10 ** Math.floor(Math.log10(wanted));
	return [1, 2, 5, 10].map((m) => m * power).find((m) => m >= wanted - 1e-9);
}

// axes, grid and minute labels; returns the scales
function frame(chart, points, max, format) {
	chart.replaceChildren();
	chart.setAttribute('viewBox', `0 0 ${W} ${H}`);
	const plotW = W - PAD.left - PAD.right;
	const plotH = H - PAD.top - PAD.bottom;
	const x = (i) => PAD.left + (i + 0.5) * (plotW / points.length);
	const y = (v) => PAD.top + plotH - (v / max) * plotH;
	for (let t = 0; t <= 5; t++) {
		const v = (max * t) / 5;
		chart.append(svg('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid' }));
		chart.append(svg('text', { x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick' }, format(v)));
	}
	points.forEach((point, i) => {
		if (i % 10 === 9 || i === points.length - 1) {
			const label = new Date(point.time).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
			const anchor = i === points.length - 1 ? 'end' : 'middle';
			chart.append(svg('text', { x: i === points.length - 1 ? W - PAD.right : x(i), y: H - 8, 'text-anchor': anchor, class: 'tick' }, label));
		}
	});
	return { x, y, slot: plotW / points.length };
}

function legend(chart, entries) {
	let at = W - PAD.right - entries.reduce((width, [label]) => width + 30 + label.length * 7, 0);
	for (const [label, cls] of entries) {
		chart.append(svg('rect', { x: at, y: 6, width: 10, height: 10, rx: 2, class: cls }));
		chart.append(svg('text', { x: at + 14, y: 15, class: 'legend' }, label));
		at += 30 + label.length * 7;
	}
}

function throughput(chart, points) {
	const max = niceMax(Math.max(...points.map((p) => p.succeeded + p.failed)), 5);
	const { x, y, slot } = frame(chart, points, max, (v) => String(Math.round(v)));
	const width = Math.max(2, slot * 0.7);
	points.forEach((point, i) => {
		const title = `${new Date(point.time).toLocaleTimeString()}: ${point.succeeded} succeeded, ${point.failed} failed`;
		if (point.succeeded) {
			const bar = svg('rect', { x: x(i) - width / 2, y: y(point.succeeded), width, height: y(0) - y(point.succeeded), class: 'succeeded' });
			bar.append(svg('title', {}, title));
			chart.append(bar);
		}
		if (point.failed) {
			const top = point.succeeded + point.failed;
			const bar = svg('rect', { x: x(i) - width / 2, y: y(top), width, height: y(point.succeeded) - y(top), class: 'failed' });
			bar.append(svg('title', {}, title));
			chart.append(bar);
		}
	});
	legend(chart, [['succeeded', 'succeeded'], ['failed', 'failed']]);
}

function runtimes(chart, points) {
	const max = niceMax(Math.max(0, ...points.map((p) => p.p99 ?? 0)), 0.01);
	const format = (v) => (v === 0 ? '0' : v < 1 ? `${+(v * 1000).toPrecision(3)} ms` : `${+v.toPrecision(3)} s`);
	const { x, y } = frame(chart, points, max, format);
	for (const [key, cls] of [['p99', 'p99'], ['p95', 'p95'], ['p50', 'p50']]) {
		let path = '';
		points.forEach((point, i) => {
			const value = point[key];
			if (value === null || value === undefined) return;
			path += `${path && points[i - 1] && points[i - 1][key] !== null ? 'L' : 'M'}${x(i).toFixed(1)},${y(value).toFixed(1)} `;
			const dot = svg('circle', { cx: x(i), cy: y(value), r: 2.5, class: cls });
			dot.append(svg('title', {}, `${key} ${format(value)}`));
			chart.append(dot);
		});
		if (path) chart.append(svg('path', { d: path, class: `line ${cls}` }));
	}
	legend(chart, [['p50', 'p50'], ['p95', 'p95'], ['p99', 'p99']]);
}

export function chartsView() {
	const throughputChart = svg('svg', { id: 'throughput-chart', role: 'img', 'aria-label': 'Succeeded and failed tasks per minute' });
	const runtimeChart = svg('svg', { id: 'runtime-chart', role: 'img', 'aria-label': 'Task runtime percentiles per minute' });
	const load = async () => {
		try {
			const { minutes } = await get('data/charts');
			throughput(throughputChart, minutes);
			runtimes(runtimeChart, minutes);
		} catch (error) {
			notify(`Charts: ${error.message}`, true);
		}
	};
	load();
	const refresh = setInterval(load, 10000);
	const node = el('section', { class: 'view' }, el('h1', { text: 'Charts' }),
		el('div', { class: 'card' }, el('h2', { text: 'Tasks per minute, last hour' }), throughputChart),
		el('div', { class: 'card' }, el('h2', { text: 'Runtime per minute (p50, p95, p99)' }), runtimeChart));
	return { node, stop: () => clearInterval(refresh) };
}
