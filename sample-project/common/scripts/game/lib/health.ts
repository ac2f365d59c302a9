export class Health {
  current: number;
  constructor(readonly max: number) {
    this.current = max;
  }
  damage(amount: number): void {
    this.current = Math.max(0, this.current - amount);
  }
}
