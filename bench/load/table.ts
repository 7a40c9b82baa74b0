/**
 * The one table the runner prints: rows are metrics, columns are targets, then project ÷ floor.
 * The PostgreSQL targets are a second group of columns with their own ratio, shown when one of
 * them runs; the SQLite group is shown when one of its targets runs (so by default alone).
 */
import { Metric } from './scenario';
import { TargetName } from './targets';

const COLUMN_GROUPS: { targets: TargetName[]; ratio: [TargetName, TargetName] }[] = [
  { targets: ['project', 'floor', 'peer'], ratio: ['project', 'floor'] },
  { targets: ['project-pg', 'floor-pg'], ratio: ['project-pg', 'floor-pg'] },
];

type Cell = Pick<Metric, 'value' | 'decimals'>;

function formatCell(cell: Cell | undefined): string {
  if (!cell) return '';
  if (typeof cell.value === 'string') return cell.value;
  if (!Number.isFinite(cell.value)) return '—';
  const digits = cell.decimals ?? 0;
  return cell.value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function ratio(project: Cell | undefined, floor: Cell | undefined): string {
  if (typeof project?.value !== 'number' || typeof floor?.value !== 'number') return '—';
  if (!Number.isFinite(project.value) || !Number.isFinite(floor.value) || floor.value === 0) return '—';
  return `${(project.value / floor.value).toFixed(2)}×`;
}

export class ResultTable {
  private readonly rows = new Map<string, Map<TargetName, Cell>>();

  /** `selected`: the targets asked for, which decide the column groups shown. */
  constructor(private readonly selected: TargetName[]) {}

  /** Reserves rows in the order the scenarios declare them. */
  addLabels(labels: string[]): void {
    for (const label of labels) if (!this.rows.has(label)) this.rows.set(label, new Map());
  }

  set(target: TargetName, metric: Metric): void {
    this.addLabels([metric.label]);
    this.rows.get(metric.label)?.set(target, { value: metric.value, decimals: metric.decimals });
  }

  /** Fills the given rows for a target that produced nothing (not run, unavailable, failed). */
  fill(target: TargetName, labels: string[], text: string): void {
    for (const label of labels) if (!this.rows.get(label)?.has(target)) this.set(target, { label, value: text });
  }

  render(): string {
    const groups = COLUMN_GROUPS.filter((group) => group.targets.some((target) => this.selected.includes(target)));
    const header = ['metric', ...groups.flatMap((group) => [...group.targets, group.ratio.join('÷')])];
    const lines = [...this.rows].map(([label, cells]) => [
      label,
      ...groups.flatMap((group) => [
        ...group.targets.map((target) => formatCell(cells.get(target))),
        ratio(cells.get(group.ratio[0]), cells.get(group.ratio[1])),
      ]),
    ]);
    const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
    const format = (line: string[]) =>
      line.map((text, column) => (column === 0 ? text.padEnd(widths[column]) : text.padStart(widths[column]))).join('  ');
    return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(format)].join('\n');
  }
}
