// The loaded, validated playbook. Values are kept as written (templates are rendered per
// host at run time); every node carries where it came from.
import type { SourcePos } from '../core/source.js';

/** Keywords shared by tasks, blocks and includes that the executor inherits downwards. */
export interface TaskKeywords {
  readonly name?: string;
  readonly when: readonly (string | boolean)[];
  readonly tags: readonly string[];
  readonly vars: Readonly<Record<string, unknown>>;
  readonly become?: boolean | string;
  readonly becomeUser?: string;
  readonly environment?: unknown;
  readonly ignoreErrors?: boolean | string;
  readonly ignoreUnreachable?: boolean | string;
  readonly checkMode?: boolean | string;
  readonly diff?: boolean | string;
  readonly noLog?: boolean | string;
  readonly runOnce?: boolean | string;
  readonly delegateTo?: string;
  readonly anyErrorsFatal?: boolean | string;
  readonly timeout?: number | string;
  readonly connection?: string;
  readonly remoteUser?: string;
  readonly pos: SourcePos;
}

export interface Loop {
  /** list or template string; with_dict/with_nested are normalised to their list form at run time */
  readonly items: unknown;
  readonly style: 'loop' | 'with_items' | 'with_list' | 'with_dict' | 'with_nested' | 'with_indexed_items' | 'with_sequence';
  readonly loopVar: string;
  readonly indexVar?: string;
  readonly label?: string;
  readonly pauseSeconds?: number;
}

export interface Task extends TaskKeywords {
  readonly kind: 'task';
  /** canonical module name (`command`, never `ansible.builtin.command`) */
  readonly module: string;
  /** merged arguments: free-form → its argument, k=v tokens, `args:` */
  readonly args: Readonly<Record<string, unknown>>;
  readonly register?: string;
  readonly loop?: Loop;
  readonly retries?: number | string;
  readonly until?: readonly (string | boolean)[];
  readonly delay?: number | string;
  readonly failedWhen?: readonly (string | boolean)[];
  readonly changedWhen?: readonly (string | boolean)[];
  readonly notify: readonly string[];
  /** handlers only */
  readonly listen: readonly string[];
  readonly file: string;
}

export interface Block extends TaskKeywords {
  readonly kind: 'block';
  readonly block: readonly TaskNode[];
  readonly rescue: readonly TaskNode[];
  readonly always: readonly TaskNode[];
}

/** `include_tasks`: loaded when reached, per host (the file name may be templated). */
export interface IncludeTasks extends TaskKeywords {
  readonly kind: 'include';
  readonly file: string;
  /** the directory relative paths resolve from */
  readonly baseDir: string;
  readonly loop?: Loop;
}

export type TaskNode = Task | Block | IncludeTasks;

export type Serial = readonly (number | string)[];

export interface Play {
  readonly name: string;
  readonly hosts: string;
  readonly vars: Readonly<Record<string, unknown>>;
  readonly varsFiles: readonly string[];
  readonly gatherFacts: boolean | string;
  readonly serial?: Serial | string;
  readonly maxFailPercentage?: number;
  readonly anyErrorsFatal: boolean | string;
  readonly become?: boolean | string;
  readonly becomeUser?: string;
  readonly environment?: unknown;
  readonly connection?: string;
  readonly remoteUser?: string;
  readonly preTasks: readonly TaskNode[];
  readonly tasks: readonly TaskNode[];
  readonly postTasks: readonly TaskNode[];
  readonly handlers: readonly Task[];
  readonly tags: readonly string[];
  readonly checkMode?: boolean | string;
  readonly diff?: boolean | string;
  readonly strategy: 'linear' | 'free';
  readonly ignoreErrors?: boolean | string;
  readonly ignoreUnreachable?: boolean | string;
  readonly noLog?: boolean | string;
  readonly order: 'inventory' | 'reverse_inventory' | 'sorted' | 'reverse_sorted';
  readonly timeout?: number | string;
  readonly pos: SourcePos;
}

export interface Playbook {
  readonly file: string;
  readonly dir: string;
  readonly plays: readonly Play[];
  /** every file read to build it (the playbook, imported task files, vars files), for hashing */
  readonly files: readonly string[];
}
