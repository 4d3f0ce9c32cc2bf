// Questions on the terminal: yes/no confirmation and secrets (not echoed).
import { createInterface } from 'node:readline';
import { UsageError } from './args.js';

export function askYesNo(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
  });
}

export function readSecret(prompt: string): Promise<string> {
  if (!process.stdin.isTTY) throw new UsageError(`${prompt.replace(/:\s*$/, '')} needed but there is no terminal to ask on`);
  return new Promise((resolve) => {
    process.stderr.write(prompt);
    const stdin = process.stdin;
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (b: Buffer): void => {
      for (const ch of b.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          resolve(value);
          return;
        }
        if (ch === '\u0003') process.kill(process.pid, 'SIGINT');
        else if (ch === '\u007f') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}
