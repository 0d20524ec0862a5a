// Where a benchmark run spends its wall time: named laps, logged per performance run and delivery
// scenario and summed up at the end of every run, so a slow phase shows up before anyone guesses.

/** `lap(name)` books the time since the previous lap (or creation) under `name`, adding up repeats. */
export const createLaps = () => {
  let last = Date.now();
  const phases = {};
  return {
    phases,
    lap: (name) => {
      const now = Date.now();
      phases[name] = (phases[name] || 0) + (now - last);
      last = now;
    },
  };
};

/** "open 0.4s, burst1000 0.2s, …" */
export const formatLaps = (phases) =>
  Object.entries(phases)
    .map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)}s`)
    .join(', ');
