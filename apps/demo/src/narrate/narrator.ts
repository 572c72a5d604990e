/** Braille spinner frames for the progress line. */
const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Prints the story. Each step gets a numbered header and indented lines under it. On a terminal a
 * progress line at the bottom shows which step is running and for how long; it is cleared before
 * anything else is printed, so the story itself never contains it (nor does piped output).
 */
export class Narrator {
  private readonly tty: boolean;
  private timer: NodeJS.Timeout | undefined;
  private progress: { label: string; started: number } | undefined;
  private frame = 0;

  constructor(private readonly out: NodeJS.WriteStream = process.stdout) {
    this.tty = out.isTTY === true && process.env.TERM !== 'dumb';
  }

  /** Prints lines as they are. */
  line(text = ''): void {
    this.clearProgress();
    this.out.write(`${text}\n`);
    this.drawProgress();
  }

  /** Starts step `index` of `total`: prints its header and shows the progress line. */
  beginStep(index: number, total: number, title: string): void {
    this.line(`[${index}/${total}] ${title}`);
    this.progress = { label: `step ${index}/${total}: ${title}`, started: Date.now() };
    if (this.tty) {
      this.timer = setInterval(() => {
        this.frame++;
        this.clearProgress();
        this.drawProgress();
      }, 100);
      this.timer.unref();
    }
    this.drawProgress();
  }

  /** Narrates one line under the current step. */
  say(text: string): void {
    for (const part of text.split('\n')) this.line(part === '' ? '' : `      ${part}`);
  }

  /** Ends the current step with a mark and its duration. */
  endStep(ok: boolean, detail?: string): void {
    const elapsed = this.progress ? ((Date.now() - this.progress.started) / 1000).toFixed(1) : '?';
    this.stopProgress();
    this.line(ok ? `      ✓ ${elapsed} s` : `      ✗ FAILED after ${elapsed} s${detail ? `: ${detail}` : ''}`);
  }

  /** Removes the progress line for good. */
  stopProgress(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.clearProgress();
    this.progress = undefined;
  }

  private drawProgress(): void {
    if (!this.tty || !this.progress) return;
    const seconds = ((Date.now() - this.progress.started) / 1000).toFixed(1);
    const text = `${FRAMES[this.frame % FRAMES.length]} ${this.progress.label} · ${seconds} s`;
    const width = this.out.columns ?? 80;
    this.out.write(`\x1b[2m${text.slice(0, width - 1)}\x1b[0m`);
  }

  private clearProgress(): void {
    if (this.tty && this.progress) this.out.write('\r\x1b[2K');
  }
}
