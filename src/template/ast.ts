// Syntax trees for expressions (`a.b | f(1)`) and template statements (`{% if %}` ...).
export interface Args {
  readonly args: readonly Expr[];
  readonly kwargs: readonly (readonly [string, Expr])[];
}

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '~';
export type CompareOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not in';

export type Expr =
  | { readonly t: 'const'; readonly value: unknown; readonly at: number }
  | { readonly t: 'name'; readonly name: string; readonly at: number }
  | { readonly t: 'attr'; readonly obj: Expr; readonly name: string; readonly at: number }
  | { readonly t: 'item'; readonly obj: Expr; readonly key: Expr; readonly at: number }
  | {
      readonly t: 'slice';
      readonly obj: Expr;
      readonly start: Expr | null;
      readonly stop: Expr | null;
      readonly step: Expr | null;
      readonly at: number;
    }
  | { readonly t: 'list' | 'tuple'; readonly items: readonly Expr[]; readonly at: number }
  | { readonly t: 'dict'; readonly entries: readonly (readonly [Expr, Expr])[]; readonly at: number }
  | { readonly t: 'neg' | 'pos' | 'not'; readonly arg: Expr; readonly at: number }
  | { readonly t: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr; readonly at: number }
  | { readonly t: 'and' | 'or'; readonly left: Expr; readonly right: Expr; readonly at: number }
  | {
      readonly t: 'compare';
      readonly first: Expr;
      readonly rest: readonly { readonly op: CompareOp; readonly expr: Expr }[];
      readonly at: number;
    }
  | { readonly t: 'cond'; readonly test: Expr; readonly then: Expr; readonly else: Expr | null; readonly at: number }
  | ({ readonly t: 'filter'; readonly arg: Expr; readonly name: string; readonly at: number } & Args)
  | ({ readonly t: 'test'; readonly arg: Expr; readonly name: string; readonly negated: boolean; readonly at: number } & Args)
  | ({ readonly t: 'call'; readonly callee: Expr; readonly at: number } & Args);

/** The name a filter block's chain reads its rendered body from (no template can spell it). */
export const FILTER_BODY = '\0filter body';

export type SetTarget =
  | { readonly t: 'names'; readonly names: readonly string[] }
  | { readonly t: 'ns'; readonly ns: string; readonly attr: string; readonly at: number };

export type Node =
  | { readonly t: 'text'; readonly text: string }
  | { readonly t: 'output'; readonly expr: Expr }
  | {
      readonly t: 'if';
      readonly branches: readonly { readonly test: Expr; readonly body: readonly Node[] }[];
      readonly else: readonly Node[];
    }
  | {
      readonly t: 'for';
      readonly targets: readonly string[];
      readonly iter: Expr;
      readonly filter: Expr | null;
      readonly body: readonly Node[];
      readonly else: readonly Node[];
      readonly at: number;
    }
  | { readonly t: 'set'; readonly target: SetTarget; readonly value: Expr }
  | { readonly t: 'setblock'; readonly name: string; readonly body: readonly Node[] }
  /** `{% filter f | g(1) %}body{% endfilter %}`: `filter` is the chain applied to the name FILTER_BODY */
  | { readonly t: 'filterblock'; readonly filter: Expr; readonly body: readonly Node[] }
  /** template files (template module, lookup('template')): inheritance, includes, macros */
  | { readonly t: 'block'; readonly name: string; readonly body: readonly Node[]; readonly at: number }
  | { readonly t: 'extends'; readonly name: Expr; readonly at: number }
  | { readonly t: 'include'; readonly name: Expr; readonly ignoreMissing: boolean; readonly withContext: boolean; readonly at: number }
  | {
      readonly t: 'macro';
      readonly name: string;
      readonly params: readonly { readonly name: string; readonly default: Expr | null }[];
      readonly body: readonly Node[];
    };

/** A parsed template; `single` is set when the text is exactly one `{{ expr }}` (native result). */
export interface Template {
  readonly nodes: readonly Node[];
  readonly single: Expr | null;
}
