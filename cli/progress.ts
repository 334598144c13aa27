// Load progress for users: a redrawn bar on a terminal, plain lines otherwise (logs, CI, pipes), a file's
// percentage at most every 5 seconds of the CLI's clock.
import path from 'node:path';
import type { ProgressEvent } from '../collectors/ingest.ts';

export function progressPrinter(
  write: (text: string) => void,
  isTTY: boolean,
  now: () => Date,
): (event: ProgressEvent) => void {
  let lastLine = -Infinity;
  return (event) => {
    const name = path.basename(event.type === 'file-done' ? event.result.path : event.path);
    const position = `${event.index + 1}/${event.total}`;
    if (isTTY) {
      const percent =
        event.type === 'file-progress'
          ? Math.max(0, Math.round(event.percent))
          : event.type === 'file-done'
            ? 100
            : 0;
      const filled = Math.round(percent / 5);
      write(`\r[${'#'.repeat(filled)}${'-'.repeat(20 - filled)}] ${position} ${name} ${percent}%   `);
      if (event.type === 'file-done' && event.index + 1 === event.total) write('\n');
      return;
    }
    if (event.type === 'file-start')
      write(`开始加载 ${position} ${name}（${(event.bytes / 1048576).toFixed(1)} MB）\n`);
    const at = now().getTime();
    if (event.type === 'file-progress' && at - lastLine >= 5000) {
      lastLine = at;
      write(`  ${name}：${Math.round(event.percent)}%\n`);
    }
  };
}
