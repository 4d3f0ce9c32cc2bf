import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/executor/events.js';
import { counters, oneTask, render, runEnd } from './helpers.js';

describe('json reporter', () => {
  it('writes one parseable JSON object per event, equal to the event', async () => {
    const events: RunEvent[] = [
      ...oneTask('Stop etcd', [['etcd1', { status: 'changed', stdout: 'line\nwith "quotes"' }]]),
      { type: 'warning', message: 'w', host: 'etcd1' },
      runEnd({ etcd1: counters({ changed: 1, ok: 1 }) }),
    ];
    const text = await render('json', events, { color: true });
    expect(text.endsWith('\n')).toBe(true);
    const rows = text.trimEnd().split('\n');
    expect(rows).toHaveLength(events.length);
    expect(rows.map((r) => JSON.parse(r) as unknown)).toEqual(events);
    expect(text).not.toMatch(/\u001b\[/);
  });
});
