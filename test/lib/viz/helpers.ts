// Helpers of the viz tests: walk a spec, render it, and catch Vega warnings (which a notebook would
// print to stderr and fail on).
import { vi } from 'vitest';
import { vegaLiteToSvg } from '../../../lib/viz/render';

/** Every value of `key` anywhere in a spec. */
export function collect(spec: unknown, key: string): unknown[] {
  const out: unknown[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === key) out.push(x);
        walk(x);
      }
    }
  };
  walk(spec);
  return out;
}

/** Mark types used anywhere in a spec ('rect', 'line', ...). */
export function marks(spec: unknown): string[] {
  return collect(spec, 'mark').map((m) => (typeof m === 'string' ? m : (m as { type: string }).type));
}

/** Fields encoded anywhere in a spec. */
export function fields(spec: unknown): string[] {
  return collect(spec, 'field').filter((f): f is string => typeof f === 'string');
}

/** Inline data rows of the top-level spec. */
export function rows(spec: Record<string, unknown>): Record<string, unknown>[] {
  return (spec.data as { values: Record<string, unknown>[] }).values;
}

/** Render to SVG and return it with any warnings vega or vega-lite logged. */
export async function renderQuietly(spec: Record<string, unknown>): Promise<{ svg: string; warnings: string[] }> {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  const error = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    const svg = await vegaLiteToSvg(spec);
    const warnings = [...warn.mock.calls, ...error.mock.calls].map((c) => c.map(String).join(' '));
    return { svg, warnings };
  } finally {
    warn.mockRestore();
    error.mockRestore();
  }
}
