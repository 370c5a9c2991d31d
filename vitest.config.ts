import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Every test file runs twice, under two time zones far apart (UTC and UTC+14), in one run: dates are
// calendar dates and must not move with the machine's zone. `vitest run --project utc` runs one.
const zones = { utc: 'UTC', kiritimati: 'Pacific/Kiritimati' };

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    maxWorkers: Math.max(2, availableParallelism()),
    isolate: false,
    projects: Object.entries(zones).map(([name, zone]) => ({
      extends: true,
      test: { name, include: ['test/**/*.test.ts'], env: { TZ: zone } },
    })),
  },
});
