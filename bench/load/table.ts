/** The one table the runner prints: rows are metrics, columns are targets, then project ÷ floor. */
import { Metric } from './scenario';
import { TARGET_NAMES, TargetName } from './targets';

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
    const header = ['metric', ...TARGET_NAMES, 'project÷floor'];
    const lines = [...this.rows].map(([label, cells]) => [
      label,
      ...TARGET_NAMES.map((target) => formatCell(cells.get(target))),
      ratio(cells.get('project'), cells.get('floor')),
    ]);
    const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column].length)));
    const format = (line: string[]) =>
      line.map((text, column) => (column === 0 ? text.padEnd(widths[column]) : text.padStart(widths[column]))).join('  ');
    return [format(header), widths.map((width) => '-'.repeat(width)).join('  '), ...lines.map(format)].join('\n');
  }
}
