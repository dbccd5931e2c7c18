import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeXml, lineChart, logTicks } from '../../bench/sideBySide/svg';

const chart = () =>
  lineChart({
    title: 'p99 <latency>',
    xLabel: 'offered load',
    yLabel: 'p99 (ms)',
    xTicks: [500, 1000, 5000],
    series: [
      {
        name: 'ngircd',
        points: [
          { x: 500, y: 40 },
          { x: 1000, y: 39 },
          { x: 5000, y: 21 },
        ],
      },
      {
        name: 'our relay & co',
        points: [
          { x: 5000, y: 0.9 },
          { x: 1000, y: 0.8 },
        ],
      },
      { name: 'nothing measured', points: [] },
    ],
  });

test('a chart has one line per series with a dot per point, and a legend entry for each', () => {
  const svg = chart();
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.equal(svg.match(/<polyline /g)?.length, 2);
  assert.equal(svg.match(/<circle /g)?.length, 5);
  assert.match(svg, /data-series="ngircd"/);
  assert.match(svg, /data-series="nothing measured"/);
  assert.ok(svg.trimEnd().endsWith('</svg>'));
});

test('text in a chart is escaped, so a name cannot break the XML', () => {
  const svg = chart();
  assert.match(svg, /p99 &lt;latency&gt;/);
  assert.match(svg, /our relay &amp; co/);
  assert.equal(escapeXml('"a" < b & c'), '&quot;a&quot; &lt; b &amp; c');
});

test('a line runs left to right whatever order its points came in, higher latency drawn higher', () => {
  const svg = chart();
  const line = /data-series="our relay &amp; co">\n<polyline points="([^"]+)"/.exec(svg)![1]!;
  const [left, right] = line.split(' ').map((point) => point.split(',').map(Number));
  assert.ok(left![0]! < right![0]!, 'x grows with the load');
  assert.ok(left![1]! > right![1]!, '0.8 ms is drawn below 0.9 ms');
});

test('the same data gives the same bytes', () => {
  assert.equal(chart(), chart());
});

test('log ticks are 1, 2 and 5 times powers of ten within the range', () => {
  assert.deepEqual(logTicks(0.1, 100), [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100]);
});
