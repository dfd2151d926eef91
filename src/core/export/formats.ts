// Every export format, once. Adding one is a file with its `ExportFormatSpec` and a line here:
// the compiler refuses a name in EXPORT_FORMATS without its entry, and an entry missing a field.
import type { ExportFormatSpec } from './format';
import { progsnap2Format } from './progsnap2';
import { rawFormat } from './raw';
import { swebenchFormat } from './swebench';
import { trajectoriesFormat } from './trajectories';
import { trlFormat } from './trl';
import { zedFormat } from './zed';

export const EXPORT_FORMATS = ['raw', 'trajectories', 'trl', 'swebench', 'zed', 'progsnap2'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const FORMATS = {
  raw: rawFormat,
  trajectories: trajectoriesFormat,
  trl: trlFormat,
  swebench: swebenchFormat,
  zed: zedFormat,
  progsnap2: progsnap2Format,
} as const satisfies Record<ExportFormat, ExportFormatSpec>;

export function isExportFormat(name: string): name is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(name);
}
