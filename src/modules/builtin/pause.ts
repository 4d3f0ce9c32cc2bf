// ansible.builtin.pause: wait a number of seconds/minutes (also in check mode, as Ansible).
// There is no interactive prompt: a prompt without a duration is an error, a prompt with one
// is shown in the message only.
import { failed, ok } from '../../core/result.js';
import type { Module } from '../types.js';
import type { PauseArgs } from '../generated/args.js';
import { sleep } from '../support/exec.js';

const pause: Module<PauseArgs, never> = {
  name: 'pause',
  controllerOnly: true,
  readOnly: true,
  async check(ctx, args) {
    let ms: number;
    try {
      ms = args.minutes !== undefined ? args.minutes * 60_000 : args.seconds !== undefined ? args.seconds * 1000 : -1;
    } catch (e) {
      return { kind: 'failed', result: failed((e as Error).message) };
    }
    if (ms < 0)
      return {
        kind: 'failed',
        result: failed('pause needs seconds or minutes: runbook cannot wait for a keypress (no interactive prompt)'),
      };
    const start = Date.now();
    const done = await sleep(ms, ctx.signal);
    const stop = Date.now();
    const data = {
      start: new Date(start).toISOString(),
      stop: new Date(stop).toISOString(),
      delta: Math.round((stop - start) / 1000),
      echo: true,
      user_input: '',
    };
    if (!done) return { kind: 'failed', result: failed('pause interrupted', { data }) };
    const prompt = args.prompt;
    return {
      kind: 'unchanged',
      result: ok({ msg: prompt ?? `Paused for ${ms % 60_000 === 0 && ms > 0 ? `${ms / 60_000} minutes` : `${ms / 1000} seconds`}`, data }),
    };
  },
  apply() {
    return Promise.resolve(ok());
  },
};

export default pause;
