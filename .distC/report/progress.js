/**
 * A progress line on stderr while large files are read: MB read, rate and ETA.
 * Only when stderr is a terminal and the input is large; never with --quiet.
 */
export class ProgressBar {
    total;
    out;
    read = 0;
    lastDraw = 0;
    started = Date.now();
    constructor(total, out) {
        this.total = total;
        this.out = out;
    }
    /** Whether a run of `bytes` should show one. */
    static wanted(out, quiet, bytes) {
        return Boolean(out.isTTY) && !quiet && bytes >= 20 * 1024 * 1024;
    }
    add(bytes) {
        this.read += bytes;
        const now = Date.now();
        if (now - this.lastDraw < 250)
            return;
        this.lastDraw = now;
        const secs = (now - this.started) / 1000;
        const mb = this.read / 1e6;
        const rate = secs > 0 ? mb / secs : 0;
        const frac = Math.min(1, this.read / Math.max(1, this.total));
        const left = rate > 0 ? Math.max(0, (this.total - this.read) / 1e6 / rate) : 0;
        const width = 24;
        const filled = Math.floor(frac * width);
        // Display figures only (not money): whole MB, one decimal of MB/s.
        const tenths = Math.floor(rate * 10);
        this.out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}%  ${Math.floor(mb)}/${Math.floor(this.total / 1e6)} MB  ${Math.floor(tenths / 10)}.${tenths % 10} MB/s  ETA ${Math.ceil(left)} s `);
    }
    done() {
        if (this.lastDraw > 0)
            this.out.write('\r\x1b[K');
    }
}
