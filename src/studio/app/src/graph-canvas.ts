/**
 * A target's neighbourhood drawn on a canvas: its dependencies to the left (two levels), its
 * dependents to the right, the target in the middle. Wheel zooms, drag pans, a click selects.
 * Level of detail: zoomed out, nodes are dots without labels, so thousands of neighbours still
 * draw in a frame.
 */
import type { TargetIndex } from './target-index.js';

interface Placed {
  label: string;
  x: number;
  y: number;
  column: number;
}

const COLUMN_WIDTH = 260;
const ROW_HEIGHT = 24;
const TYPE_COLOURS: Record<string, string> = { texture: '#c60', model: '#36c', audio: '#393', bundle: '#555', data: '#a3a', shader: '#c33', material: '#c93' };

export class GraphCanvas {
  readonly canvas: HTMLCanvasElement;
  private nodes: Placed[] = [];
  private edges: [Placed, Placed][] = [];
  private scale = 1;
  private panX = 0;
  private panY = 0;

  /** In the package overview, a click picks a package instead of a target. */
  private onPackage: ((pkg: string) => void) | undefined;

  constructor(private readonly index: TargetIndex, private readonly onSelect: (label: string) => void) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'graph-canvas';
    this.canvas.addEventListener('wheel', (e) => {
      e.preventDefault();
      this.scale = Math.min(4, Math.max(0.05, this.scale * (e.deltaY < 0 ? 1.15 : 1 / 1.15)));
      this.draw();
    }, { passive: false });
    let drag: { x: number; y: number; moved: boolean } | undefined;
    this.canvas.addEventListener('mousedown', (e) => (drag = { x: e.clientX, y: e.clientY, moved: false }));
    window.addEventListener('mouseup', (e) => {
      if (drag && !drag.moved) this.click(e);
      drag = undefined;
    });
    window.addEventListener('mousemove', (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x;
      const dy = e.clientY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 3) drag.moved = true;
      this.panX += dx;
      this.panY += dy;
      drag.x = e.clientX;
      drag.y = e.clientY;
      this.draw();
    });
  }

  /** Lay out `label`'s neighbourhood and draw it. */
  show(label: string): void {
    const columns = new Map<string, number>([[label, 0]]);
    const deps1 = this.index.byLabel.get(label)?.deps ?? [];
    const deps2 = [...new Set(deps1.flatMap((d) => this.index.byLabel.get(d)?.deps ?? []))].filter((d) => !columns.has(d) && !deps1.includes(d));
    const rdeps1 = this.index.rdeps.get(label) ?? [];
    for (const d of deps1) columns.set(d, -1);
    for (const d of deps2) columns.set(d, -2);
    for (const r of rdeps1) if (!columns.has(r)) columns.set(r, 1);
    const byColumn = new Map<number, string[]>();
    for (const [l, c] of columns) byColumn.set(c, [...(byColumn.get(c) ?? []), l]);
    const placed = new Map<string, Placed>();
    for (const [column, labels] of byColumn) {
      labels.sort().forEach((l, i) => placed.set(l, { label: l, column, x: column * COLUMN_WIDTH, y: (i - (labels.length - 1) / 2) * ROW_HEIGHT }));
    }
    this.nodes = [...placed.values()];
    this.edges = [];
    for (const node of this.nodes) {
      for (const dep of this.index.byLabel.get(node.label)?.deps ?? []) {
        const target = placed.get(dep);
        if (target && target.column < node.column) this.edges.push([node, target]);
      }
    }
    this.onPackage = undefined;
    this.canvas.dataset.mode = 'target';
    this.canvas.dataset.nodes = String(this.nodes.length);
    const tallest = Math.max(...[...byColumn.values()].map((l) => l.length));
    this.scale = Math.min(1, 240 / Math.max(1, tallest * ROW_HEIGHT));
    this.panX = 0;
    this.panY = 0;
    this.draw();
  }

  /**
   * The whole workspace at the coarsest level of detail: one node per package (on a circle, sized
   * by its target count), one edge per pair of packages with a dependency between them.
   */
  overview(onPackage: (pkg: string) => void): void {
    this.onPackage = onPackage;
    const counts = new Map<string, number>();
    for (const row of this.index.view.targets) counts.set(row.pkg, (counts.get(row.pkg) ?? 0) + 1);
    const packages = [...counts.keys()].sort();
    const radius = Math.max(120, packages.length * 9);
    const placed = new Map<string, Placed>();
    packages.forEach((pkg, i) => {
      const angle = (i / packages.length) * Math.PI * 2;
      placed.set(pkg, { label: `//${pkg}`, column: 0, x: Math.cos(angle) * radius, y: Math.sin(angle) * radius });
    });
    const edges = new Set<string>();
    this.edges = [];
    for (const row of this.index.view.targets) {
      for (const dep of row.deps) {
        const other = this.index.byLabel.get(dep)?.pkg;
        if (other === undefined || other === row.pkg || edges.has(`${row.pkg}>${other}`)) continue;
        edges.add(`${row.pkg}>${other}`);
        this.edges.push([placed.get(row.pkg)!, placed.get(other)!]);
      }
    }
    this.nodes = [...placed.values()];
    this.canvas.dataset.mode = 'overview';
    this.canvas.dataset.nodes = String(this.nodes.length);
    this.scale = Math.min(1, 120 / radius);
    this.panX = 0;
    this.panY = 0;
    this.draw();
  }

  /** Nodes drawn with labels at the current zoom (for tests and the status line). */
  get labelled(): boolean {
    return this.scale >= 0.5;
  }

  private toScreen(p: { x: number; y: number }): [number, number] {
    return [this.canvas.width / 2 + this.panX + p.x * this.scale, this.canvas.height / 2 + this.panY + p.y * this.scale];
  }

  private draw(): void {
    const rect = this.canvas.getBoundingClientRect();
    this.canvas.width = Math.max(100, Math.round(rect.width));
    this.canvas.height = Math.max(100, Math.round(rect.height));
    const ctx = this.canvas.getContext('2d')!;
    ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.strokeStyle = '#bbb';
    ctx.beginPath();
    for (const [from, to] of this.edges) {
      const [x1, y1] = this.toScreen(from);
      const [x2, y2] = this.toScreen(to);
      ctx.moveTo(x1, y1);
      ctx.lineTo(x2 + (this.labelled && !this.onPackage ? 180 * this.scale : 0), y2);
    }
    ctx.stroke();
    ctx.font = '11px monospace';
    for (const node of this.nodes) {
      const [x, y] = this.toScreen(node);
      if (x < -300 || x > this.canvas.width + 20 || y < -20 || y > this.canvas.height + 20) continue;
      const type = this.index.byLabel.get(node.label)?.type ?? '';
      ctx.fillStyle = node.column === 0 ? '#f90' : TYPE_COLOURS[type] ?? '#777';
      if (!this.labelled) {
        ctx.fillRect(x - 2, y - 2, 4, 4);
        continue;
      }
      ctx.fillRect(x - 4, y - 4, 8, 8);
      ctx.fillStyle = '#222';
      ctx.fillText(node.label, x + 8, y + 4);
    }
  }

  private click(e: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const mx = e.clientX - rect.left;
    const my = e.clientY - rect.top;
    if (mx < 0 || my < 0 || mx > rect.width || my > rect.height) return;
    let best: Placed | undefined;
    let bestDistance = 12;
    for (const node of this.nodes) {
      const [x, y] = this.toScreen(node);
      const distance = Math.abs(my - y) + (mx >= x - 6 && mx <= x + 200 * this.scale ? 0 : Math.abs(mx - x));
      if (distance < bestDistance) {
        best = node;
        bestDistance = distance;
      }
    }
    if (best && this.onPackage) this.onPackage(best.label.slice(2));
    else if (best) this.onSelect(best.label);
  }
}
