/**
 * A list that stays fast at 10k+ rows: only the rows in view (plus a margin) exist in the DOM,
 * positioned absolutely inside a spacer as tall as the whole list.
 */
const ROW_HEIGHT = 22;
const OVERSCAN = 10;

export class VirtualList<T> {
  private items: readonly T[] = [];
  private readonly spacer: HTMLDivElement;
  private frame = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly render: (item: T, row: HTMLDivElement) => void,
  ) {
    this.spacer = document.createElement('div');
    container.append(this.spacer);
    container.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(container);
  }

  setItems(items: readonly T[]): void {
    this.items = items;
    this.spacer.style.height = `${items.length * ROW_HEIGHT}px`;
    this.draw();
  }

  /** Scroll so that item `index` is visible. */
  reveal(index: number): void {
    const top = index * ROW_HEIGHT;
    if (top < this.container.scrollTop || top > this.container.scrollTop + this.container.clientHeight - ROW_HEIGHT) this.container.scrollTop = top - ROW_HEIGHT * 3;
    this.draw();
  }

  redraw(): void {
    this.draw();
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  private draw(): void {
    const first = Math.max(0, Math.floor(this.container.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil((this.container.clientHeight || 600) / ROW_HEIGHT) + OVERSCAN * 2;
    const last = Math.min(this.items.length, first + visible);
    const rows: HTMLDivElement[] = [];
    for (let i = first; i < last; i++) {
      const row = document.createElement('div');
      row.className = 'row-item';
      row.style.top = `${i * ROW_HEIGHT}px`;
      this.render(this.items[i]!, row);
      rows.push(row);
    }
    this.spacer.replaceChildren(...rows);
  }
}
