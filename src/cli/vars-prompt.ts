// `vars_prompt`: ask on the terminal before the run, as ansible-playbook does. A variable given
// with -e is not asked; without a terminal its default is used, or the run is refused, naming
// the variable and -e.
import { createInterface } from 'node:readline';
import { formatPos } from '../core/source.js';
import type { Playbook, VarsPrompt } from '../playbook/model.js';
import { readSecret } from './prompt.js';

export class PromptRefused extends Error {}

export async function answerVarsPrompts(
  pb: Playbook,
  extraVars: Readonly<Record<string, unknown>>,
  isTTY = process.stdin.isTTY === true,
): Promise<Playbook> {
  if (!pb.plays.some((p) => p.varsPrompt.length > 0)) return pb;
  const plays = [];
  for (const play of pb.plays) {
    const answers: Record<string, string> = {};
    for (const q of play.varsPrompt) {
      if (Object.hasOwn(extraVars, q.name)) continue;
      if (!isTTY && q.default !== undefined) {
        // as ansible-playbook: no terminal to ask on, the prompt's default is the answer
        process.stderr.write(`runbook: vars_prompt '${q.name}': no terminal, using its default\n`);
        answers[q.name] = q.default;
        continue;
      }
      if (!isTTY) {
        throw new PromptRefused(
          `${formatPos(q.pos)}: vars_prompt '${q.name}' needs an answer and there is no terminal to ask on: pass it with -e ${q.name}=VALUE`,
        );
      }
      answers[q.name] = await ask(q);
    }
    plays.push(Object.keys(answers).length ? { ...play, vars: { ...play.vars, ...answers } } : play);
  }
  return { ...pb, plays };
}

async function ask(q: VarsPrompt): Promise<string> {
  const label = `${q.prompt}${q.default !== undefined ? ` [${q.private ? '***' : q.default}]` : ''}: `;
  for (;;) {
    const first = (q.private ? await readSecret(label) : await readLine(label)) || (q.default ?? '');
    if (!q.confirm) return first;
    const again = (q.private ? await readSecret(`confirm ${label}`) : await readLine(`confirm ${label}`)) || (q.default ?? '');
    if (again === first) return first;
    process.stderr.write('***** VALUES ENTERED DO NOT MATCH ****\n');
  }
}

function readLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
  });
}
