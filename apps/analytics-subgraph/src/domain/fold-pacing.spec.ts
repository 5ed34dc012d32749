import { DEFAULT_FOLD_PACING, nextFoldAt } from './fold-pacing';

describe('nextFoldAt', () => {
  it('lets a fold of live traffic (a few ms) run again at the next tick', () => {
    // Arrange
    const lastFold = { startedAt: 1_000, endedAt: 1_004 };

    // Act
    const next = nextFoldAt(lastFold);

    // Assert
    expect(next).toBe(1_016);
  });

  it('rests three times as long as a backlog fold took, so folds take at most a quarter of the time', () => {
    // Arrange
    const lastFold = { startedAt: 10_000, endedAt: 12_000 };

    // Act
    const next = nextFoldAt(lastFold, { restFactor: 3, maxRestMs: 60_000 });

    // Assert
    expect(next).toBe(18_000);
    expect((lastFold.endedAt - lastFold.startedAt) / (next - lastFold.startedAt)).toBe(0.25);
  });

  it('never rests longer than the cap, however long the last fold took', () => {
    // Arrange
    const lastFold = { startedAt: 0, endedAt: 30_000 };

    // Act
    const next = nextFoldAt(lastFold);

    // Assert
    expect(next).toBe(30_000 + DEFAULT_FOLD_PACING.maxRestMs);
  });

  it('treats a clock that went backwards as a fold that took no time', () => {
    // Arrange
    const lastFold = { startedAt: 5_000, endedAt: 4_000 };

    // Act
    const next = nextFoldAt(lastFold);

    // Assert
    expect(next).toBe(4_000);
  });
});
