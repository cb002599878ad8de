// The study guide's weight: every page light enough to open at once from disk, the whole folder
// small enough to copy or zip. Library scripts are shared files, so they count once.
import { existsSync, readFileSync, readdirSync, statSync } from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../notebooks/executed';

const guide = path.resolve(ROOT, process.env.CNN_GUIDE_DIR ?? path.join('build', 'guide'));
const MB = 1024 * 1024;
const PAGE_LIMIT = 1.5 * MB;
const GUIDE_LIMIT = 20 * MB;

function folderBytes(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, e) => sum + (e.isDirectory() ? folderBytes(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).size),
    0,
  );
}

describe('study guide weight', () => {
  it('no page over 1.5 MB, the guide under 20 MB', () => {
    expect(existsSync(path.join(guide, 'index.html')), `${guide}/index.html`).toBe(true);
    const pages = readdirSync(guide).filter((f) => f.endsWith('.html'));
    const heavy = pages
      .map((f) => ({ f, size: statSync(path.join(guide, f)).size }))
      .filter((p) => p.size > PAGE_LIMIT)
      .map((p) => `${p.f}: ${(p.size / MB).toFixed(2)} MB`);
    expect(heavy, 'pages over 1.5 MB').toEqual([]);
    const total = folderBytes(guide);
    expect(total / MB, 'guide folder in MB').toBeLessThan(GUIDE_LIMIT / MB);
  });

  it('each library script is one shared file, not inlined in pages', () => {
    for (const f of readdirSync(guide).filter((f) => f.endsWith('.html'))) {
      const size = statSync(path.join(guide, f)).size;
      if (size < 200_000) continue;
      // A page's own data (figures) may be large; a library's code must not be inlined in it.
      const head = readFileSync(path.join(guide, f), 'utf8');
      expect(/<script[^>]*>(?:(?!<\/script>)[\s\S]){200000,}?<\/script>/.test(head), `${f} inlines a large script`).toBe(false);
      expect(/<style[^>]*>(?:(?!<\/style>)[\s\S]){100000,}?<\/style>/.test(head), `${f} inlines a large style sheet`).toBe(false);
    }
  });
});
