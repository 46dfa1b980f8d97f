// The timeline `npm start` prints as it goes: elapsed time, step, detail.
export class Timeline {
  private readonly start = Date.now();
  readonly entries: { at: number; step: string; detail: string }[] = [];
  constructor(private readonly out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)) {}

  note(step: string, detail = ''): void {
    const at = (Date.now() - this.start) / 1000;
    this.entries.push({ at, step, detail });
    this.out(`[${at.toFixed(2).padStart(7)}s] ${step.padEnd(28)} ${detail}`);
  }

  elapsed(): number {
    return (Date.now() - this.start) / 1000;
  }
}
