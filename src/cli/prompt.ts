// Questions on the terminal: yes/no confirmation and secrets (not echoed).
import { closeSync, openSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { ReadStream, WriteStream } from 'node:tty';
import { UsageError } from './args.js';

export interface Terminal {
  readonly input: ReadStream;
  readonly output: WriteStream;
  close(): void;
}

/**
 * The controlling terminal (/dev/tty), so a confirmation works while stdout goes to a pipe
 * (`runbook apply … | tee run.log`). Only when the operator sits at one (stdin or stderr is a
 * terminal): a child process of a test or a cron job is never asked, even if /dev/tty opens.
 */
export function openTerminal(): Terminal | undefined {
  if (!process.stdin.isTTY && !process.stderr.isTTY) return undefined;
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    return undefined;
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  return {
    input,
    output,
    close() {
      input.destroy();
      output.destroy();
      try {
        closeSync(fd);
      } catch {
        // already closed with the streams
      }
    },
  };
}

export function askYesNo(question: string, term?: Terminal): Promise<boolean> {
  const output = term?.output ?? process.stderr;
  const rl = createInterface({ input: term?.input ?? process.stdin, output });
  return new Promise((resolve) => {
    rl.question(question, (answer) => {
      resolve(/^y(es)?$/i.test(answer.trim()));
      rl.close();
    });
    // Ctrl-D or Ctrl-C at the question: no answer is no (readline in raw mode would only pause)
    rl.on('close', () => resolve(false));
    rl.on('SIGINT', () => {
      output.write('^C\n');
      rl.close();
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
