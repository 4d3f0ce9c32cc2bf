// ansible.builtin.template: render a controller template with the task's variables and put
// the result at dest (then exactly as copy).
import { readBounded, refusalLine } from '../../core/read-bounded.js';
import { openVaulted } from '../../core/vault.js';
import { stat } from 'node:fs/promises';
import { failed } from '../../core/result.js';
import type { Module, Prediction } from '../types.js';
import type { TemplateArgs } from '../generated/args.js';
import { modeArg } from '../support/mode.js';
import { selinuxArgs, findControllerFile, lookedIn, searchDirs, isControllerDir, templateLoader } from '../support/files.js';
import { applyWrite, planWrite, writeOptions, type WritePlan } from '../support/write.js';

const template: Module<TemplateArgs, WritePlan> = {
  name: 'template',
  async check(ctx, args): Promise<Prediction<WritePlan>> {
    const se = await selinuxArgs(ctx, args);
    if (se) return { kind: 'failed', result: failed(se) };
    const src = args.src;
    const dest = args.dest;
    if (src === undefined || dest === undefined) return { kind: 'failed', result: failed('src and dest are required') };
    const path = findControllerFile(searchDirs(ctx), src, 'templates');
    if (!path || isControllerDir(path))
      return { kind: 'failed', result: failed(`Could not find or access '${src}' (looked in ${lookedIn(searchDirs(ctx), 'templates')})`) };
    const read = readBounded(path);
    if (!read.ok) return { kind: 'failed', result: failed(refusalLine(src, read.why)) };
    // Ansible's loader decrypts a vault-encrypted template as it reads it
    const opened = openVaulted(read.text);
    if (!opened.ok) return { kind: 'failed', result: failed(`${src}: ${opened.why}`) };
    const text = opened.text;
    let rendered: string;
    try {
      rendered = ctx.renderFile(text, templateLoader(path, searchDirs(ctx)));
    } catch (e) {
      return { kind: 'failed', result: failed(`template error in ${src}: ${(e as Error).message}`) };
    }
    // Ansible keeps the template's trailing newline (Jinja alone would drop one)
    if (text.endsWith('\n') && !rendered.endsWith('\n')) rendered += '\n';
    let mode: number | undefined;
    let symbolic: string | undefined;
    try {
      if (args.mode === 'preserve')
        mode = (await stat(path)).mode & 0o7777; // the template's own mode, as Ansible
      else ({ mode, symbolic } = modeArg(args.mode));
    } catch (e) {
      return { kind: 'failed', result: failed((e as Error).message) };
    }
    return planWrite(ctx, {
      dest,
      content: Buffer.from(rendered, 'utf8'),
      srcName: src.replace(/^.*\//, '').replace(/\.j2$/, ''),
      mode,
      symbolic,
      ...writeOptions(args),
    });
  },
  apply(ctx, _args, prediction) {
    return applyWrite(ctx, prediction.plan);
  },
};

export default template;
