// Reading what an executed notebook printed, for the notebook tests. The numbers a test checks
// are computed in the test itself (formula, hand computation), never copied from an output.
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { expect } from 'vitest';

export const ROOT = path.resolve(__dirname, '..', '..');

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, unknown>;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
  metadata?: Record<string, unknown>;
}
interface RunMeta {
  status: string;
  seconds: number;
  cell?: number;
  kind?: string;
  error?: string;
  cell_source?: string;
}

const join = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : (t ?? ''));

/** An executed notebook from build/notebooks, with helpers to read its outputs. */
export class Executed {
  readonly cells: Cell[];
  readonly meta: RunMeta;

  constructor(readonly name: string) {
    // CNN_EXECUTED_DIR: read copies executed elsewhere (e.g. run_notebooks.py --out build/nb-mine).
    const dir = process.env.CNN_EXECUTED_DIR ? path.resolve(ROOT, process.env.CNN_EXECUTED_DIR) : path.join(ROOT, 'build', 'notebooks');
    const file = path.join(dir, `${name}.ipynb`);
    if (!existsSync(file)) throw new Error(`${name}: not executed (no ${file}); see the make output above`);
    const nb = JSON.parse(readFileSync(file, 'utf8'));
    this.cells = nb.cells;
    this.meta = nb.metadata.cnn_notebooks;
  }

  /**
   * Fails the test with the runner's report unless the notebook ran clean. Its time is reported against
   * the 90 s budget but not asserted: these machines are shared, and a wall-clock bound fails at random.
   */
  expectOk(budgetSeconds = 90): this {
    const m = this.meta;
    const detail =
      m.status === 'ok' ? '' : `cell ${m.cell} ${m.kind}\n--- source ---\n${m.cell_source}\n--- error ---\n${m.error}`;
    expect(m.status, `${this.name} failed: ${detail}`).toBe('ok');
    if (m.seconds > budgetSeconds) console.warn(`${this.name}: ${m.seconds} s, over its ${budgetSeconds} s budget`);
    return this;
  }

  /**
   * All stdout text of the notebook, in order, with the value of each cell's last expression (its
   * execute_result's text/plain) as the line it was printed as before the kernel sent results.
   */
  get stdout(): string {
    return this.cells
      .flatMap((c) => c.outputs ?? [])
      .map((o) => {
        if (o.output_type === 'stream') return o.name === 'stdout' ? join(o.text) : '';
        const value = o.output_type === 'execute_result' ? o.data?.['text/plain'] : undefined;
        return value === undefined ? '' : join(value as string | string[]) + '\n';
      })
      .join('');
  }

  /**
   * The `nth` table (0 = the first) printed by cnnlib's textTable whose first column is titled
   * `firstHeader`: its header cells and its rows, each as trimmed cells (the rule of dashes is skipped).
   */
  table(firstHeader: string, nth = 0): { header: string[]; rows: string[][] } {
    const lines = this.stdout.split('\n');
    const cells = (line: string) => line.split(' | ').map((c) => c.trim());
    const starts = lines.flatMap((l, i) => (l.includes(' | ') && cells(l)[0] === firstHeader ? [i] : []));
    if (nth >= starts.length) throw new Error(`${this.name}: no table ${nth} with first column '${firstHeader}' in stdout (${starts.length} found)`);
    const header = cells(lines[starts[nth]]);
    const rows: string[][] = [];
    for (const line of lines.slice(starts[nth] + 2)) {
      const row = cells(line);
      if (row.length !== header.length) break;
      rows.push(row);
    }
    return { header, rows };
  }

  /** Every display_data / execute_result bundle, in order. */
  get displays(): Record<string, unknown>[] {
    return this.cells
      .flatMap((c) => c.outputs ?? [])
      .filter((o) => o.output_type === 'display_data' || o.output_type === 'execute_result')
      .map((o) => o.data ?? {});
  }

  /** Markdown text of the notebook (to check that an Errata note exists, say). */
  get markdown(): string {
    return this.cells.filter((c) => c.cell_type === 'markdown').map((c) => join(c.source)).join('\n');
  }

  /**
   * The "## Recall" section: its text, its questions (numbered items, a question or a task such as
   * "Derive ..."; one wrapped onto lines indented by 3 spaces is read as one line) and its answers (blocks of exactly the form the
   * guide renders: `   <details><summary>Answer</summary>`, a blank line, the answer, a blank line,
   * `   </details>`).
   */
  get recall(): { text: string; questions: string[]; answers: string[] } {
    const text = this.markdown.split('## Recall')[1] ?? '';
    const items = [...text.matchAll(/^\d+\. .+(?:\n {3}(?!<details>)\S.*)*/gm)].map((m) => m[0].replace(/\n {3}/g, ' '));
    return {
      text,
      questions: items,
      answers: text.match(/^ {3}<details><summary>Answer<\/summary>\n\n[\s\S]+?\n\n {3}<\/details>$/gm) ?? [],
    };
  }

  /** The first number printed after `label` on one line of stdout, e.g. number('Total params:'). */
  number(label: string | RegExp): number {
    const re = typeof label === 'string' ? new RegExp(`${escape(label)}\\s*([-+]?[\\d,]*\\.?\\d+(?:e[-+]?\\d+)?)`) : label;
    const m = this.stdout.match(re);
    if (!m) throw new Error(`${this.name}: no line matching ${re} in stdout`);
    return Number(m[1].replace(/,/g, ''));
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
